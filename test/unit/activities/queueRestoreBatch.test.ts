import { createQueueRestoreBatchActivity } from '../../../lib/activities/queueRestoreBatch';
import { PermanentError } from '../../../lib/errors';
import { artifactKey } from '../../../lib/restore/ingestMessage';
import { memoryState, recordingSender } from '../../helpers/restoreFakes';
import { silentLogger } from '../../helpers/setupHarness';

const path = (i: number) => `https://acct1.blob.core.windows.net/backup/Sales/Orders/20250103/p${i}.parquet`;
const input = {
  restoreId: 'r1',
  table: 'Orders',
  folder: '20250103',
  index: 0,
  target: { clusterUri: 'https://dst.kusto.windows.net', database: 'T' },
  staging: '__restore_x_Orders',
};

test('queues the batch from the manifest into staging, with each artifact key and the folder day, and marks it queued', async () => {
  const { state } = memoryState();
  await state.putBatches('r1', 'Orders', [
    {
      folder: '20250103',
      index: 0,
      artifacts: [0, 1].map((i) => ({
        path: path(i),
        sizeInBytes: 10 + i,
        rows: 1,
        partitionDate: '2025-01-03',
        origin: 'catalog' as const,
      })),
    },
  ]);
  const ingest = recordingSender();
  const activity = createQueueRestoreBatchActivity({
    state,
    ingest,
    storageAuth: { kind: 'impersonate' },
    logger: silentLogger,
  });
  expect(await activity(input)).toEqual({ queued: 2 });
  expect(ingest.calls).toEqual([
    {
      target: {
        clusterUri: 'https://dst.kusto.windows.net',
        database: 'T',
        table: '__restore_x_Orders',
        auth: { kind: 'impersonate' },
        tags: ['adxbackup-restore:r1'],
      },
      blobs: [0, 1].map((i) => ({
        path: path(i),
        size: 10 + i,
        key: artifactKey(path(i)),
        creationTime: '2025-01-03T00:00:00.000Z',
      })),
    },
  ]);
  expect(await state.listBatchStatus('r1')).toEqual([
    { table: 'Orders', folder: '20250103', count: 2, queuedCount: 2 },
  ]);
});

test('a batch missing from the manifest fails permanently', async () => {
  const activity = createQueueRestoreBatchActivity({
    state: memoryState().state,
    ingest: recordingSender(),
    storageAuth: { kind: 'impersonate' },
    logger: silentLogger,
  });
  await expect(activity(input)).rejects.toThrow(PermanentError);
});
