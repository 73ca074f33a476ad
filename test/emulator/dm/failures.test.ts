import { INGESTION_FAILURES } from '../schemas';
import { Clock, EmulatorState } from '../state';
import type { StorageEndpoints } from '../state';
import { permanent, transient } from './errors';
import { FAILURE_RETENTION_MS, INGESTION_PRINCIPAL, failureRows, recordFailure } from './failures';

const DAY = 86_400_000;

function setup(): EmulatorState {
  return new EmulatorState(new Clock(Date.UTC(2026, 0, 1)), {} as StorageEndpoints);
}

const input = (
  state: EmulatorState,
  table: string,
  error = permanent('Download_SourceNotFound', 'gone'),
) => ({
  operationId: state.newId(),
  rootActivityId: state.newId(),
  database: 'db1',
  table,
  sourcePath: `https://a/c/${table}.csv`,
  error,
  ingestionProperties: 'Format=Csv',
});

describe('recordFailure / failureRows', () => {
  it('shows every §1.13 column in order', () => {
    const state = setup();
    const f = recordFailure(state, input(state, 'T', transient('Download_UnknownError', 'reset')));
    const [row] = failureRows(state, 'db1');
    const byName = Object.fromEntries(INGESTION_FAILURES.map((c, i) => [c.name, row![i]]));
    expect(byName).toEqual({
      OperationId: f.operationId,
      Database: 'db1',
      Table: 'T',
      FailedOn: Date.UTC(2026, 0, 1),
      IngestionSourcePath: 'https://a/c/T.csv',
      Details: 'reset',
      FailureKind: 'Transient',
      RootActivityId: f.rootActivityId,
      OperationKind: 'DataIngestPull',
      OriginatesFromUpdatePolicy: false,
      ErrorCode: 'Download_UnknownError',
      Principal: INGESTION_PRINCIPAL,
      ShouldRetry: true,
      User: '',
      IngestionProperties: 'Format=Csv',
      NumberOfSources: 1,
    });
  });

  it('filters by database and operation id, oldest first', () => {
    const state = setup();
    const a = recordFailure(state, input(state, 'A'));
    state.clock.advance(1000);
    recordFailure(state, input(state, 'B'));
    recordFailure(state, { ...input(state, 'C'), database: 'other' });
    expect(failureRows(state, 'db1').map((r) => r[2])).toEqual(['A', 'B']);
    expect(failureRows(state, 'db1', a.operationId.toUpperCase()).map((r) => r[2])).toEqual(['A']);
    expect(failureRows(state, 'db1', 'no-such-id')).toEqual([]);
  });

  it('keeps failures for 14 days of emulator time', () => {
    const state = setup();
    recordFailure(state, input(state, 'Old'));
    state.clock.advance(FAILURE_RETENTION_MS);
    expect(failureRows(state, 'db1').map((r) => r[2])).toEqual(['Old']);
    state.clock.advance(DAY);
    expect(failureRows(state, 'db1')).toEqual([]);
    recordFailure(state, input(state, 'New'));
    expect(state.ingestionFailures.map((f) => f.table)).toEqual(['New']);
  });
});
