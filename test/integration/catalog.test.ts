/**
 * Acceptance of the artifact catalog against the ADX emulator and Azurite: backup set up by the real
 * setup orchestration (historical artifacts committed from operation details), Event Grid deliveries
 * from the emulator to the intake, and the reconcile (exported-artifacts, sweep, orphans,
 * quarantine) with the real gateway, catalog, watermarks and blob store.
 *
 * Faults injected: a dropped event for a partial file of a failed continuous-export run (only the
 * sweep can find it), a dropped event for a good continuous artifact (exported-artifacts commits it
 * anyway), a duplicated delivery, and a duplicate file written by an export nobody records (as a
 * lost historical operation's first run leaves). The committed artifacts must then be exactly the
 * source rows, once each, the verification must find every day ok, and a restore of the database
 * must give back exactly the source rows (the orphaned files are never restored).
 */
import { HttpRequest, InvocationContext } from '@azure/functions';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import type { IntakeOutcome } from '../../lib/catalog/intake';
import { recordArtifactEvent } from '../../lib/catalog/intake';
import type { ReconcileDeps } from '../../lib/catalog/reconcile';
import { reconcileDatabase } from '../../lib/catalog/reconcile';
import { loadConfig } from '../../lib/config';
import { makeSetupHandler } from '../../lib/http/setup';
import { SdkKustoGateway } from '../../lib/kusto/sdkGateway';
import { OrchestratorNames } from '../../lib/names';
import { createArtifactBlobStore } from '../../lib/storage/artifactBlobs';
import { CatalogStore, type ArtifactRecord } from '../../lib/storage/catalog';
import { createTextBlobStore } from '../../lib/storage/textBlobs';
import { createVerifyReportStore } from '../../lib/storage/verifyReports';
import { TableWatermarkStore } from '../../lib/storage/watermarks';
import { runVerification } from '../../lib/verify/run';
import { startEmulator, type EmulatorHandle } from '../emulator/index';
import { appendExtent, createTable } from '../emulator/tables';
import { canonical, readRows, sourceRows } from '../helpers/backupReadBack';
import { DurableReplayer } from '../helpers/durableReplay';
import { startEventGridSink, type EventGridSink } from '../helpers/eventGridSink';
import { memoryLedger } from '../helpers/memoryLedger';
import { RestoreHarness } from '../helpers/restoreHarness';
import { FakeDurableClient, recordingGateway, registerForTest, silentLogger } from '../helpers/setupHarness';

const DAY = 86_400_000;
const DB = 'shop';
const RESTORED = 'shopRestored';

let emu: EmulatorHandle;
let gateway: ReturnType<typeof recordingGateway>;
let catalog: CatalogStore;
let sink: EventGridSink<IntakeOutcome>;
let container: string;
let deps: ReconcileDeps;
let blobStore: ReturnType<typeof createArtifactBlobStore>;
let credential: StorageSharedKeyCredential;
const client = new FakeDurableClient();
const context = new InvocationContext({ functionName: 'test', logHandler: () => undefined });

/** Rows `[Timestamp, Id]`, `n` per day for `days` days ending the day before `end`. */
function dailyRows(end: number, days: number, n: number, firstId: number): [number, number][] {
  const rows: [number, number][] = [];
  for (let d = 0; d < days; d++)
    for (let k = 0; k < n; k++) rows.push([end - (days - d) * DAY + k * 60_000, firstId + d * n + k]);
  return rows;
}

async function setUp(): Promise<void> {
  const config = () =>
    loadConfig({ ADX_BACKUP_CONTAINERS: container, ADX_BACKUP_EXPORT_MANAGED_IDENTITY: 'system' });
  const handler = makeSetupHandler({
    config,
    gatewayFor: () => gateway,
    durableClient: client.asDependency(),
  });
  const res = await handler(
    new HttpRequest({
      url: `http://localhost/api/backups/${DB}/setup`,
      method: 'POST',
      params: { database: DB },
      body: { string: JSON.stringify({ clusterUri: emu.url }) },
    }),
    context,
  );
  expect(res.status).toBe(202);
  const started = client.started.pop()!;
  const run = await new DurableReplayer().run(OrchestratorNames.setupDatabase, started.input, {
    instanceId: started.instanceId,
  });
  expect(run.status).toBe('Completed');
}

const byPath = async (table: string): Promise<Map<string, ArtifactRecord>> =>
  new Map((await catalog.listArtifacts(DB, table)).map((a) => [a.path, a]));

beforeAll(async () => {
  sink = await startEventGridSink((event) =>
    recordArtifactEvent({ catalog, containers: [container] }, event),
  );
  emu = await startEmulator({ eventGridUrl: sink.url });
  container = `${emu.storage.blobUrl}/backup`;
  gateway = recordingGateway(
    new SdkKustoGateway({ clusterUri: emu.url, retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 } }),
    { pollDelayMs: 20 },
  );
  catalog = CatalogStore.fromConnectionString(emu.storage.connectionString);
  credential = new StorageSharedKeyCredential(emu.storage.account, emu.storage.accountKey);
  blobStore = createArtifactBlobStore({ credential });
  registerForTest({
    gatewayFor: () => gateway,
    catalog,
    blobs: createTextBlobStore(credential),
    logger: silentLogger,
  });
  deps = {
    gatewayFor: () => gateway,
    catalog,
    watermarks: TableWatermarkStore.fromConnectionString(emu.storage.connectionString),
    blobs: blobStore,
    containers: [container],
    orphanHorizonMs: DAY,
    quarantineOrphans: false,
    logger: silentLogger,
    now: () => new Date(),
  };
  const db = emu.createDatabase(DB);
  const start = emu.clock.now().getTime();
  createTable(db, 'Orders', [
    { name: 'Timestamp', type: 'datetime' },
    { name: 'Id', type: 'long' },
  ]);
  appendExtent(emu.state, DB, 'Orders', dailyRows(start, 5, 20, 0));
  createTable(db, 'Notes', [
    { name: 'Id', type: 'long' },
    { name: 'Text', type: 'string' },
  ]);
  appendExtent(emu.state, DB, 'Notes', [
    [1, 'a'],
    [2, 'b'],
  ]);
  await setUp();
  await emu.idle();
}, 120_000);

afterAll(async () => {
  gateway?.close();
  await emu?.stop();
  await sink?.stop();
});

test('events, lost events, duplicates, partial and duplicate files end in a catalog that restores exactly the source', async () => {
  const historical = [...(await byPath('Orders')).values()];
  expect(historical.length).toBe(5);
  // Setup committed them from operation details; their events (before or after) left that as it is.
  expect(historical.every((a) => a.state === 'committed' && a.source === 'historical')).toBe(true);
  const announced = sink.received.map((r) => r.outcome).filter((o) => o?.kind !== 'ignored');
  const announcedOrders = announced
    .map((o) => (o as { path: string }).path)
    .filter((p) => p.includes('/Orders/'));
  expect(new Set(announcedOrders)).toEqual(new Set(historical.map((a) => a.path)));

  // A continuous run over two days: the first file's event is dropped, the second's delivered twice.
  const now = emu.clock.now().getTime();
  appendExtent(emu.state, DB, 'Orders', dailyRows(now, 2, 5, 1000));
  emu.faults.eventGridDropNext = 1;
  emu.faults.eventGridDuplicateNext = 1;
  await emu.clock.advance(10 * 60_000);
  await emu.idle();
  const twice = sink.received.filter((r, i, all) => all.findIndex((o) => o.event.id === r.event.id) !== i);
  expect(twice).toHaveLength(1);
  expect(twice[0]!.outcome?.kind).toBe('known');

  // A run that fails after writing a truncated file whose event is lost; the next run succeeds.
  appendExtent(emu.state, DB, 'Orders', dailyRows(emu.clock.now().getTime(), 1, 5, 2000));
  emu.faults.partialFilesNext = 1;
  emu.faults.eventGridDropNext = 1;
  await emu.clock.advance(10 * 60_000);
  await emu.idle();
  await emu.clock.advance(10 * 60_000);
  await emu.idle();
  // A duplicate of rows already backed up, written by an export whose result nobody records.
  await gateway.execute(DB, {
    text: ".export to table ['adxbackup_Orders'] <| Orders | where Id < 10",
    operation: 'test-duplicate-export',
    mutating: true,
    endpoint: 'engine',
  });
  await emu.idle();

  // Re-delivering a recorded event changes nothing.
  const before = await byPath('Orders');
  const recorded = sink.received.find((r) => r.outcome?.kind === 'recorded')!;
  expect(await recordArtifactEvent({ catalog, containers: [container] }, recorded.event)).toMatchObject({
    kind: 'known',
  });
  expect(await byPath('Orders')).toEqual(before);

  const first = await reconcileDatabase(deps, { clusterUri: emu.url, database: DB });
  const orders = first.tables.find((t) => t.table === 'Orders')!;
  expect(orders).toMatchObject({ swept: 1, orphaned: 0, orphanListed: 0 });
  expect(orders.committed).toBeGreaterThanOrEqual(3);
  const swept = [...(await byPath('Orders')).values()].filter((a) => a.source === 'sweep');
  expect(swept).toHaveLength(1);
  expect(swept[0]!.state).toBe('pending');

  // A day later the partial and duplicate files are orphans; the committed files are the source.
  const later = await reconcileDatabase(
    { ...deps, now: () => new Date(Date.now() + DAY + 60_000) },
    {
      clusterUri: emu.url,
      database: DB,
    },
  );
  expect(later.tables.find((t) => t.table === 'Orders')).toMatchObject({
    committed: 0,
    swept: 0,
    orphaned: 2,
  });
  const records = [...(await byPath('Orders')).values()];
  const committed = records.filter((a) => a.state === 'committed');
  const orphans = records.filter((a) => a.state === 'orphan');
  expect(records.filter((a) => a.state === 'pending')).toEqual([]);
  expect(orphans.map((a) => a.path)).toContain(swept[0]!.path);
  expect(committed.map((a) => a.path)).not.toContain(swept[0]!.path);
  for (const table of ['Orders', 'Notes']) {
    const paths = (await catalog.listArtifacts(DB, table))
      .filter((a) => a.state === 'committed')
      .map((a) => a.path);
    expect(canonical(await readRows(emu, paths))).toEqual(canonical(sourceRows(emu, DB, table)));
  }

  // Idempotent: nothing left to do.
  const again = await reconcileDatabase(
    { ...deps, now: () => new Date(Date.now() + DAY + 60_000) },
    {
      clusterUri: emu.url,
      database: DB,
    },
  );
  expect(again.tables.map((t) => [t.committed, t.swept, t.orphaned])).toEqual([
    [0, 0, 0],
    [0, 0, 0],
  ]);

  // The verification agrees: every covered day ok, the orphans counted nowhere.
  const report = await runVerification(
    {
      ...deps,
      ledger: memoryLedger(),
      blobs: blobStore,
      reports: createVerifyReportStore({ credential }),
      storageAuth: { kind: 'impersonate' },
      alerts: { report: () => undefined },
    },
    { clusterUri: emu.url, database: DB },
  );
  expect(report.tables.map((t) => [t.table, t.verdict])).toEqual([
    ['Notes', 'ok'],
    ['Orders', 'ok'],
  ]);
  expect(report.tables.find((t) => t.table === 'Orders')!.daysChecked).toBe(5);

  // A restore reads committed artifacts only: the partial and the duplicate file are never restored.
  emu.createDatabase(RESTORED);
  const restore = new RestoreHarness(emu);
  try {
    const run = await restore.restore({
      restoreId: 'catalog',
      source: { database: DB, tables: 'all' },
      target: { clusterUri: emu.url, database: RESTORED },
    });
    expect(run.error).toBeUndefined();
    expect(run.status).toBe('Completed');
  } finally {
    restore.close();
  }
  for (const table of ['Orders', 'Notes'])
    expect(canonical(sourceRows(emu, RESTORED, table))).toEqual(canonical(sourceRows(emu, DB, table)));
});

test('a scrubbed orphan stays an orphan although exported-artifacts still lists it; quarantine moves orphans out', async () => {
  const continuous = [...(await byPath('Orders')).values()].find(
    (a) => a.source === 'continuous' && a.state === 'committed',
  )!;
  await catalog.putArtifacts([{ ...continuous, state: 'orphan' }]);
  // No watermark: the whole 14-day listing, which still shows the scrubbed file, is read again.
  const reread = await reconcileDatabase(
    { ...deps, watermarks: { get: () => Promise.resolve(undefined), put: () => Promise.resolve() } },
    { clusterUri: emu.url, database: DB },
  );
  expect(reread.tables.find((t) => t.table === 'Orders')!.orphanListed).toBeGreaterThanOrEqual(1);
  expect((await byPath('Orders')).get(continuous.path)!.state).toBe('orphan');

  const moved = await reconcileDatabase(
    { ...deps, quarantineOrphans: true },
    { clusterUri: emu.url, database: DB },
  );
  expect(moved.tables.find((t) => t.table === 'Orders')!.quarantined).toBe(3);
  const names: string[] = [];
  const blobs = BlobServiceClient.fromConnectionString(emu.storage.connectionString).getContainerClient(
    'backup',
  );
  for await (const b of blobs.listBlobsFlat({ prefix: `_orphans/${DB}/Orders/` })) names.push(b.name);
  expect(names).toHaveLength(3);
  // Moved files are outside the layout: the next sweep catalogues nothing new.
  const after = await reconcileDatabase(deps, { clusterUri: emu.url, database: DB });
  expect(after.tables.map((t) => t.swept + t.quarantined)).toEqual([0, 0]);
});
