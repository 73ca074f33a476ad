/**
 * Section (c): Kusto commands one monitor tick sends, for databases of 10, 100 and 1,000 backed-up
 * tables, healthy and with 10% of the tables unhealthy. Runs the real tick (`runMonitorTick`) with
 * the real gateway, catalog and status store against the ADX emulator and its Azurite
 * (`test/helpers/monitorHarness.ts`); commands are read from the emulator's command log. One table
 * is set up by the real setup orchestration and cloned (as the monitor scale test does), since
 * hundreds of full setups would measure setup, not the monitor. Not a test: `npm run bench`.
 *
 * Unhealthy tables get the faults the monitor tests inject, in rotation: the backup external table
 * dropped behind the export (the next run fails), a column added to the source (the next run fails
 * with a schema mismatch), and the export disabled (as ADX does after 7 days of failures; at most
 * `reenablePerTick`, default 2, are re-enabled per tick, by design).
 */
import '../lib/runtime/hostless';
import { backupContinuousExportName, backupExternalTableName } from '../lib/names';
import { appendExtent, mergeTable } from '../test/emulator/tables';
import type { KValue } from '../test/emulator/values';
import type { MonitorHarness } from '../test/helpers/monitorHarness';
import { startMonitorHarness } from '../test/helpers/monitorHarness';
import { round, runMain, say, seconds, textTable } from './common';

const HOUR = 3_600_000;
const COLUMNS = [
  { name: 'Timestamp', type: 'datetime' as const },
  { name: 'Id', type: 'long' as const },
];
/** The faults unhealthy tables get, in rotation. */
export const FAULTS = ['external-table-dropped', 'column-added', 'export-disabled'] as const;
/** Commands a healthy tick may send per database, whatever the table count. */
export const HEALTHY_COMMANDS_PER_DATABASE = 2;

/** What one tick sent and found. */
export interface TickFigures {
  readonly commands: number;
  readonly reads: number;
  readonly writes: number;
  readonly byVerb: Readonly<Record<string, number>>;
  readonly commandsPerTable: number;
  readonly unhealthyFound: number;
  readonly actionsDone: number;
  readonly actionsDeferred: number;
  readonly seconds: number;
}

/** Figures of one table count. */
export interface MonitorTickFigures {
  readonly tables: number;
  readonly databases: 1;
  readonly healthy: TickFigures;
  readonly unhealthy: TickFigures & {
    readonly faulted: number;
    readonly faults: Readonly<Record<string, number>>;
    /** Commands beyond the healthy tick's, per faulted table. */
    readonly extraCommandsPerFaultedTable: number;
  };
}

const names = (n: number): string[] => Array.from({ length: n }, (_, i) => `T${String(i).padStart(4, '0')}`);

async function measureTick(h: MonitorHarness, database: string, tables: number): Promise<TickFigures> {
  const mark = h.emu.commandLog.length;
  const logMark = h.logs.length;
  const t = performance.now();
  const report = await h.tick([database]);
  const elapsed = seconds(t);
  const sent = h.commandsSince(mark, database);
  const byVerb: Record<string, number> = {};
  for (const e of sent) byVerb[e.verb] = (byVerb[e.verb] ?? 0) + 1;
  const db = report.databases[0];
  if (db?.status.outcome !== 'checked')
    throw new Error(`tick of ${database}: ${db?.status.outcome ?? 'no report'} ${db?.status.message ?? ''}`);
  const actions = h.logs.slice(logMark).filter((l) => l.message === 'adx-backup monitor action');
  return {
    commands: sent.length,
    reads: sent.filter((e) => !e.mutating).length,
    writes: sent.filter((e) => e.mutating).length,
    byVerb,
    commandsPerTable: round(sent.length / tables, 3),
    unhealthyFound: db.status.unhealthy,
    actionsDone: actions.filter((l) => l.fields.outcome === 'done').length,
    actionsDeferred: db.tables.filter((s) => s.notes.some((n) => n.startsWith('re-enable deferred'))).length,
    seconds: round(elapsed, 2),
  };
}

/** Sets up `tables` tables in a fresh emulator and measures a healthy and a 10%-unhealthy tick. */
export async function runMonitorTickBench(options: {
  tables: number;
  unhealthyShare?: number;
}): Promise<MonitorTickFigures> {
  const share = options.unhealthyShare ?? 0.1;
  const h = await startMonitorHarness();
  try {
    const database = `wide${options.tables}`;
    const all = names(options.tables);
    const [first, ...rest] = all;
    await h.setUp(database, { [first!]: COLUMNS });
    await h.cloneTables(database, first!, rest);
    await h.emu.clock.advance(HOUR + 1000);
    const healthy = await measureTick(h, database, options.tables);

    // Every (1/share)-th table, counted from the end of each group so the template is never one.
    const step = Math.round(1 / share);
    const faulted = all.filter((_, i) => i % step === step - 1);
    const db = h.emu.state.database(database)!;
    const faults: Record<string, number> = {};
    let id = 1_000_000;
    const now = h.emu.clock.now().getTime();
    faulted.forEach((table, k) => {
      const fault = FAULTS[k % FAULTS.length]!;
      faults[fault] = (faults[fault] ?? 0) + 1;
      const extra: KValue[] = [];
      if (fault === 'external-table-dropped') db.externalTables.delete(backupExternalTableName(table));
      if (fault === 'column-added') {
        mergeTable(db, table, [...COLUMNS, { name: 'Region', type: 'string' }]);
        extra.push('eu');
      }
      if (fault === 'export-disabled') {
        const exp = db.continuousExports.get(backupContinuousExportName(table))!;
        exp.isDisabled = true;
        exp.exportedTo = now - (k + 1) * HOUR;
      }
      appendExtent(
        h.emu.state,
        database,
        table,
        Array.from({ length: 10 }, (_, i) => [now + i * 1000, id++, ...extra]),
      );
    });
    // The next export runs fail on the dropped tables and the drifted schemas.
    await h.emu.clock.advance(HOUR);
    const tick = await measureTick(h, database, options.tables);
    if (tick.unhealthyFound !== faulted.length)
      throw new Error(`tick found ${tick.unhealthyFound} unhealthy tables, ${faulted.length} were faulted`);
    return {
      tables: options.tables,
      databases: 1,
      healthy,
      unhealthy: {
        ...tick,
        faulted: faulted.length,
        faults,
        extraCommandsPerFaultedTable: round((tick.commands - healthy.commands) / faulted.length, 2),
      },
    };
  } finally {
    await h.stop();
  }
}

/** The section's table. */
export function monitorTickTable(figures: readonly MonitorTickFigures[]): string {
  const rows = figures.flatMap((f) => [
    [
      f.tables,
      'healthy',
      0,
      f.healthy.commands,
      f.healthy.reads,
      f.healthy.writes,
      f.healthy.commandsPerTable,
      '-',
      f.healthy.seconds,
    ],
    [
      f.tables,
      '10% unhealthy',
      f.unhealthy.faulted,
      f.unhealthy.commands,
      f.unhealthy.reads,
      f.unhealthy.writes,
      f.unhealthy.commandsPerTable,
      f.unhealthy.extraCommandsPerFaultedTable,
      f.unhealthy.seconds,
    ],
  ]);
  return textTable(
    [
      'tables',
      'tick',
      'unhealthy',
      'commands',
      'reads',
      'repairs',
      'commands/table',
      'extra/unhealthy',
      'tick s',
    ],
    rows,
  );
}

if (require.main === module)
  runMain(async () => {
    const figures = [];
    for (const tables of [10, 100, 1_000]) figures.push(await runMonitorTickBench({ tables }));
    say(monitorTickTable(figures));
    say(JSON.stringify(figures, null, 2));
  });
