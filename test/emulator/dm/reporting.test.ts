import { permanent } from './errors';
import type { IngestionOutcome } from './ingest';
import type { IngestionMessage } from './message';
import { statusReport } from './reporting';
import { FAILED_QUEUE, SUCCESS_QUEUE } from './resources';

const message = (reportLevel: number, reportMethod = 0): IngestionMessage => ({
  id: 'source-id',
  blobPath: 'http://127.0.0.1:1/devstoreaccount1/c/b.csv?sig=secret',
  rawDataSize: 1,
  database: 'db1',
  table: 'T',
  reportLevel,
  reportMethod,
  properties: {},
});
const ids = { operationId: 'op', rootActivityId: 'root' };
const error = permanent('BadRequest_EmptyBlob', 'Blob is empty.');
const failed = { ...ids, status: 'Failed', error, failure: {} } as unknown as IngestionOutcome;
const succeeded = { ...ids, status: 'Succeeded', extent: {} } as unknown as IngestionOutcome;
const skipped: IngestionOutcome = { ...ids, status: 'Skipped', details: 'tag exists' };
const NOW = Date.UTC(2026, 0, 1, 12);

describe('statusReport', () => {
  it('reports failures with the documented fields (FailuresOnly)', () => {
    expect(statusReport(message(0), failed, NOW)).toEqual({
      queue: FAILED_QUEUE,
      body: {
        OperationId: 'op',
        Database: 'db1',
        Table: 'T',
        IngestionSourceId: 'source-id',
        IngestionSourcePath: 'http://127.0.0.1:1/devstoreaccount1/c/b.csv',
        RootActivityId: 'root',
        FailedOn: '2026-01-01T12:00:00.0000000Z',
        Details: 'Blob is empty.',
        ErrorCode: 'BadRequest_EmptyBlob',
        FailureStatus: 'Permanent',
        OriginatesFromUpdatePolicy: false,
        ShouldRetry: false,
      },
    });
    expect(statusReport(message(0), succeeded, NOW)).toBeUndefined();
  });

  it('reports successes and skips only for FailuresAndSuccesses', () => {
    for (const outcome of [succeeded, skipped]) {
      expect(statusReport(message(2), outcome, NOW)).toEqual({
        queue: SUCCESS_QUEUE,
        body: expect.objectContaining({ OperationId: 'op', SucceededOn: '2026-01-01T12:00:00.0000000Z' }),
      });
    }
  });

  it('reports nothing for DoNotReport or table-only reporting', () => {
    expect(statusReport(message(1), failed, NOW)).toBeUndefined();
    expect(statusReport(message(2, 1), failed, NOW)).toBeUndefined();
    expect(statusReport(message(2, 2), failed, NOW)?.queue).toBe(FAILED_QUEUE);
  });
});
