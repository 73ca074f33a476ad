/**
 * Monitor acceptance at length and at scale, against the ADX emulator and Azurite: storage
 * inaccessible for 8 simulated days (the export is auto-disabled; the monitor refuses to re-enable
 * it while a test write fails, then re-enables it and the export catches up without a gap), 50
 * disabled exports re-enabled at most K per tick, and the healthy steady state of 500 tables (two
 * reads, no write). The many tables are one table set up by the real setup, cloned in the emulator's
 * state and the catalog (500 full setups would take minutes and test setup, not the monitor).
 * Tests run in order: the 8-day clock jump comes first, while only one export exists.
 */
import { backupContinuousExportName } from '../../lib/names';
import { appendExtent } from '../emulator/tables';
import { backupArtifacts, canonical, readRows, sourceRows } from '../helpers/backupReadBack';
import { startMonitorHarness, type MonitorHarness } from '../helpers/monitorHarness';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const COLUMNS = [
  { name: 'Timestamp', type: 'datetime' as const },
  { name: 'Id', type: 'long' as const },
];
let h: MonitorHarness;
let nextId = 0;

function rows(database: string, table: string, n: number): void {
  const start = h.emu.clock.now().getTime();
  appendExtent(
    h.emu.state,
    database,
    table,
    Array.from({ length: n }, (_, i) => [start + i * 1000, nextId++]),
  );
}

const names = (n: number): string[] => Array.from({ length: n }, (_, i) => `T${String(i).padStart(3, '0')}`);
const enables = (mark: number, database: string): number =>
  h.commandsSince(mark, database).filter((e) => e.verb === 'enable continuous-export').length;

beforeAll(async () => {
  h = await startMonitorHarness();
}, 60_000);

afterAll(() => h?.stop());

test('storage inaccessible for 8 days: not re-enabled while it still fails, then re-enabled with no gap', async () => {
  await h.setUp('vault', { Events: COLUMNS });
  rows('vault', 'Events', 100);
  await h.emu.clock.advance(HOUR + 1000);
  h.emu.faults.inaccessibleContainers.add('vault-backup');
  for (let day = 0; day < 8; day++) {
    rows('vault', 'Events', 24);
    await h.emu.clock.advance(DAY);
  }
  const exp = h.emu.state.database('vault')!.continuousExports.get(backupContinuousExportName('Events'))!;
  expect(exp.isDisabled).toBe(true);

  let mark = h.emu.commandLog.length;
  let events = (await h.tick(['vault'])).databases[0]!.tables[0]!;
  expect(events).toMatchObject({ state: 'disabled', cause: 'storage-inaccessible' });
  expect(events.alert?.message).toMatch(/storage account not accessible.*A test write still fails/s);
  expect(events.alert?.fix).toContain('Storage Blob Data Contributor');
  expect(
    h
      .commandsSince(mark, 'vault')
      .filter((e) => e.mutating)
      .map((e) => e.verb),
  ).toEqual(['export to csv']);
  expect(h.commandsSince(mark, 'vault').find((e) => e.mutating)?.text).toContain('/vault-backup/_monitor;');
  expect(exp.isDisabled).toBe(true);

  h.emu.faults.inaccessibleContainers.delete('vault-backup');
  mark = h.emu.commandLog.length;
  events = (await h.tick(['vault'])).databases[0]!.tables[0]!;
  expect(events).toMatchObject({
    state: 'disabled',
    alert: null,
    lastAction: { kind: 'enable-export', outcome: 'done' },
  });
  expect(enables(mark, 'vault')).toBe(1);
  expect(exp.isDisabled).toBe(false);
  await h.emu.clock.advance(2 * HOUR);
  expect(exp.lastRunResult).toBe('Completed');
  const { historical, continuous } = await backupArtifacts(h.catalog, h.gateway, 'vault', 'Events');
  expect(canonical(await readRows(h.emu, [...historical, ...continuous]))).toEqual(
    canonical(sourceRows(h.emu, 'vault', 'Events')),
  );
  expect(sourceRows(h.emu, 'vault', 'Events')).toHaveLength(100 + 8 * 24);
  // The catch-up run's ExportedTo is its newest row's ingestion time (a day old); the next run's is now.
  await h.emu.clock.advance(HOUR);
  expect((await h.tick(['vault'])).databases[0]!.tables[0]!.state).toBe('healthy');
}, 180_000);

test('50 disabled exports are re-enabled at most K per tick, longest-stalled first', async () => {
  const [first, ...rest] = names(50);
  await h.setUp('many', { [first!]: COLUMNS });
  await h.cloneTables('many', first!, rest);
  const exports = [...h.emu.state.database('many')!.continuousExports.values()];
  // Stalled at different times; the oldest ExportedTo goes first.
  exports.forEach((e, i) => {
    e.isDisabled = true;
    e.exportedTo = h.emu.clock.now().getTime() - (i + 1) * DAY;
  });
  for (let tick = 0; tick < 2; tick++) {
    const mark = h.emu.commandLog.length;
    await h.tick(['many'], 25);
    expect(enables(mark, 'many')).toBe(25);
    expect(exports.filter((e) => e.isDisabled)).toHaveLength(25 - tick * 25);
    if (tick === 0) {
      expect(exports.filter((e) => !e.isDisabled).map((e) => e.name)).toEqual(
        names(50).slice(25).map(backupContinuousExportName),
      );
    }
    // Five minutes to the next tick: the re-enabled exports run (and catch up) meanwhile.
    await h.emu.clock.advance(5 * 60_000);
  }
  const mark = h.emu.commandLog.length;
  const last = await h.tick(['many'], 25);
  expect(enables(mark, 'many')).toBe(0);
  expect(last.databases[0]!.status.counts).toEqual({ healthy: 50 });
}, 120_000);

test('healthy steady state, 500 tables: exactly two read commands and no write', async () => {
  const [first, ...rest] = names(500);
  await h.setUp('wide', { [first!]: COLUMNS });
  await h.cloneTables('wide', first!, rest);
  await h.emu.clock.advance(HOUR + 1000);
  const mark = h.emu.commandLog.length;
  const report = await h.tick(['wide']);
  expect(
    h
      .commandsSince(mark, 'wide')
      .map((e) => [e.verb, e.mutating])
      .sort(),
  ).toEqual([
    ['show continuous-exports', false],
    ['show database schema as json', false],
  ]);
  expect(report.databases[0]!.status).toMatchObject({
    outcome: 'checked',
    counts: { healthy: 500 },
    unhealthy: 0,
  });
  expect(await h.status.listTables(h.emu.url, 'wide')).toHaveLength(500);
}, 180_000);
