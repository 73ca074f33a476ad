/**
 * Monitor acceptance against the ADX emulator and Azurite, through the real gateway, catalog and
 * status store: the healthy steady state of one table (two reads, no write), an external table
 * dropped behind the export's back, a column added to the source, a new table, a table dropped in
 * the source, and the ticks that must not act (malformed policy or record, unreachable cluster).
 */
import { BlobClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { TableClient } from '@azure/data-tables';
import { SdkKustoGateway } from '../../lib/kusto/sdkGateway';
import { runMonitorTick } from '../../lib/monitor/tick';
import { backupContinuousExportName, backupExternalTableName } from '../../lib/names';
import { CATALOG_TABLES, clusterKey } from '../../lib/storage/catalog';
import { readParquet } from '../emulator/parquet';
import { appendExtent, createTable, dropTable, mergeTable } from '../emulator/tables';
import type { KValue } from '../emulator/values';
import { backupArtifacts, canonical, readRows, sourceRows } from '../helpers/backupReadBack';
import { startMonitorHarness, type MonitorHarness } from '../helpers/monitorHarness';

const HOUR = 3_600_000;
const COLUMNS = [
  { name: 'Timestamp', type: 'datetime' as const },
  { name: 'Id', type: 'long' as const },
];
let h: MonitorHarness;
let nextId = 0;

/** Appends `n` rows (Timestamp = now + i s, Id increasing) to a table. */
function rows(database: string, table: string, n: number, extra: (i: number) => KValue[] = () => []): void {
  const start = h.emu.clock.now().getTime();
  appendExtent(
    h.emu.state,
    database,
    table,
    Array.from({ length: n }, (_, i) => [start + i * 1000, nextId++, ...extra(i)]),
  );
}

/** The backup of a table read back (historical + continuous artifacts) equals the source. */
async function expectBackupEqualsSource(database: string, table: string): Promise<void> {
  const { historical, continuous } = await backupArtifacts(h.catalog, h.gateway, database, table);
  const restored = await readRows(h.emu, [...historical, ...continuous]);
  expect(canonical(restored)).toEqual(canonical(sourceRows(h.emu, database, table)));
}

const mutatingSince = (mark: number, database: string): string[] =>
  h
    .commandsSince(mark, database)
    .filter((e) => e.mutating)
    .map((e) => e.text);
const byTable = (report: Awaited<ReturnType<MonitorHarness['tick']>>, table: string) =>
  report.databases[0]!.tables.find((t) => t.table === table)!;

beforeAll(async () => {
  h = await startMonitorHarness();
  await h.setUp('ops', { Ext: COLUMNS, Drift: COLUMNS, Gone: COLUMNS });
  await h.setUp('steady', { One: COLUMNS });
  for (const [db, t] of [
    ['ops', 'Ext'],
    ['ops', 'Drift'],
    ['ops', 'Gone'],
    ['steady', 'One'],
  ] as const)
    rows(db, t, 50);
  await h.emu.clock.advance(HOUR + 1000);
}, 180_000);

afterAll(() => h?.stop());

test('healthy steady state, one table: exactly two read commands and no write', async () => {
  const mark = h.emu.commandLog.length;
  const report = await h.tick(['steady']);
  expect(h.commandsSince(mark, 'steady').map((e) => [e.verb, e.mutating])).toEqual(
    expect.arrayContaining([
      ['show continuous-exports', false],
      ['show database schema as json', false],
    ]),
  );
  expect(h.commandsSince(mark, 'steady')).toHaveLength(2);
  expect(report.databases[0]!.status).toMatchObject({ outcome: 'checked', unhealthy: 0, alerts: 0 });
  expect(report.databases[0]!.tables.map((t) => [t.table, t.state, t.alert])).toEqual([
    ['One', 'healthy', null],
  ]);
  expect(h.logs.filter((l) => l.message === 'adx-backup monitor action')).toEqual([]);
  expect((await h.status.listTables(h.emu.url, 'steady')).map((t) => t.state)).toEqual(['healthy']);
});

test('an external table dropped behind the export is recreated and the export resumes without a gap', async () => {
  h.emu.state.database('ops')!.externalTables.delete(backupExternalTableName('Ext'));
  rows('ops', 'Ext', 20);
  await h.emu.clock.advance(HOUR);
  expect(
    h.emu.state.database('ops')!.continuousExports.get(backupContinuousExportName('Ext'))!.lastRunResult,
  ).toBe('Failed');
  const mark = h.emu.commandLog.length;
  const report = await h.tick(['ops']);
  const ext = byTable(report, 'Ext');
  expect(ext).toMatchObject({ state: 'failing', cause: 'external-table-missing', alert: null });
  expect(ext.lastAction).toMatchObject({ kind: 'recreate-external-table', outcome: 'done' });
  expect(ext.lastFailure?.text).toContain('external table not found');
  expect(mutatingSince(mark, 'ops')).toEqual([
    expect.stringMatching(/^\.create-or-alter external table \['adxbackup_Ext'\]/),
  ]);
  expect(h.logs.filter((l) => l.message === 'adx-backup monitor action').map((l) => l.fields.table)).toEqual([
    'Ext',
  ]);
  await h.emu.clock.advance(HOUR);
  await expectBackupEqualsSource('ops', 'Ext');
});

test('a column added to the source is realigned and new rows export with it', async () => {
  const db = h.emu.state.database('ops')!;
  mergeTable(db, 'Drift', [...COLUMNS, { name: 'Region', type: 'string' }]);
  rows('ops', 'Drift', 10, (i) => [`r${i}`]);
  await h.emu.clock.advance(HOUR);
  const failures = db.exportFailures.filter((f) => f.exportName === backupContinuousExportName('Drift'));
  expect(failures.at(-1)?.details).toMatch(/schema mismatch/);
  const report = await h.tick(['ops']);
  const drift = byTable(report, 'Drift');
  expect(drift).toMatchObject({ state: 'drifted', cause: 'schema-mismatch', alert: null });
  expect(drift.lastAction).toMatchObject({ kind: 'realign-schema', outcome: 'done' });
  expect(drift.lastAction?.detail).toContain('added Region');
  expect(db.externalTables.get(backupExternalTableName('Drift'))!.columns.map((c) => c.name)).toEqual([
    'Timestamp',
    'Id',
    'Region',
  ]);
  expect((await h.catalog.getTable(h.emu.url, 'ops', 'Drift'))!.columns.map((c) => c.name)).toContain(
    'Region',
  );
  rows('ops', 'Drift', 5, (i) => [`late${i}`]);
  await h.emu.clock.advance(HOUR);
  // Old artifacts lack the column; read by column name, every row is there exactly once.
  const { historical, continuous } = await backupArtifacts(h.catalog, h.gateway, 'ops', 'Drift');
  const credential = new StorageSharedKeyCredential(h.emu.storage.account, h.emu.storage.accountKey);
  const restored: string[] = [];
  for (const url of [...historical, ...continuous]) {
    const file = await readParquet(new Uint8Array(await new BlobClient(url, credential).downloadToBuffer()));
    const at = (name: string) => file.columns.findIndex((c) => c.name === name);
    for (const r of file.rows)
      restored.push(JSON.stringify(['Timestamp', 'Id', 'Region'].map((n) => (at(n) < 0 ? null : r[at(n)]))));
  }
  const source = sourceRows(h.emu, 'ops', 'Drift').map((r) => JSON.stringify([r[0], r[1], r[2] ?? null]));
  expect(restored.sort()).toEqual(source.sort());
  expect(restored.filter((r) => r.includes('late'))).toHaveLength(5);
  expect((await h.tick(['ops'])).databases[0]!.tables.map((t) => [t.table, t.state])).toEqual([
    ['Drift', 'healthy'],
    ['Ext', 'healthy'],
    ['Gone', 'healthy'],
  ]);
}, 60_000);

test('a new table is backed up within one tick', async () => {
  const db = h.emu.state.database('ops')!;
  createTable(db, 'Fresh', COLUMNS);
  rows('ops', 'Fresh', 30);
  const report = await h.tick(['ops']);
  expect(byTable(report, 'Fresh')).toMatchObject({
    state: 'missing',
    lastAction: { kind: 'start-setup', outcome: 'done' },
  });
  expect(await h.runStartedSetups()).toHaveLength(1);
  await expectBackupEqualsSource('ops', 'Fresh');
  rows('ops', 'Fresh', 7);
  await h.emu.clock.advance(HOUR);
  await expectBackupEqualsSource('ops', 'Fresh');
  expect(byTable(await h.tick(['ops']), 'Fresh').state).toBe('healthy');
  expect(h.client.started).toEqual([]);
}, 60_000);

test('a table dropped in the source keeps its backup, is marked source-dropped once and not alerted', async () => {
  const db = h.emu.state.database('ops')!;
  const kept = sourceRows(h.emu, 'ops', 'Gone');
  dropTable(db, 'Gone');
  let mark = h.emu.commandLog.length;
  const first = byTable(await h.tick(['ops']), 'Gone');
  expect(first).toMatchObject({
    state: 'source-dropped',
    alert: null,
    lastAction: { kind: 'mark-source-dropped' },
  });
  expect(mutatingSince(mark, 'ops')).toEqual([]);
  expect((await h.catalog.getTable(h.emu.url, 'ops', 'Gone'))!.state).toBe('source-dropped');
  expect(db.externalTables.has(backupExternalTableName('Gone'))).toBe(true);
  const { historical, continuous } = await backupArtifacts(h.catalog, h.gateway, 'ops', 'Gone');
  expect(canonical(await readRows(h.emu, [...historical, ...continuous]))).toEqual(canonical(kept));
  await h.emu.clock.advance(HOUR);
  mark = h.emu.commandLog.length;
  const actions = h.logs.length;
  const second = await h.tick(['ops']);
  expect(byTable(second, 'Gone')).toMatchObject({ state: 'source-dropped', alert: null });
  expect(second.databases[0]!.status.alerts).toBe(0);
  expect(h.commandsSince(mark, 'ops')).toHaveLength(2);
  expect(h.logs.slice(actions).filter((l) => l.message === 'adx-backup monitor action')).toEqual([]);
});

test('a malformed policy or record, or an unreachable cluster: a clear status and no partial action', async () => {
  const good = (await h.catalog.getDatabasePolicy(h.emu.url, 'steady'))!.policyJson;
  await h.catalog.putDatabasePolicy(
    h.emu.url,
    'steady',
    good.replace(/"containers":\[[^\]]*\]/, '"containers":["ftp://x"]'),
  );
  let mark = h.emu.commandLog.length;
  let report = await h.tick(['steady']);
  expect(report.databases[0]!.status).toMatchObject({
    outcome: 'policy-invalid',
    message: expect.stringContaining('policy.containers[0]'),
  });
  expect(h.commandsSince(mark, 'steady')).toEqual([]);
  await h.catalog.putDatabasePolicy(h.emu.url, 'steady', good);

  // A record whose columns are not JSON: that table is reported, the others are still looked after.
  const tables = TableClient.fromConnectionString(h.emu.storage.connectionString, CATALOG_TABLES.tables, {
    allowInsecureConnection: true,
  });
  const pk = `${encodeURIComponent(clusterKey(h.emu.url))}|steady`;
  await tables.upsertEntity({ partitionKey: pk, rowKey: 'Broken', state: 'ready', columns: 'not json' });
  mark = h.emu.commandLog.length;
  report = await h.tick(['steady']);
  expect(report.databases[0]!.tables.map((t) => [t.table, t.state])).toEqual([
    ['Broken', 'invalid'],
    ['One', 'healthy'],
  ]);
  expect(byTable(report, 'Broken').alert?.message).toMatch(/unreadable record/);
  expect(mutatingSince(mark, 'steady')).toEqual([]);
  await tables.deleteEntity(pk, 'Broken');

  const before = await h.status.listTables(h.emu.url, 'steady');
  const dead = new SdkKustoGateway({ clusterUri: 'http://127.0.0.1:9', retry: { attempts: 1 } });
  mark = h.emu.commandLog.length;
  const actions = h.logs.length;
  report = await runMonitorTick(
    { ...h.deps(), gatewayFor: () => dead },
    { clusterUri: h.emu.url, databases: ['steady'] },
  );
  dead.close();
  expect(report.databases[0]).toMatchObject({
    status: { outcome: 'unreachable', message: expect.stringContaining('could not be read') },
    tables: [],
  });
  expect(h.emu.commandLog.length).toBe(mark);
  expect(h.logs.slice(actions).map((l) => l.message)).toEqual(['adx-backup monitor tick']);
  expect(await h.status.listTables(h.emu.url, 'steady')).toEqual(before);
}, 60_000);
