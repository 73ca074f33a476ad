import { PermanentError } from '../../../../lib/errors';
import {
  findCapacity,
  latestByOperationId,
  parseCapacity,
  parseOperationId,
  parseOperations,
} from '../../../../lib/kusto/results/operations';
import { dropColumn, table, thrown } from '../../../helpers/resultTables';

describe('operations', () => {
  it('reads the OperationId of .export async and rejects anything but one row', () => {
    expect(parseOperationId(table('OperationId:guid', [['56e51622-eb49-4d1a-b896-06a03178efcd']]))).toBe(
      '56e51622-eb49-4d1a-b896-06a03178efcd',
    );
    expect(() => parseOperationId(table('OperationId:guid', []))).toThrow(PermanentError);
    expect(() => parseOperationId(table('Id:guid', [['x']]))).toThrow("'OperationId'");
  });

  const OPS =
    'OperationId:guid, Operation:string, NodeId:string, StartedOn:datetime, LastUpdatedOn:datetime, Duration:timespan, State:string, Status:string, RootActivityId:guid, ShouldRetry:bool, Database:string, Principal:string, User:string, AdminEpochStartTime:datetime, VirtualCluster:string';

  it('reads .show operations rows with timespan Duration and 0/1 ShouldRetry', () => {
    const t = table(OPS, [
      [
        'b152f9da-1',
        'DataExportToTable',
        '',
        '2026-01-06T09:33:36.8136476Z',
        '2026-01-06T09:33:40.2103713Z',
        '00:00:03.3967237',
        'Failed',
        'E_LOW_MEMORY_CONDITION',
        'a1',
        1,
        'db1',
        'aadapp=x',
        'u',
        '2026-01-01T00:00:00Z',
        '',
      ],
    ]);
    const [op] = parseOperations(t);
    expect(op).toMatchObject({
      operationId: 'b152f9da-1',
      operation: 'DataExportToTable',
      startedOn: new Date('2026-01-06T09:33:36.813Z'),
      state: 'Failed',
      status: 'E_LOW_MEMORY_CONDITION',
      shouldRetry: true,
      database: 'db1',
    });
    expect(op?.durationMs).toBeCloseTo(3396.7237, 6);
  });

  it('reads a projected .show operations answer and the latest row per id', () => {
    const t = table(
      'OperationId:guid, LastUpdatedOn:datetime, State:string, Status:string, ShouldRetry:bool',
      [
        ['a', '2026-01-06T09:00:00Z', 'InProgress', '', false],
        ['a', '2026-01-06T09:05:00Z', 'Completed', '', false],
        ['b', '2026-01-06T09:01:00Z', 'Failed', 'boom', true],
      ],
    );
    const ops = parseOperations(t);
    expect(ops[0]?.operation).toBeUndefined();
    const latest = latestByOperationId(ops);
    expect(latest.get('a')?.state).toBe('Completed');
    expect(latest.get('b')?.shouldRetry).toBe(true);
    expect(() => parseOperations(dropColumn(t, 'State'))).toThrow("'State'");
  });
});

describe('capacity', () => {
  it('reads capacity and finds the export row under any spelling', () => {
    const t = table('Resource:string, Total:long, Consumed:long, Remaining:long, Origin:string', [
      ['ingestions', 512, 0, 512, 'CapacityPolicy/Ingestion'],
      ['data-export', 100, 3, 97, 'CapacityPolicy/Export'],
    ]);
    const capacity = parseCapacity(t);
    expect(findCapacity(capacity, 'DataExport')).toEqual({
      resource: 'data-export',
      total: 100,
      consumed: 3,
      remaining: 97,
      origin: 'CapacityPolicy/Export',
    });
    expect(findCapacity(capacity, 'Queries')).toBeUndefined();
    expect(() => parseCapacity(dropColumn(t, 'Remaining'))).toThrow("'Remaining'");
  });

  it('does not echo secrets from a malformed cell in its error', () => {
    const t = table('Resource:string, Total:long, Consumed:long, Remaining:long', [
      ['x', 'https://a.blob.core.windows.net/c?sig=SECRETSIG', 0, 0],
    ]);
    const error = thrown(() => parseCapacity(t));
    expect(error.message).toContain('Total');
    expect(error.message).not.toContain('SECRETSIG');
  });
});
