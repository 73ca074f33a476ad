/**
 * Setup against the emulator, beyond the happy path: twenty chunks in flight polled with ONE
 * `.show operations` per tick, an unknown database (404), invalid names and patterns (400, nothing
 * sent), and a cluster refusing auth (the orchestration fails with the reason; a rerun after the
 * fault clears completes).
 */
import { HttpRequest, InvocationContext } from '@azure/functions';
import { StorageSharedKeyCredential } from '@azure/storage-blob';
import { loadConfig } from '../../lib/config';
import { makeSetupHandler } from '../../lib/http/setup';
import { parseSetupRequest } from '../../lib/http/setupRequest';
import { SdkKustoGateway } from '../../lib/kusto/sdkGateway';
import { ActivityNames, OrchestratorNames, setupInstanceId } from '../../lib/names';
import type { SetupResult } from '../../lib/orchestrations/setupDatabase';
import { CatalogStore } from '../../lib/storage/catalog';
import { createTextBlobStore } from '../../lib/storage/textBlobs';
import { startEmulator, type EmulatorHandle } from '../emulator/index';
import { appendExtent, createTable } from '../emulator/tables';
import { backupArtifacts, canonical, readRows, sourceRows } from '../helpers/backupReadBack';
import { DurableReplayer } from '../helpers/durableReplay';
import { FakeDurableClient, recordingGateway, registerForTest, silentLogger } from '../helpers/setupHarness';

const DAY = 86_400_000;
const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

let emu: EmulatorHandle;
let sdk: SdkKustoGateway;
let catalog: CatalogStore;
let container: string;
const context = new InvocationContext({ functionName: 'test', logHandler: () => undefined });

const config = (chunkRows = '1000000') =>
  loadConfig({
    ADX_BACKUP_CONTAINERS: container,
    ADX_BACKUP_EXPORT_MANAGED_IDENTITY: 'system',
    ADX_BACKUP_CHUNK_TARGET_ROWS: chunkRows,
  });

function register(gateway: ReturnType<typeof recordingGateway>): void {
  const credential = new StorageSharedKeyCredential(emu.storage.account, emu.storage.accountKey);
  registerForTest({
    gatewayFor: () => gateway,
    catalog,
    blobs: createTextBlobStore(credential),
    logger: silentLogger,
  });
}

/** A database with one table of `days` ingestion days, `perDay` rows each. */
function seed(database: string, days: number, perDay: number): void {
  const db = emu.createDatabase(database);
  createTable(db, 'Events', [
    { name: 'Timestamp', type: 'datetime' },
    { name: 'Id', type: 'long' },
  ]);
  const start = emu.clock.now().getTime();
  for (let d = 0; d < days; d++) {
    emu.clock.set(new Date(start + d * DAY));
    appendExtent(
      emu.state,
      database,
      'Events',
      Array.from({ length: perDay }, (_, i) => [start + d * DAY + i, d * perDay + i]),
    );
  }
  emu.clock.set(new Date(start + days * DAY));
}

function post(database: string, body: unknown): HttpRequest {
  return new HttpRequest({
    url: `http://localhost/api/backups/${encodeURIComponent(database)}/setup`,
    method: 'POST',
    params: { database },
    body: { string: JSON.stringify(body) },
  });
}

beforeAll(async () => {
  emu = await startEmulator();
  container = `${emu.storage.blobUrl}/backup`;
  sdk = new SdkKustoGateway({ clusterUri: emu.url, retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 20 } });
  catalog = CatalogStore.fromConnectionString(emu.storage.connectionString);
  seed('many', 20, 50);
  seed('auth', 2, 10);
}, 60_000);

afterAll(async () => {
  sdk?.close();
  await emu?.stop();
});

test('twenty chunks in flight: each polling tick sends exactly one .show operations', async () => {
  emu.state.capacity.exportTotal = 25;
  emu.faults.holdOperations = true;
  const polled: string[] = [];
  const gateway = recordingGateway(sdk, {
    pollDelayMs: 5,
    onPoll: (command) => {
      polled.push(command.text);
      if (polled.length === 4) emu.faults.holdOperations = false;
    },
  });
  register(gateway);
  const input = parseSetupRequest('many', { clusterUri: emu.url }, config('1'));
  const kit = new DurableReplayer();
  const mark = emu.commandLog.length;
  const run = await kit.run(OrchestratorNames.setupDatabase, input, { instanceId: 'many-1' });
  expect(run.status).toBe('Completed');
  expect((run.output as SetupResult).tables[0]!.historical).toEqual({
    chunks: 20,
    rows: 1000,
    skipped: false,
  });
  const log = emu.commandLog.slice(mark);
  const polls = log.filter((e) => e.verb === 'show operations');
  // One command per tick (one activity call), and while held every tick asks about all twenty.
  expect(polls).toHaveLength(kit.stats.activityCalls.get(ActivityNames.pollOperations)!);
  expect(polls.slice(0, 3).map((e) => new Set(e.text.match(GUID)).size)).toEqual([20, 20, 20]);
  expect(log.filter((e) => e.verb === 'export async to table')).toHaveLength(20);
  const { historical } = await backupArtifacts(catalog, gateway, 'many', 'Events');
  expect(canonical(await readRows(emu, historical))).toEqual(canonical(sourceRows(emu, 'many', 'Events')));
}, 120_000);

test('unknown database: 404 with a clear message, nothing started', async () => {
  const client = new FakeDurableClient();
  const handler = makeSetupHandler({
    config: () => config(),
    gatewayFor: () => sdk,
    durableClient: client.asDependency(),
  });
  const res = await handler(post('nosuch', { clusterUri: emu.url }), context);
  expect(res.status).toBe(404);
  expect((res as { jsonBody: { message: string } }).jsonBody.message).toBe(
    `database 'nosuch' does not exist on cluster ${emu.url}`,
  );
  expect(client.started).toEqual([]);
});

test.each([
  ['include[0]', { include: ['Events/*'] }],
  ['exclude[1]', { exclude: ['ok', "x'; .drop table Events"] }],
  ['partitionColumns.Ev;ents', { partitionColumns: { 'Ev;ents': 'Timestamp' } }],
  ['database', undefined],
])('invalid %s: 400 naming it; nothing is sent or started', async (field, body) => {
  const client = new FakeDurableClient();
  const handler = makeSetupHandler({
    config: () => config(),
    gatewayFor: () => sdk,
    durableClient: client.asDependency(),
  });
  const mark = emu.commandLog.length;
  const req =
    body === undefined
      ? post('bad|name', { clusterUri: emu.url })
      : post('many', { clusterUri: emu.url, ...body });
  const res = await handler(req, context);
  expect(res.status).toBe(400);
  expect((res as { jsonBody: { field: string } }).jsonBody.field).toBe(field);
  expect(emu.commandLog.length).toBe(mark);
  expect(client.started).toEqual([]);
});

test('a partition override on a non-datetime column: 400 after the schema read, nothing started', async () => {
  const client = new FakeDurableClient();
  const handler = makeSetupHandler({
    config: () => config(),
    gatewayFor: () => sdk,
    durableClient: client.asDependency(),
  });
  const mark = emu.commandLog.length;
  const res = await handler(
    post('many', { clusterUri: emu.url, partitionColumns: { Events: 'Id' } }),
    context,
  );
  expect(res.status).toBe(400);
  expect((res as { jsonBody: { field: string; message: string } }).jsonBody).toMatchObject({
    field: 'partitionColumns.Events',
    message: "partitionColumns.Events: column 'Id' is long; the partition column must be a datetime",
  });
  expect(emu.commandLog.slice(mark).map((e) => e.mutating)).toEqual([false]);
  expect(client.started).toEqual([]);
});

test('a cluster refusing auth fails the orchestration with the reason; a rerun completes', async () => {
  register(recordingGateway(sdk, { pollDelayMs: 5 }));
  const input = parseSetupRequest('auth', { clusterUri: emu.url }, config());
  const instanceId = setupInstanceId(emu.url, 'auth');
  emu.faults.refuseAuth = true;
  const failed = await new DurableReplayer().run(OrchestratorNames.setupDatabase, input, { instanceId });
  expect(failed.status).toBe('Failed');
  expect(failed.error).toContain('HTTP 401');
  emu.faults.refuseAuth = false;
  const rerun = await new DurableReplayer().run(OrchestratorNames.setupDatabase, input, { instanceId });
  expect(rerun.status).toBe('Completed');
  expect((rerun.output as SetupResult).tables.map((t) => [t.table, t.status])).toEqual([['Events', 'ready']]);
}, 60_000);
