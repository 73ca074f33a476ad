/**
 * Acceptance of the deletion ledger against the ADX emulator and Azurite, through the HTTP handlers,
 * the real gateway (azure-kusto-data), the real ledger and catalog (Table Storage) and real parquet
 * artifacts in blob storage.
 *
 * The backup is set up by hand here (an external table partitioned by day, two `.export to table`
 * runs, the artifacts recorded as committed in the catalog, plus one orphan duplicate), since setup
 * is another module. The "restore" is a simulation, honest about its scope: the committed artifacts
 * are ingested into a staging table with direct `.ingest into` (not the restore's queued ingestion,
 * batching, tagging or `.move extents`), then `applyLedgerToTable` runs, then the staging rows are
 * compared. What it proves is the ledger part: rows the backup still holds are removed before data
 * becomes visible.
 */
import { HttpRequest, InvocationContext } from '@azure/functions';
import { BlobClient, BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { Client } from 'azure-kusto-data';
import { applyLedgerToTable, ledgerEntriesFor } from '../../lib/deletions/restore';
import type { DeletionDeps } from '../../lib/http/deletions';
import {
  makeDeletionScrubHandler,
  makeDeletionsCreateHandler,
  makeDeletionsListHandler,
} from '../../lib/http/deletions';
import { createOrAlterExternalTable, createTable } from '../../lib/kusto/commands';
import { SdkKustoGateway } from '../../lib/kusto/sdkGateway';
import { CatalogStore, type ArtifactRecord } from '../../lib/storage/catalog';
import { LedgerStore } from '../../lib/storage/ledger';
import { startEmulator, type EmulatorHandle } from '../emulator/index';
import { readParquet } from '../emulator/parquet';
import { blobRemover } from '../../lib/wiring/deletionDeps';
import { DefaultAzureCredential } from '@azure/identity';

const DB = 'Sales';
const EXT = 'adxbackup_Orders';
const COLUMNS = [
  { name: 'Id', type: 'long' },
  { name: 'Customer', type: 'string' },
  { name: 'Amount', type: 'long' },
  { name: 'Ts', type: 'datetime' },
];
const CUSTOMERS = ['alice', 'bob', 'carol', 'dave'];

/** 24 rows over 3 days; alice has 3 of them, all in the first half; 3 rows have Amount > 900. */
const ROWS = Array.from({ length: 24 }, (_, i) => ({
  Id: i + 1,
  Customer: i < 12 ? CUSTOMERS[i % 4]! : CUSTOMERS[1 + (i % 3)]!,
  Amount: i % 8 === 7 ? 950 + i : 10 * i,
  Ts: new Date(Date.UTC(2025, 11, 29 + (i % 3), i % 24)).toISOString(),
}));
const csv = (rows: typeof ROWS) => rows.map((r) => `${r.Id},${r.Customer},${r.Amount},${r.Ts}`).join('\n');
const ids = (rows: readonly { readonly [key: string]: unknown }[]) =>
  rows.map((r) => Number(r.Id)).sort((a, b) => a - b);

let emu: EmulatorHandle;
let kusto: Client;
let gateway: SdkKustoGateway;
let ledger: LedgerStore;
let catalog: CatalogStore;
let deps: () => DeletionDeps;
let credential: StorageSharedKeyCredential;
const context = new InvocationContext({ functionName: 'test', logHandler: () => undefined });
let idCount = 0;

const run = async (text: string): Promise<Record<string, unknown>[]> => {
  const primary = (await kusto.execute(DB, text)).primaryResults[0];
  return primary ? [...primary.rows()].map((r) => r.toJSON<Record<string, unknown>>()) : [];
};
const post = (url: string, body: unknown, params: Record<string, string> = {}) =>
  new HttpRequest({ url, method: 'POST', body: { string: JSON.stringify(body) }, params });

async function readArtifact(url: string): Promise<Record<string, unknown>[]> {
  const buffer = await new BlobClient(url, credential).downloadToBuffer();
  const file = await readParquet(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength));
  return file.rows.map((row) => Object.fromEntries(file.columns.map((c, i) => [c.name, row[i]])));
}

/** Every blob under the table's backup folder. */
async function backupBlobs(): Promise<string[]> {
  const container = BlobServiceClient.fromConnectionString(emu.storage.connectionString).getContainerClient(
    'backup',
  );
  const urls: string[] = [];
  for await (const b of container.listBlobsFlat({ prefix: `${DB}/Orders/` }))
    urls.push(container.getBlobClient(b.name).url);
  return urls.sort();
}

const committed = async (): Promise<ArtifactRecord[]> =>
  (await catalog.listArtifacts(DB, 'Orders')).filter((a) => a.state === 'committed');

/** Records export answers in the catalog. */
async function recordArtifacts(
  answer: Record<string, unknown>[],
  state: ArtifactRecord['state'],
): Promise<void> {
  await catalog.putArtifacts(
    answer.map((a) => {
      const path = String(a.Path);
      const day = /\/(\d{4})(\d{2})(\d{2})\//.exec(path)!;
      return {
        database: DB,
        table: 'Orders',
        path,
        partitionDate: `${day[1]}-${day[2]}-${day[3]}`,
        numRecords: Number(a.NumRecords),
        sizeInBytes: Number(a.SizeInBytes),
        source: 'historical',
        state,
        committedAt: '2026-01-01T00:00:00.000Z',
        chunkId: 'manual',
      };
    }),
  );
}

beforeAll(async () => {
  emu = await startEmulator({ databases: [DB] });
  kusto = new Client(emu.url);
  gateway = new SdkKustoGateway({ clusterUri: emu.url, retry: { attempts: 1 } });
  ledger = LedgerStore.fromConnectionString(emu.storage.connectionString);
  catalog = CatalogStore.fromConnectionString(emu.storage.connectionString);
  credential = new StorageSharedKeyCredential(emu.storage.account, emu.storage.accountKey);

  await gateway.execute(DB, createTable('Orders', COLUMNS));
  await gateway.execute(DB, createTable('Users', [{ name: 'Customer', type: 'string' }]));
  await run(`.ingest inline into table Orders <| ${csv(ROWS.slice(0, 12))}`);
  await run(`.ingest inline into table Users <| alice`);
  // The backup: day-partitioned parquet, two export runs (two artifacts per day folder).
  await gateway.execute(
    DB,
    createOrAlterExternalTable({
      name: EXT,
      columns: COLUMNS,
      partitionColumn: 'Ts',
      storage: [
        {
          account: emu.storage.account,
          container: 'backup',
          path: [DB, 'Orders'],
          auth: { kind: 'impersonate' },
          endpoint: emu.storage.blobUrl,
        },
      ],
    }),
  );
  await recordArtifacts(await run(`.export to table ${EXT} <| Orders`), 'committed');
  await run(`.ingest inline into table Orders <| ${csv(ROWS.slice(12))}`);
  await recordArtifacts(await run(`.export to table ${EXT} <| Orders | where Id > 12`), 'committed');
  // A duplicate left by a failed run: in storage and the catalog, but never restored.
  await recordArtifacts(
    await run(`.export to table ${EXT} <| Orders | where Customer == 'alice' and Id <= 3`),
    'orphan',
  );
  await catalog.putTable({
    cluster: emu.url,
    database: DB,
    table: 'Orders',
    state: 'ready',
    exportName: EXT,
    externalTableName: EXT,
    partitionColumn: 'Ts',
    startCursor: null,
    columns: COLUMNS,
    historicalChunks: 1,
    historicalRows: ROWS.length,
    lastError: null,
    updatedAt: '2026-01-01T00:00:00.000Z',
  });

  deps = () => ({
    gatewayFor: () => gateway,
    ledger,
    catalog,
    // The production remover, on Azurite through its connection string.
    blobs: blobRemover(new DefaultAzureCredential(), emu.storage.connectionString),
    storageAuth: { kind: 'impersonate' },
    defaultClusterUri: emu.url,
    now: () => new Date(),
    newId: () => `5c1e0000-0000-4000-8000-${String(++idCount).padStart(12, '0')}`,
  });
}, 120_000);

afterAll(async () => {
  gateway?.close();
  kusto?.close();
  await emu?.stop();
});

let purgeId: string;

test('purge and soft delete on the source; a simulated restore with the ledger applied does not resurrect them', async () => {
  expect(await committed()).toHaveLength(6);
  const create = makeDeletionsCreateHandler(deps);
  const purge = await create(
    post('http://localhost/api/deletions', {
      database: DB,
      table: 'Orders',
      predicate: "Customer == 'alice'",
      kind: 'purge',
    }),
    context,
  );
  expect(purge.status).toBe(201);
  purgeId = (purge.jsonBody as { deletion: { id: string; status: string } }).deletion.id;
  const soft = await create(
    post('http://localhost/api/deletions', {
      database: DB,
      table: 'Orders',
      predicate: 'Amount > 900',
      kind: 'delete',
      requestedBy: 'ticket-7',
    }),
    context,
  );
  expect(soft.status).toBe(201);
  expect(soft.jsonBody).toMatchObject({
    deletion: { status: 'succeeded', requestedBy: 'ticket-7', details: { recordsDeleted: 3 } },
  });

  const expected = ROWS.filter((r) => r.Customer !== 'alice' && r.Amount <= 900);
  expect(ids(await run('Orders'))).toEqual(ids(expected));

  // "Restore": every committed artifact into a staging table; the backup still holds the deleted rows.
  await gateway.execute(DB, createTable('Orders_staging', COLUMNS));
  for (const a of await committed())
    await run(`.ingest into table Orders_staging (h'${a.path}') with (format='parquet')`);
  expect(ids(await run('Orders_staging'))).toEqual(ids(ROWS));

  const result = await applyLedgerToTable(
    gateway,
    DB,
    'Orders_staging',
    await ledgerEntriesFor(ledger, DB, 'Orders'),
  );
  expect(result.applied.map((a) => [a.kind, a.recordsDeleted])).toEqual([
    ['purge', 3],
    ['delete', 3],
  ]);
  const restored = await run('Orders_staging');
  expect(ids(restored)).toEqual(ids(expected));
  expect(restored.some((r) => r.Customer === 'alice' || Number(r.Amount) > 900)).toBe(false);
});

test('scrub rewrites the backup: no artifact holds a purged row, every other row is there exactly once', async () => {
  const before = await committed();
  const res = await makeDeletionScrubHandler(deps)(
    post(`http://localhost/api/deletions/${purgeId}/scrub`, {}, { id: purgeId }),
    context,
  );
  expect(res.status).toBe(200);
  expect(res.jsonBody).toMatchObject({
    scrub: {
      outcome: 'succeeded',
      details: { examined: 6, rewritten: 3, removed: 0, rowsRemoved: 3, orphansDeleted: 1, failures: [] },
    },
  });

  const after = await committed();
  const rows: Record<string, unknown>[] = [];
  for (const a of after) {
    const content = await readArtifact(a.path);
    expect(content).toHaveLength(a.numRecords!);
    rows.push(...content);
  }
  // The soft delete was not scrubbed: its rows stay in the backup (the restore re-applies it).
  expect(ids(rows)).toEqual(ids(ROWS.filter((r) => r.Customer !== 'alice')));
  // Nothing in the table's folder holds a purged row any more: replaced files and the orphan are gone.
  const blobs = await backupBlobs();
  expect(blobs).toEqual(after.map((a) => a.path).sort());
  for (const url of blobs) expect((await readArtifact(url)).some((r) => r.Customer === 'alice')).toBe(false);
  // Artifacts without a purged row (the second export's) were left as they were.
  expect(before.filter((a) => blobs.includes(a.path)).map((a) => a.path)).toHaveLength(3);
  // The temporary external table is gone; the ledger audited the scrub and still verifies.
  expect([...emu.state.database(DB)!.externalTables.keys()]).toEqual([EXT]);
  const chain = await ledger.readTable(DB, 'Orders');
  expect(chain.verification.valid).toBe(true);
  expect(chain.entries.map((e) => e.type)).toEqual([
    'deletion',
    'execution',
    'deletion',
    'execution',
    'scrub',
  ]);

  // A second scrub finds nothing to do and rewrites nothing.
  const mark = emu.commandLog.length;
  const again = await makeDeletionScrubHandler(deps)(
    post(`http://localhost/api/deletions/${purgeId}/scrub`, {}, { id: purgeId }),
    context,
  );
  expect(again.jsonBody).toMatchObject({ scrub: { outcome: 'succeeded', details: { rowsRemoved: 0 } } });
  expect(emu.commandLog.slice(mark).filter((c) => c.verb.startsWith('export'))).toEqual([]);
});

test('hostile or invalid predicates get a 400 and change nothing', async () => {
  const hostile: [string, string][] = [
    ['another table', 'Customer in (Users | project Customer)'],
    ['another table through toscalar', "toscalar(Users | count) > 0 and Customer == 'bob'"],
    ['externaldata', "Customer in (externaldata(Customer:string) [h@'https://evil.example.com/x.csv'])"],
    ['a pipe', "Customer == 'bob' | project Id"],
    ['a second statement', "Customer == 'bob'; .drop table Users"],
    ['a second command on a new line', "Customer == 'bob'\n.drop table Orders"],
    ['ingestion_time()', 'ingestion_time() < datetime(2030-01-01)'],
    ['2 MB of text', `Customer == '${'x'.repeat(2 * 1024 * 1024)}'`],
    ['an unknown column', "Email == 'alice@example.com'"],
  ];
  const create = makeDeletionsCreateHandler(deps);
  const list = makeDeletionsListHandler(deps);
  const entriesBefore = (await ledger.readDatabase(DB)).flatMap((c) => c.entries);
  const rowsBefore = JSON.stringify(await run('Orders | order by Id asc'));
  const mark = emu.commandLog.length;
  for (const [label, predicate] of hostile) {
    const res = await create(
      post('http://localhost/api/deletions', { database: DB, table: 'Orders', predicate, kind: 'purge' }),
      context,
    );
    expect([label, res.status, (res.jsonBody as { field?: string }).field]).toEqual([
      label,
      400,
      'predicate',
    ]);
  }
  const sent = emu.commandLog.slice(mark);
  expect(sent.filter((c) => c.mutating)).toEqual([]);
  // At most the one schema read per request (none for the oversize one).
  expect(sent.every((c) => c.verb === 'show table schema as json')).toBe(true);
  expect(sent.length).toBeLessThan(hostile.length);
  expect((await ledger.readDatabase(DB)).flatMap((c) => c.entries)).toEqual(entriesBefore);
  expect(JSON.stringify(await run('Orders | order by Id asc'))).toBe(rowsBefore);
  expect(ids(await run('Users'))).toHaveLength(1);
  const listed = await list(
    new HttpRequest({ url: `http://localhost/api/deletions?database=${DB}`, method: 'GET' }),
    context,
  );
  expect((listed.jsonBody as { tables: { deletions: unknown[] }[] }).tables[0]!.deletions).toHaveLength(2);
});
