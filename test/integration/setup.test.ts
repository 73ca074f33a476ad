/**
 * Acceptance of the whole-database backup setup against the ADX emulator and Azurite: the HTTP
 * starter, the orchestrations (through the durable replay kit) and every activity with the real
 * gateway and catalog. Five tables: one without a datetime column, a 3,000,000-row table whose
 * exports fail above 1,000,000 rows (so a chunk is split), one with rows that have no ingestion
 * time, one receiving rows after setup (exported by the continuous export), and an empty one.
 * For each, the rows read back from the backup's parquet files equal the source rows exactly.
 * A second run sends no mutating command.
 */
import { HttpRequest, InvocationContext } from '@azure/functions';
import { StorageSharedKeyCredential } from '@azure/storage-blob';
import { loadConfig } from '../../lib/config';
import { makeSetupHandler } from '../../lib/http/setup';
import { SdkKustoGateway } from '../../lib/kusto/sdkGateway';
import { OrchestratorNames } from '../../lib/names';
import type { SetupDatabaseInput, SetupResult } from '../../lib/orchestrations/setupDatabase';
import { CatalogStore } from '../../lib/storage/catalog';
import { createTextBlobStore } from '../../lib/storage/textBlobs';
import { startEmulator, type EmulatorHandle } from '../emulator/index';
import { appendExtent, createTable } from '../emulator/tables';
import { backupArtifacts, canonical, readRows, sourceRows } from '../helpers/backupReadBack';
import { DurableReplayer } from '../helpers/durableReplay';
import { FakeDurableClient, recordingGateway, registerForTest, silentLogger } from '../helpers/setupHarness';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const DB = 'sales';
const BIG_ROWS = 3_000_000;
const SLICE = 250_000;

let emu: EmulatorHandle;
let gateway: ReturnType<typeof recordingGateway>;
let catalog: CatalogStore;
let container: string;
const client = new FakeDurableClient();
const context = new InvocationContext({ functionName: 'test', logHandler: () => undefined });

/** Big: day 1 holds 1.5M rows in six extents 4 h apart (too many for one export), days 2-7 250k each. */
function seedBig(start: number): void {
  const db = emu.state.database(DB)!;
  createTable(db, 'Big', [
    { name: 'Timestamp', type: 'datetime' },
    { name: 'Id', type: 'long' },
  ]);
  const base = start - 30 * DAY;
  let id = 0;
  const slice = (): (number | null)[][] => {
    const rows: (number | null)[][] = new Array(SLICE);
    for (let k = 0; k < SLICE; k++, id++) rows[k] = [base + id * 1000, id];
    return rows;
  };
  for (let h = 0; h < 24; h += 4) {
    emu.clock.set(new Date(start + h * HOUR));
    appendExtent(emu.state, DB, 'Big', slice());
  }
  for (let d = 1; d < 7; d++) {
    emu.clock.set(new Date(start + d * DAY + HOUR));
    appendExtent(emu.state, DB, 'Big', slice());
  }
}

function seed(): void {
  const start = emu.clock.now().getTime();
  const db = emu.createDatabase(DB);
  seedBig(start);
  createTable(db, 'NoTime', [
    { name: 'Id', type: 'long' },
    { name: 'Name', type: 'string' },
  ]);
  appendExtent(
    emu.state,
    DB,
    'NoTime',
    Array.from({ length: 1000 }, (_, i) => [i, `name-${i}`]),
  );
  const nulls = createTable(db, 'NullTimes', [
    { name: 'Timestamp', type: 'datetime' },
    { name: 'Id', type: 'long' },
  ]).table;
  nulls.ingestionTimePolicy = false;
  appendExtent(
    emu.state,
    DB,
    'NullTimes',
    Array.from({ length: 500 }, (_, i) => [start - DAY + i, i]),
  );
  nulls.ingestionTimePolicy = true;
  emu.clock.set(new Date(start + 2 * DAY));
  appendExtent(
    emu.state,
    DB,
    'NullTimes',
    Array.from({ length: 500 }, (_, i) => [start + i, 500 + i]),
  );
  // Left off: setup must turn it on (continuous export needs it).
  nulls.ingestionTimePolicy = false;
  createTable(db, 'Live', [
    { name: 'Timestamp', type: 'datetime' },
    { name: 'Value', type: 'real' },
  ]);
  appendExtent(
    emu.state,
    DB,
    'Live',
    Array.from({ length: 2000 }, (_, i) => [start + i * 60_000, i / 4]),
  );
  createTable(db, 'Empty', [
    { name: 'Timestamp', type: 'datetime' },
    { name: 'Id', type: 'long' },
  ]);
  emu.clock.set(new Date(start + 8 * DAY));
}

beforeAll(async () => {
  emu = await startEmulator();
  container = `${emu.storage.blobUrl}/backup`;
  const sdk = new SdkKustoGateway({
    clusterUri: emu.url,
    retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
  });
  // Replayed timers fire at once; a short real pause per poll lets emulator exports make progress.
  gateway = recordingGateway(sdk, { pollDelayMs: 20 });
  catalog = CatalogStore.fromConnectionString(emu.storage.connectionString);
  const credential = new StorageSharedKeyCredential(emu.storage.account, emu.storage.accountKey);
  registerForTest({
    gatewayFor: () => gateway,
    catalog,
    blobs: createTextBlobStore(credential),
    logger: silentLogger,
  });
  seed();
  emu.faults.exportRowLimit = 1_000_000;
}, 120_000);

afterAll(async () => {
  gateway?.close();
  await emu?.stop();
});

const config = () =>
  loadConfig({
    ADX_BACKUP_CONTAINERS: container,
    ADX_BACKUP_EXPORT_MANAGED_IDENTITY: 'system',
    ADX_BACKUP_CHUNK_TARGET_ROWS: '600000',
    ADX_BACKUP_SETUP_PARALLELISM: '5',
  });

async function startViaHttp(): Promise<{ input: SetupDatabaseInput; instanceId: string }> {
  const handler = makeSetupHandler({
    config,
    gatewayFor: () => gateway,
    durableClient: client.asDependency(),
  });
  const req = new HttpRequest({
    url: `http://localhost/api/backups/${DB}/setup`,
    method: 'POST',
    params: { database: DB },
    body: { string: JSON.stringify({ clusterUri: emu.url }) },
  });
  const res = await handler(req, context);
  expect(res.status).toBe(202);
  const started = client.started.pop()!;
  expect(started.name).toBe(OrchestratorNames.setupDatabase);
  return { input: started.input as SetupDatabaseInput, instanceId: started.instanceId };
}

test('sets up every table; backup rows equal source rows; a rerun changes nothing', async () => {
  const { input, instanceId } = await startViaHttp();
  const first = await new DurableReplayer().run(OrchestratorNames.setupDatabase, input, { instanceId });
  expect(first.error).toBeUndefined();
  expect(first.status).toBe('Completed');
  const result = first.output as SetupResult;
  const byTable = new Map(result.tables.map((t) => [t.table, t] as const));
  expect([...byTable.keys()].sort()).toEqual(['Big', 'Empty', 'Live', 'NoTime', 'NullTimes']);
  expect(result.tables.every((t) => t.status === 'ready')).toBe(true);
  expect(byTable.get('Big')!.historical).toEqual({ chunks: 5, rows: BIG_ROWS, skipped: false });
  expect(byTable.get('NullTimes')!.changed.some((c) => c.startsWith('ingestion-time-policy'))).toBe(true);
  expect(result.snapshots).toBe(1);
  // The 1.5M-row day failed for memory and was split into halves that succeeded.
  const splits = (await catalog.listChunks(emu.url, DB, 'Big')).filter((c) => c.state === 'split');
  expect(splits).toHaveLength(1);

  // Rows arriving after setup reach the backup through the continuous export.
  const start = emu.clock.now().getTime();
  appendExtent(
    emu.state,
    DB,
    'Live',
    Array.from({ length: 300 }, (_, i) => [start + i * 1000, 1000 + i]),
  );
  await emu.clock.advance(10 * 60_000);
  await emu.idle();

  for (const table of ['NoTime', 'NullTimes', 'Live', 'Empty']) {
    const { historical, continuous } = await backupArtifacts(catalog, gateway, DB, table);
    const restored = await readRows(emu, [...historical, ...continuous]);
    expect({ table, rows: canonical(restored) }).toEqual({
      table,
      rows: canonical(sourceRows(emu, DB, table)),
    });
    if (table === 'Live') expect(continuous.length).toBeGreaterThan(0);
  }
  // Big: every Id exactly once, with its own timestamp (no gap, no duplicate).
  const big = await backupArtifacts(catalog, gateway, DB, 'Big');
  const rows = await readRows(emu, [...big.historical, ...big.continuous]);
  expect(rows).toHaveLength(BIG_ROWS);
  const seen = new Uint8Array(BIG_ROWS);
  const base = sourceRows(emu, DB, 'Big')[0]![0] as number;
  let wrong = 0;
  for (const [ts, id] of rows as [number, number][]) {
    if (seen[id] === 1 || ts !== base + id * 1000) wrong++;
    seen[id] = 1;
  }
  expect(wrong).toBe(0);
  expect(seen.every((s) => s === 1)).toBe(true);

  const stored = await createTextBlobStore(
    new StorageSharedKeyCredential(emu.storage.account, emu.storage.accountKey),
  ).latestText(container, `${DB}/_schema/`);
  expect(stored?.name).toMatch(/^sales\/_schema\/\d{8}T\d{6}Z\.kql$/);
  expect(stored?.text).toContain('Big');

  // Second run: read commands only, and no historical export.
  client.statuses.set(instanceId, 'Completed');
  const again = await startViaHttp();
  expect(again.instanceId).toBe(instanceId);
  const mark = emu.commandLog.length;
  const second = await new DurableReplayer().run(OrchestratorNames.setupDatabase, again.input, {
    instanceId,
  });
  expect(second.status).toBe('Completed');
  const mutating = emu.commandLog.slice(mark).filter((e) => e.mutating);
  expect(mutating.map((e) => e.text)).toEqual([]);
  expect(
    (second.output as SetupResult).tables.every((t) => t.changed.length === 0 && t.historical?.skipped),
  ).toBe(true);
}, 600_000);
