import { createRestoreRecordActivity } from '../../../lib/activities/restoreRecord';
import type { TableResult } from '../../../lib/restore/finish';
import { memoryState } from '../../helpers/restoreFakes';
import { request } from '../restore/fixtures';

const result = (source: string, over: Partial<TableResult> = {}): TableResult => ({
  source,
  target: source,
  status: 'completed',
  rowsExpected: 10,
  rowsIngested: 10,
  rowsDeleted: 2,
  rowsRestored: 8,
  deletionsApplied: 1,
  deletionsSkipped: 0,
  extentsMoved: 3,
  folders: 1,
  blobs: 3,
  requeued: 0,
  warnings: [],
  ...over,
});

test('records the final report with totals and every warning once', async () => {
  const { state } = memoryState();
  await state.putRestore('r1', {
    request: request(),
    settings: { batchSize: 1, stallTimeoutMs: 1 },
    status: 'running',
    createdAt: 'c',
    updatedAt: 'c',
    error: null,
    planned: true,
    warnings: ['w1'],
    report: null,
  });
  const activity = createRestoreRecordActivity({ state });
  const report = await activity({
    restoreId: 'r1',
    status: 'completed',
    tables: [result('A', { warnings: ['w2'] }), result('B', { warnings: ['w2'] })],
    error: null,
  });
  expect(report).toMatchObject({
    status: 'completed',
    totals: { rowsExpected: 20, rowsDeleted: 4, rowsRestored: 16, blobs: 6 },
    warnings: ['w1', 'w2'],
    error: null,
  });
  expect(await state.getRestore('r1')).toMatchObject({ status: 'completed', report, error: null });
});

test('records one table failure on the table only', async () => {
  const { state } = memoryState();
  await state.putTable('r1', {
    plan: { source: 'A' } as never,
    state: 'ingesting',
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
  });
  expect(
    await createRestoreRecordActivity({ state })({
      restoreId: 'r1',
      status: 'failed',
      tables: [],
      error: 'boom',
      table: 'A',
    }),
  ).toBeNull();
  expect(await state.getTable('r1', 'A')).toMatchObject({ state: 'failed', error: 'boom' });
  expect(await state.getRestore('r1')).toBeUndefined();
});
