import { PermanentError } from '../../../lib/errors';
import { resolveRestore } from '../../../lib/restore/resolve';
import type { ResolveDeps } from '../../../lib/restore/resolve';
import { fakeBlobs } from '../../helpers/restoreFakes';
import { scriptedGateway } from '../../helpers/scriptedGateway';
import { MemoryCatalog } from '../../helpers/setupHarness';
import { CONTAINER, databaseSchema, exportsAnswer, request } from './fixtures';

const SNAP_1 = '.create-merge table Orders (Ts:datetime, Id:long)\n\n.create-merge table Lines (Id:long)';
const SNAP_2 =
  '.create-merge table Orders (Ts:datetime, Id:long, Added:string)\n\n.create-merge table Lines (Id:long)';

function deps(
  target: Record<string, string[]>,
  exports: { name: string; query: string }[] = [],
): ResolveDeps & { gateway: ReturnType<typeof scriptedGateway> } {
  const gateway = scriptedGateway({
    'show-database-schema-json': databaseSchema('SalesRestore', target),
    'show-continuous-exports': exportsAnswer(exports),
  });
  const catalog = new MemoryCatalog();
  void catalog.putTable({
    cluster: 'x',
    database: 'Sales',
    table: 'Orders',
    state: 'ready',
    exportName: '',
    externalTableName: '',
    partitionColumn: 'Ts',
    startCursor: null,
    columns: [],
    historicalChunks: 0,
    historicalRows: 0,
    lastError: null,
    updatedAt: '',
  });
  const blobs = fakeBlobs([
    { containerUrl: CONTAINER, name: 'Sales/_schema/20250101T000000Z.kql', text: SNAP_1 },
    { containerUrl: CONTAINER, name: 'Sales/_schema/20250601T000000Z.kql', text: SNAP_2 },
  ]);
  return { gatewayFor: () => gateway, catalog, blobs, gateway };
}

describe('resolveRestore', () => {
  it('uses the latest snapshot, or the one in force at asOf, and names staging tables', async () => {
    const d = deps({});
    const latest = await resolveRestore(d, request());
    expect(latest).toMatchObject({
      resolved: {
        snapshot: { blobName: 'Sales/_schema/20250601T000000Z.kql', takenAt: '2025-06-01T00:00:00.000Z' },
        tables: [
          { source: 'Orders', target: 'Orders', partitionColumn: 'Ts', targetExists: false, exportedBy: [] },
        ],
      },
    });
    if (!('resolved' in latest)) throw new Error('rejected');
    expect(latest.resolved.tables[0]!.columns.map((c) => c.name)).toEqual(['Ts', 'Id', 'Added']);
    expect(latest.resolved.tables[0]!.staging).toMatch(/^__restore_[0-9a-f]{8}_Orders$/);
    const earlier = await resolveRestore(
      d,
      request({
        asOf: '2025-05-31T23:59:59.000Z',
        source: { ...request().source, tables: 'all' },
        renames: { Lines: 'L2' },
      }),
    );
    if (!('resolved' in earlier)) throw new Error('rejected');
    expect(
      earlier.resolved.tables.map((t) => [t.source, t.target, t.columns.length, t.partitionColumn]),
    ).toEqual([
      ['Orders', 'Orders', 2, 'Ts'],
      ['Lines', 'L2', 1, null],
    ]);
    expect(d.gateway.mutating()).toEqual([]);
  });

  it('refuses with 404s: no snapshot (then), unknown source table, unknown target database', async () => {
    expect(await resolveRestore(deps({}), request({ asOf: '2024-01-01T00:00:00.000Z' }))).toEqual({
      rejection: {
        status: 404,
        error: 'backup-not-found',
        problems: [{ field: 'asOf', message: expect.stringContaining('at or before 2024-01-01') }],
      },
    });
    expect(
      await resolveRestore(
        deps({}),
        request({ source: { ...request().source, tables: ['Orders', 'Gone'] } }),
      ),
    ).toMatchObject({
      rejection: { status: 404, error: 'table-not-found', problems: [{ field: 'source.tables[1]' }] },
    });
    const d = deps({});
    const missing = new PermanentError("database 'SalesRestore' was not found", {
      serverCode: 'BadRequest_DatabaseNotExist',
    });

    const gone = { ...d, gatewayFor: () => scriptedGateway({ 'show-database-schema-json': missing }) };
    expect(await resolveRestore(gone, request())).toMatchObject({
      rejection: {
        status: 404,
        error: 'target-database-not-found',
        problems: [{ field: 'target.database' }],
      },
    });
  });

  it('refuses with 409s: an existing table (new-tables), an incompatible one, an exported one', async () => {
    expect(
      await resolveRestore(deps({ Orders: ['Ts:datetime', 'Id:long', 'Added:string'] }), request()),
    ).toMatchObject({
      rejection: { status: 409, error: 'target-table-exists', problems: [{ field: 'target.tables.Orders' }] },
    });
    const thin = await resolveRestore(
      deps({ Orders: ['Ts:datetime', 'Id:string'] }),
      request({ mode: 'append' }),
    );
    expect(thin).toMatchObject({ rejection: { status: 409, error: 'target-table-incompatible' } });
    if (!('rejection' in thin)) throw new Error('accepted');
    expect(thin.rejection.problems[0]!.message).toContain(
      "column 'Id' is string, the backup has long; column 'Added:string' is missing",
    );
    const exported = deps({ Orders: ['Ts:datetime', 'Id:long', 'Added:string', 'More:int'] }, [
      { name: 'OrdersOut', query: 'Orders' },
    ]);
    expect(await resolveRestore(exported, request({ mode: 'append' }))).toMatchObject({
      rejection: { status: 409, error: 'target-exported' },
    });
    expect(
      await resolveRestore(exported, request({ mode: 'append', allowExportedTarget: true })),
    ).toMatchObject({
      resolved: {
        tables: [{ targetExists: true, exportedBy: ['OrdersOut'] }],
        warnings: ["rows restored into 'Orders' may be exported again by continuous export OrdersOut"],
      },
    });
  });

  it('does not count a target table an earlier run of the same restore created', async () => {
    const outcome = await resolveRestore(
      deps({ Orders: ['Ts:datetime', 'Id:long', 'Added:string'] }),
      request(),
      new Set(['Orders']),
    );
    expect(outcome).toMatchObject({ resolved: { tables: [{ targetExists: false }] } });
  });

  it('refuses two tables restored into one name', async () => {
    const outcome = await resolveRestore(
      deps({}),
      request({ source: { ...request().source, tables: 'all' }, renames: { Lines: 'Orders' } }),
    );
    expect(outcome).toMatchObject({ rejection: { status: 400, error: 'invalid-request' } });
  });
});
