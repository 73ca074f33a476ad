import { ActivityNames, OrchestratorNames } from '../../lib/names';
import { BATCHES_PER_GENERATION } from '../../lib/orchestrations/restoreFolder';
import type { RestoreFolderInput, RestoreFolderResult } from '../../lib/orchestrations/restoreFolder';
import type { QueueBatchInput } from '../../lib/activities/restoreContracts';
import { DurableReplayer } from '../helpers/durableReplay';
import { FakeRestore } from '../helpers/fakeRestoreActivities';

const input = (batches: number): RestoreFolderInput => ({
  restoreId: 'r1',
  table: 'Orders',
  folder: '20250101',
  batches,
  target: { clusterUri: 'https://dst.kusto.windows.net', database: 'T' },
  staging: 's',
});

test('queues every batch of the folder once, in order', async () => {
  const fake = new FakeRestore({ tables: [] });
  const r = await new DurableReplayer().run(OrchestratorNames.restoreFolder, input(6), { instanceId: 'f' });
  expect(r.status).toBe('Completed');
  expect(r.output).toEqual({ folder: '20250101', queued: 21 } satisfies RestoreFolderResult);
  expect((fake.calls.get(ActivityNames.queueRestoreBatch) as QueueBatchInput[]).map((i) => i.index)).toEqual([
    0, 1, 2, 3, 4, 5,
  ]);
});

test('a folder of a million blobs (2,000 batches) continues as new and keeps a small history', async () => {
  const fake = new FakeRestore({ tables: [] });
  const kit = new DurableReplayer();
  const r = await kit.run(OrchestratorNames.restoreFolder, input(2000), { instanceId: 'f' });
  expect(r.status).toBe('Completed');
  expect(fake.count(ActivityNames.queueRestoreBatch)).toBe(2000);
  expect((r.output as RestoreFolderResult).queued).toBe((2000 * 2001) / 2);
  expect(2000).toBeGreaterThan(BATCHES_PER_GENERATION);
  expect(kit.stats.largestHistory()).toBeLessThan(2000);
});

test('a batch that keeps failing fails the folder', async () => {
  new FakeRestore({ tables: [], fail: { activity: ActivityNames.queueRestoreBatch, error: 'queue down' } });
  const r = await new DurableReplayer().run(OrchestratorNames.restoreFolder, input(2), { instanceId: 'f' });
  expect(r.status).toBe('Failed');
  expect(r.error).toContain('queue down');
});
