import { createCountStagingActivity } from '../../../lib/activities/countStaging';
import type { TableProgress } from '../../../lib/restore/state';
import { memoryState, recordingSender } from '../../helpers/restoreFakes';
import { table } from '../../helpers/resultTables';
import { scriptedGateway } from '../../helpers/scriptedGateway';

test('checks the stored table against the target and records the count', async () => {
  const { state } = memoryState();
  const progress: TableProgress = {
    plan: {
      source: 'Orders',
      target: 'Orders',
      staging: 's',
      columns: [],
      partitionColumn: null,
      targetExists: false,
      exportedBy: [],
      folders: [{ key: 'none', date: null, blobs: 1, bytes: 0, rows: 4, batches: 1, listed: 0 }],
      blobs: 1,
      bytes: 0,
      rows: 4,
      excluded: {},
    },
    state: 'queueing',
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
  const gateway = scriptedGateway({
    'count-source-rows': table('count_:long', [[4]]),
    'show-ingestion-failures': table(
      'OperationId:guid, Database:string, Table:string, FailedOn:datetime, IngestionSourcePath:string, Details:string, FailureKind:string',
      [],
    ),
  });
  const activity = createCountStagingActivity({
    gatewayFor: () => gateway,
    state,
    ingest: recordingSender(),
    storageAuth: { kind: 'impersonate' },
  });
  const target = { clusterUri: 'https://dst.kusto.windows.net', database: 'T' };
  expect(await activity({ restoreId: 'r1', table: 'Orders', target })).toEqual({
    rows: 4,
    foldersDone: 1,
    requeued: 0,
    exhausted: [],
  });
  expect(await state.getTable('r1', 'Orders')).toMatchObject({ rowsIngested: 4, state: 'ingesting' });
  await expect(activity({ restoreId: 'r1', table: 'Other', target })).rejects.toThrow(
    /no plan for table 'Other'/,
  );
});
