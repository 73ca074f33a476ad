import { createRestoreFinishTableActivity } from '../../../lib/activities/restoreFinishTable';
import type { TableProgress } from '../../../lib/restore/state';
import { memoryLedger } from '../../helpers/memoryLedger';
import { memoryState } from '../../helpers/restoreFakes';
import { table } from '../../helpers/resultTables';
import { scriptedGateway } from '../../helpers/scriptedGateway';
import { silentLogger } from '../../helpers/setupHarness';

test('finishes the stored table in the target and logs what it restored', async () => {
  const { state } = memoryState();
  const progress: TableProgress = {
    plan: {
      source: 'Orders',
      target: 'O',
      staging: 's',
      columns: [],
      partitionColumn: null,
      targetExists: false,
      exportedBy: [],
      folders: [],
      blobs: 0,
      bytes: 0,
      rows: 2,
      excluded: {},
    },
    state: 'ingesting',
    targetCreated: true,
    rowsIngested: 2,
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
  const gateway = scriptedGateway({
    'summarize-tagged-extents': [
      table('Extents:long, RowCount:long, DeletedRowCount:long', [[0, 0, 0]]),
      table('Extents:long, RowCount:long, DeletedRowCount:long', [[1, 2, 0]]),
    ],
    'count-source-rows': table('count_:long', [[2]]),
    'move-extents': table('OriginalExtentId:string', []),
    'drop-table': table('TableName:string', []),
  });
  const logged: unknown[] = [];
  const activity = createRestoreFinishTableActivity({
    gatewayFor: () => gateway,
    ledger: memoryLedger(),
    state,
    logger: { ...silentLogger, info: (m, f) => logged.push([m, f]) },
  });
  const result = await activity({
    restoreId: 'r1',
    table: 'Orders',
    sourceDatabase: 'Sales',
    target: { clusterUri: 'https://dst.kusto.windows.net', database: 'T' },
  });
  expect(result).toMatchObject({ status: 'completed', rowsRestored: 2, extentsMoved: 1 });
  expect(logged).toEqual([
    ['table restored', { restoreId: 'r1', table: 'Orders', target: 'O', rowsRestored: 2, rowsDeleted: 0 }],
  ]);
});
