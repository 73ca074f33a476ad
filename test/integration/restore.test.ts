/**
 * Acceptance of the restore against the ADX emulator and Azurite, through the HTTP handlers, the
 * orchestrations (durable replay kit) and every activity with the real gateway, catalog, ledger and
 * restore state, and queued ingestion through the emulator's data-management side.
 *
 * The seed scenario: a table created and filled with `.ingest inline`, backed up by the setup
 * orchestration (historical export), then a purge and a soft delete through the deletion ledger's
 * HTTP API. Restoring into a second database gives exactly the source rows minus those deletions.
 * Also: bad requests (400, field by field), unknown names (404), refused targets (409), a dry run,
 * an exported target (refused, then restored with a warning), and nothing created on any rejection.
 */
import { HttpRequest, InvocationContext } from '@azure/functions';
import { StorageSharedKeyCredential } from '@azure/storage-blob';
import { DefaultAzureCredential } from '@azure/identity';
import { Client } from 'azure-kusto-data';
import { loadConfig } from '../../lib/config';
import { makeDeletionsCreateHandler } from '../../lib/http/deletions';
import type { DeletionDeps } from '../../lib/http/deletions';
import { makeSetupHandler } from '../../lib/http/setup';
import {
  createOrAlterContinuousExport,
  createOrAlterExternalTable,
  createTable,
} from '../../lib/kusto/commands';
import { OrchestratorNames } from '../../lib/names';
import { createTextBlobStore } from '../../lib/storage/textBlobs';
import { blobRemover } from '../../lib/wiring/deletionDeps';
import { startEmulator, type EmulatorHandle } from '../emulator/index';
import { canonical, sourceRows } from '../helpers/backupReadBack';
import { DurableReplayer } from '../helpers/durableReplay';
import { RestoreHarness } from '../helpers/restoreHarness';
import { FakeDurableClient, registerForTest, silentLogger } from '../helpers/setupHarness';

const SRC = 'Sales';
const DST = 'Restored';
const DAY = 86_400_000;
const context = new InvocationContext({ functionName: 'test', logHandler: () => undefined });

let emu: EmulatorHandle;
let h: RestoreHarness;
let kusto: Client;
let deletionIds = 0;

/** 60 orders over 5 days; alice has every 7th; amounts above 900 on every 9th. */
const ORDERS = Array.from({ length: 60 }, (_, i) => ({
  Ts: new Date(Date.UTC(2025, 11, 1) + (i % 5) * DAY + i * 60_000).toISOString(),
  Id: i + 1,
  Customer: i % 7 === 0 ? 'alice' : `c${i % 5}`,
  Amount: i % 9 === 0 ? 950 + i : 10 * i,
}));

const run = async (db: string, text: string): Promise<Record<string, unknown>[]> => {
  const primary = (await kusto.execute(db, text)).primaryResults[0];
  return primary ? [...primary.rows()].map((r) => r.toJSON<Record<string, unknown>>()) : [];
};

/** Backs the source up through the setup orchestration, as an operator would. */
async function setUpBackup(): Promise<void> {
  const credential = new StorageSharedKeyCredential(emu.storage.account, emu.storage.accountKey);
  registerForTest({
    gatewayFor: () => h.gateway,
    catalog: h.catalog,
    blobs: createTextBlobStore(credential),
    logger: silentLogger,
  });
  const client = new FakeDurableClient();
  const handler = makeSetupHandler({
    config: () =>
      loadConfig({ ADX_BACKUP_CONTAINERS: h.container, ADX_BACKUP_EXPORT_MANAGED_IDENTITY: 'system' }),
    gatewayFor: () => h.gateway,
    durableClient: client.asDependency(),
  });
  const res = await handler(
    new HttpRequest({
      url: `http://localhost/api/backups/${SRC}/setup`,
      method: 'POST',
      params: { database: SRC },
      body: { string: JSON.stringify({ clusterUri: emu.url }) },
    }),
    context,
  );
  expect(res.status).toBe(202);
  const started = client.started.pop()!;
  const result = await new DurableReplayer().run(OrchestratorNames.setupDatabase, started.input, {
    instanceId: started.instanceId,
  });
  expect(result.error).toBeUndefined();
  expect(result.status).toBe('Completed');
}

/** A purge and a soft delete through the deletion ledger's HTTP API. */
async function deleteThroughLedger(): Promise<void> {
  const deps = (): DeletionDeps => ({
    gatewayFor: () => h.gateway,
    ledger: h.ledger,
    catalog: h.catalog,
    blobs: blobRemover(new DefaultAzureCredential(), emu.storage.connectionString),
    storageAuth: { kind: 'impersonate' },
    defaultClusterUri: emu.url,
    now: () => new Date(),
    newId: () => `5c1e0000-0000-4000-8000-${String(++deletionIds).padStart(12, '0')}`,
  });
  const create = makeDeletionsCreateHandler(deps);
  for (const [kind, predicate] of [
    ['purge', "Customer == 'alice'"],
    ['delete', 'Amount > 900'],
  ] as const) {
    const res = await create(
      new HttpRequest({
        url: 'http://localhost/api/deletions',
        method: 'POST',
        body: { string: JSON.stringify({ database: SRC, table: 'Orders', predicate, kind }) },
      }),
      context,
    );
    expect(res.status).toBe(201);
  }
}

beforeAll(async () => {
  emu = await startEmulator({ databases: [SRC, DST] });
  kusto = new Client(emu.url);
  h = new RestoreHarness(emu);
  await run(SRC, '.create table Orders (Ts:datetime, Id:long, Customer:string, Amount:long)');
  await run(
    SRC,
    `.ingest inline into table Orders <| ${ORDERS.map((o) => `${o.Ts},${o.Id},${o.Customer},${o.Amount}`).join('\n')}`,
  );
  await setUpBackup();
  await deleteThroughLedger();
}, 180_000);

afterAll(async () => {
  h?.close();
  kusto?.close();
  await emu?.stop();
});

const restoreBody = (extra: Record<string, unknown> = {}) => ({
  source: { database: SRC, tables: ['Orders'] },
  target: { clusterUri: emu.url, database: DST },
  ...extra,
});

test('the seed scenario: the second database gets exactly the source rows minus the ledger deletions', async () => {
  const source = canonical(sourceRows(emu, SRC, 'Orders'));
  expect(source.length).toBe(ORDERS.filter((o) => o.Customer !== 'alice' && o.Amount <= 900).length);
  const mark = emu.commandLog.length;
  const result = await h.restore(restoreBody({ restoreId: 'seed' }));
  expect(result.error).toBeUndefined();
  expect(result.status).toBe('Completed');
  expect(canonical(sourceRows(emu, DST, 'Orders'))).toEqual(source);
  const staging = [...emu.state.database(DST)!.tables.keys()].filter((t) => t.startsWith('__restore_'));
  expect(staging).toEqual([]);
  const sent = emu.commandLog
    .slice(mark)
    .filter((c) => c.database === DST && c.mutating)
    .map((c) => c.verb);
  // Target and staging created from the snapshot, the two ledger deletions, the move, the clean-up.
  expect(sent).toEqual([
    'create table',
    'create-merge table',
    'delete table records',
    'delete table records',
    'move extents',
    'drop table ifexists',
  ]);
  // Every ingestion queue the DM lists got messages.
  expect([...h.sentPerQueue.values()].filter((n) => n > 0)).toHaveLength(4);
  // Extents keep their day: creation time is the partition folder's date.
  const days = new Set(
    emu.state
      .database(DST)!
      .tables.get('Orders')!
      .extents.map((e) => new Date(e.creationTime).toISOString()),
  );
  expect([...days].every((d) => d.endsWith('T00:00:00.000Z'))).toBe(true);
  const status = await h.get('seed');
  expect(status.status).toBe(200);
  expect(status.body).toMatchObject({
    status: 'completed',
    tables: [
      {
        source: 'Orders',
        state: 'completed',
        rows: { expected: 60, ingested: 60 },
        folders: { total: 5, done: 5 },
      },
    ],
    report: { totals: { rowsExpected: 60, rowsRestored: source.length, rowsDeleted: 60 - source.length } },
  });
});

test('bad requests are 400 field by field, unknown names 404, refused targets 409; nothing is created', async () => {
  const before = JSON.stringify([...emu.state.database(DST)!.tables.keys()].sort());
  const mark = emu.commandLog.length;
  const bad = await h.post({
    source: { database: 'Sa/les', tables: [] },
    target: { database: DST },
    mode: 'sideways',
    asOf: 'yesterday',
    extra: 1,
  });
  expect(bad.status).toBe(400);
  const fields = (bad.body.problems as { field: string }[]).map((p) => p.field).sort();
  expect(fields).toEqual(['asOf', 'extra', 'mode', 'source.tables']);
  const names = await h.post({
    source: { database: 'Sa/les', tables: ['A', 'A'] },
    target: { database: DST },
    renames: { B: 'X' },
  });
  expect(names.status).toBe(400);
  expect((names.body.problems as { field: string }[]).map((p) => p.field).sort()).toEqual([
    'renames.B',
    'source.database',
    'source.tables[1]',
  ]);
  expect((await h.post('{not json')).status).toBe(400);
  const unknownTable = await h.post(restoreBody({ source: { database: SRC, tables: ['Orders', 'Nope'] } }));
  expect([unknownTable.status, unknownTable.body.field]).toEqual([404, 'source.tables[1]']);
  const unknownDb = await h.post(restoreBody({ target: { clusterUri: emu.url, database: 'Nowhere' } }));
  expect([unknownDb.status, unknownDb.body.error]).toEqual([404, 'target-database-not-found']);
  const noBackup = await h.post(restoreBody({ asOf: '2020-01-01T00:00:00Z' }));
  expect([noBackup.status, noBackup.body.field]).toEqual([404, 'asOf']);
  const exists = await h.post(restoreBody());
  expect([exists.status, exists.body.error]).toEqual([409, 'target-table-exists']);
  // The target table exists but lacks a column of the backup: incompatible, before any data moves.
  await run(DST, '.create table Thin (Ts:datetime, Id:long)');
  const thin = await h.post(restoreBody({ renames: { Orders: 'Thin' }, mode: 'append' }));
  expect([thin.status, thin.body.error]).toEqual([409, 'target-table-incompatible']);
  expect(String(thin.body.message)).toContain("column 'Customer:string' is missing");
  expect(emu.commandLog.slice(mark).filter((c) => c.mutating && !c.text.includes('Thin'))).toEqual([]);
  expect(JSON.stringify([...emu.state.database(DST)!.tables.keys()].filter((t) => t !== 'Thin').sort())).toBe(
    before,
  );
  expect(h.client.started).toEqual([]);
});

test('a dry run answers the plan and the commands, and runs nothing', async () => {
  const mark = emu.commandLog.length;
  const res = await h.post(restoreBody({ dryRun: true, renames: { Orders: 'OrdersCopy' } }));
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({
    dryRun: true,
    plan: {
      totals: { folders: 5, expectedRows: 60 },
      tables: [
        {
          source: 'Orders',
          target: 'OrdersCopy',
          createsTarget: true,
          folders: 5,
          expectedRows: 60,
          deletions: 2,
          firstDay: '2025-12-01',
          lastDay: '2025-12-05',
        },
      ],
    },
  });
  const [table] = (res.body.plan as { tables: { commands: string[]; blobs: number }[] }).tables;
  expect(table!.blobs).toBeGreaterThanOrEqual(5);
  expect(table!.commands[0]).toMatch(/^\.create table \['OrdersCopy'\]/);
  expect(table!.commands.filter((c) => c.startsWith('.delete table'))).toHaveLength(2);
  expect(table!.commands.slice(-2)).toEqual([
    expect.stringMatching(
      /^\.move extents all from table \['__restore_[0-9a-f]{8}_OrdersCopy'\] to table \['OrdersCopy'\]$/,
    ),
    expect.stringMatching(/^\.drop table \['__restore_[0-9a-f]{8}_OrdersCopy'\] ifexists$/),
  ]);
  expect(emu.commandLog.slice(mark).filter((c) => c.mutating)).toEqual([]);
  expect(h.client.started).toEqual([]);
});

test('an exported target is refused unless allowed; then the report warns', async () => {
  await h.gateway.execute(
    DST,
    createTable('Exported', [
      { name: 'Ts', type: 'datetime' },
      { name: 'Id', type: 'long' },
      { name: 'Customer', type: 'string' },
      { name: 'Amount', type: 'long' },
    ]),
  );
  const storage = [
    {
      account: emu.storage.account,
      container: 'exports',
      path: ['x'],
      auth: { kind: 'impersonate' as const },
      endpoint: emu.storage.blobUrl,
    },
  ];
  const columns = [
    { name: 'Ts', type: 'datetime' },
    { name: 'Id', type: 'long' },
    { name: 'Customer', type: 'string' },
    { name: 'Amount', type: 'long' },
  ];
  await h.gateway.execute(DST, createOrAlterExternalTable({ name: 'ExportedExt', columns, storage }));
  await h.gateway.execute(
    DST,
    createOrAlterContinuousExport({
      name: 'ExportedOut',
      table: 'Exported',
      externalTable: 'ExportedExt',
      intervalBetweenRunsMs: 300_000,
      managedIdentity: 'system',
    }),
  );
  const body = restoreBody({ renames: { Orders: 'Exported' }, mode: 'append' });
  const refused = await h.post(body);
  expect([refused.status, refused.body.error, refused.body.field]).toEqual([
    409,
    'target-exported',
    'target.tables.Exported',
  ]);
  const result = await h.restore({ ...body, allowExportedTarget: true, restoreId: 'exported' });
  expect(result.status).toBe('Completed');
  expect(canonical(sourceRows(emu, DST, 'Exported'))).toEqual(canonical(sourceRows(emu, SRC, 'Orders')));
  const status = await h.get('exported');
  expect((status.body.report as { warnings: string[] }).warnings).toEqual([
    "rows restored into 'Exported' may be exported again by continuous export ExportedOut",
  ]);
});
