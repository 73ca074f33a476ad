import type { PlannedBatch } from '../../../lib/restore/plan';
import type { TablePlan } from '../../../lib/restore/types';
import { memoryState } from '../../helpers/restoreFakes';
import { request } from './fixtures';

const plan: TablePlan = {
  source: 'Orders',
  target: 'Orders',
  staging: '__restore_x_Orders',
  columns: [{ name: 'Ts', type: 'datetime' }],
  partitionColumn: 'Ts',
  targetExists: false,
  exportedBy: [],
  folders: [{ key: '20250101', date: '2025-01-01', blobs: 2, bytes: 20, rows: 4, batches: 1, listed: 0 }],
  blobs: 2,
  bytes: 20,
  rows: 4,
  excluded: {},
};

describe('RestoreState', () => {
  it('keeps the record, patches it, and answers undefined for an unknown restore', async () => {
    const { state } = memoryState();
    expect(await state.getRestore('r1')).toBeUndefined();
    const record = {
      request: request(),
      settings: { batchSize: 500, stallTimeoutMs: 60_000 },
      status: 'started' as const,
      createdAt: 'a',
      updatedAt: 'a',
      error: null,
      planned: false,
      warnings: [],
      report: null,
    };
    await state.putRestore('r1', record);
    const patched = await state.patchRestore('r1', { status: 'running', planned: true });
    expect(patched).toEqual({ ...record, status: 'running', planned: true });
    expect(await state.getRestore('r1')).toEqual(patched);
    await expect(state.patchRestore('r2', {})).rejects.toThrow(/no record/);
  });

  it('keeps per-table progress, listed for one restore only', async () => {
    const { state } = memoryState();
    const progress = {
      plan,
      state: 'planned' as const,
      targetCreated: false,
      rowsIngested: 0,
      foldersDone: 0,
      requeued: 0,
      failures: [],
      handledFailures: [],
      requeues: {},
      result: null,
      error: null,
      updatedAt: '',
    };
    await state.putTable('r1', progress);
    await state.putTable('r2', { ...progress, plan: { ...plan, source: 'Other' } });
    await state.patchTable('r1', 'Orders', { rowsIngested: 3, state: 'ingesting' });
    const listed = await state.listTables('r1');
    expect(listed.map((t) => [t.plan.source, t.state, t.rowsIngested])).toEqual([['Orders', 'ingesting', 3]]);
  });

  it('stores batches with long artifact lists across properties and marks them queued', async () => {
    const { state, store } = memoryState();
    const folderUrl = 'https://acct1.blob.core.windows.net/backup/Sales/Orders/20250101/';
    const batch: PlannedBatch = {
      folder: '20250101',
      index: 0,
      artifacts: Array.from({ length: 500 }, (_, i) => ({
        path: `${folderUrl}${'x'.repeat(100)}-${i}.parquet`,
        sizeInBytes: i === 7 ? null : 100 + i,
        rows: i % 4,
        partitionDate: '2025-01-01',
        origin: 'catalog' as const,
      })),
    };
    await state.putBatches('r1', 'Orders', [batch]);
    const [entity] = await store.list('r1', 'batch|');
    // The folder is stored once; the rest still needs several 30,000-character properties.
    expect(Number(entity!.artifacts_n)).toBeGreaterThan(1);
    const read = await state.getBatch('r1', 'Orders', '20250101', 0);
    expect(read?.artifacts).toEqual(
      batch.artifacts.map((a) => ({ path: a.path, size: a.sizeInBytes, rows: a.rows })),
    );
    expect(read?.queuedAt).toBeNull();
    await state.markQueued('r1', 'Orders', '20250101', 0, 500);
    expect((await state.getBatch('r1', 'Orders', '20250101', 0))?.queuedCount).toBe(500);
    expect(await state.listBatchStatus('r1')).toEqual([
      { table: 'Orders', folder: '20250101', count: 500, queuedCount: 500 },
    ]);
    expect(await state.getBatch('r1', 'Orders', '20250101', 1)).toBeUndefined();
  });
});
