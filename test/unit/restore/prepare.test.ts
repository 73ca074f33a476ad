import { PermanentError } from '../../../lib/errors';
import { prepareRestore } from '../../../lib/restore/prepare';
import { fakeBlobs, memoryState } from '../../helpers/restoreFakes';
import { table } from '../../helpers/resultTables';
import { scriptedGateway } from '../../helpers/scriptedGateway';
import { MemoryCatalog } from '../../helpers/setupHarness';
import { CONTAINER, artifact, databaseSchema, exportsAnswer, request } from './fixtures';

const SETTINGS = { batchSize: 2, stallTimeoutMs: 60_000 };
const ok = table('TableName:string', []);

async function deps(targetTables: Record<string, string[]> = {}) {
  const catalog = new MemoryCatalog();
  await catalog.putArtifacts([
    artifact('a.parquet', '2025-01-01'),
    artifact('b.parquet', '2025-01-01'),
    artifact('c.parquet', '2025-01-01'),
    artifact('d.parquet', '2025-01-02', { numRecords: 4 }),
  ]);
  const blobs = fakeBlobs([
    {
      containerUrl: CONTAINER,
      name: 'Sales/_schema/20250101T000000Z.kql',
      text: '.create-merge table Orders (Ts:datetime, Id:long)',
    },
  ]);
  const gateway = scriptedGateway({
    'show-database-schema-json': databaseSchema('SalesRestore', targetTables),
    'show-continuous-exports': exportsAnswer([]),
    'create-table': ok,
    'create-merge-table': ok,
  });
  const { state } = memoryState();
  return { catalog, blobs, gateway, state, gatewayFor: () => gateway };
}

describe('prepareRestore', () => {
  it('plans, stores the manifest, creates the target and the staging table', async () => {
    const d = await deps();
    const prepared = await prepareRestore(d, request(), SETTINGS);
    expect(prepared).toEqual({
      warnings: [],
      tables: [{ source: 'Orders', target: 'Orders', rows: 34, blobs: 4, folders: 2, completed: false }],
    });
    expect(d.gateway.mutating()).toEqual([
      ".create table ['Orders'] (['Ts']:datetime, ['Id']:long)",
      expect.stringMatching(
        /^\.create-merge table \['__restore_[0-9a-f]{8}_Orders'\] \(\['Ts'\]:datetime, \['Id'\]:long\)$/,
      ),
    ]);
    expect((await d.state.listBatchStatus('r1')).map((b) => [b.folder, b.count])).toEqual([
      ['20250101', 2],
      ['20250101', 1],
      ['20250102', 1],
    ]);
    expect(await d.state.getTable('r1', 'Orders')).toMatchObject({
      state: 'planned',
      targetCreated: true,
      plan: { rows: 34, partitionColumn: null },
    });
    expect(await d.state.getRestore('r1')).toMatchObject({
      status: 'running',
      planned: true,
      settings: SETTINGS,
    });
  });

  it('a re-run reuses the manifest even if the catalog changed, and resets the attempts of failed blobs', async () => {
    const d = await deps();
    await prepareRestore(d, request(), SETTINGS);
    await d.state.patchTable('r1', 'Orders', {
      requeues: { x: 3 },
      failures: [{ path: 'x', error: 'e', attempts: 3 }],
      state: 'failed',
    });
    await d.catalog.putArtifacts([artifact('new.parquet', '2025-01-03')]);
    const again = await prepareRestore(d, request(), SETTINGS);
    expect(again.tables[0]).toMatchObject({ blobs: 4, rows: 34 });
    expect(await d.state.getTable('r1', 'Orders')).toMatchObject({ requeues: {}, failures: [] });
    // The target is created again only as `.create table` (a no-op when it exists).
    expect(d.gateway.mutating().filter((t) => t.startsWith('.create table'))).toHaveLength(2);
  });

  it('refuses, before creating anything, a target that cannot take the restore', async () => {
    const d = await deps({ Orders: ['Ts:datetime', 'Id:long'] });
    await expect(prepareRestore(d, request(), SETTINGS)).rejects.toThrow(PermanentError);
    await expect(prepareRestore(d, request(), SETTINGS)).rejects.toThrow(
      /refused \(target-table-exists\): target.tables.Orders/,
    );
    expect(d.gateway.mutating()).toEqual([]);
    expect(await d.state.listTables('r1')).toEqual([]);
  });

  it('appends into a compatible existing table without creating it', async () => {
    const d = await deps({ Orders: ['Ts:datetime', 'Id:long', 'Extra:string'] });
    await prepareRestore(d, request({ mode: 'append' }), SETTINGS);
    expect(d.gateway.mutating()).toEqual([expect.stringMatching(/^\.create-merge table \['__restore_/)]);
  });
});
