import { createRestoreTableStateActivity } from '../../../lib/activities/restoreTableState';
import type { TableProgress } from '../../../lib/restore/state';
import { memoryState } from '../../helpers/restoreFakes';

const progress = (state: TableProgress['state'], result: unknown = null): TableProgress => ({
  plan: {
    source: 'Orders',
    target: 'O2',
    staging: 's',
    columns: [],
    partitionColumn: 'Ts',
    targetExists: false,
    exportedBy: [],
    folders: [{ key: '20250101', date: '2025-01-01', blobs: 600, bytes: 0, rows: 9, batches: 2, listed: 0 }],
    blobs: 600,
    bytes: 0,
    rows: 9,
    excluded: {},
  },
  state,
  targetCreated: false,
  rowsIngested: 0,
  foldersDone: 0,
  requeued: 0,
  failures: [],
  handledFailures: [],
  requeues: {},
  result,
  error: null,
  updatedAt: '',
});

test('answers the compact plan, and the result only once the table completed', async () => {
  const { state } = memoryState();
  const activity = createRestoreTableStateActivity({ state });
  await state.putTable('r1', progress('ingesting'));
  expect(await activity({ restoreId: 'r1', table: 'Orders' })).toEqual({
    state: 'ingesting',
    target: 'O2',
    staging: 's',
    partitionColumn: 'Ts',
    rows: 9,
    blobs: 600,
    folders: [['20250101', 2, 600]],
    result: null,
  });
  await state.putTable('r1', progress('completed', { status: 'completed' }));
  expect(await activity({ restoreId: 'r1', table: 'Orders' })).toMatchObject({
    result: { status: 'completed' },
  });
  await expect(activity({ restoreId: 'r1', table: 'Nope' })).rejects.toThrow(/no plan for table 'Nope'/);
});
