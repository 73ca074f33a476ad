import { createRestorePrepareActivity } from '../../../lib/activities/restorePrepare';
import { fakeBlobs, memoryState } from '../../helpers/restoreFakes';
import { table } from '../../helpers/resultTables';
import { scriptedGateway } from '../../helpers/scriptedGateway';
import { MemoryCatalog } from '../../helpers/setupHarness';
import { CONTAINER, artifact, databaseSchema, exportsAnswer, request } from '../restore/fixtures';

test('prepares the restore and logs its size', async () => {
  const catalog = new MemoryCatalog();
  await catalog.putArtifacts([artifact('a.parquet', '2025-01-01'), artifact('b.parquet', '2025-01-02')]);
  const gateway = scriptedGateway({
    'show-database-schema-json': databaseSchema('SalesRestore', {}),
    'show-continuous-exports': exportsAnswer([]),
    'create-table': table('TableName:string', []),
    'create-merge-table': table('TableName:string', []),
  });
  const logged: unknown[] = [];
  const activity = createRestorePrepareActivity({
    gatewayFor: () => gateway,
    catalog,
    blobs: fakeBlobs([
      {
        containerUrl: CONTAINER,
        name: 'Sales/_schema/20250101T000000Z.kql',
        text: '.create-merge table Orders (Ts:datetime)',
      },
    ]),
    state: memoryState().state,
    logger: { info: (m, f) => logged.push([m, f]), warn: () => undefined, error: () => undefined },
  });
  const out = await activity({ request: request(), settings: { batchSize: 500, stallTimeoutMs: 1 } });
  expect(out.tables).toEqual([
    { source: 'Orders', target: 'Orders', rows: 20, blobs: 2, folders: 2, completed: false },
  ]);
  expect(logged).toEqual([['restore prepared', { restoreId: 'r1', tables: 1, blobs: 2 }]]);
});
