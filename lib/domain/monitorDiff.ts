/**
 * The monitor's pure diff: the desired backup of a database (its policy, the catalog's table
 * records, the live source schema) against what the cluster reports (`.show continuous-exports`
 * and the external tables in the schema). Every table gets one state; nothing here does I/O, so an
 * unchanged, healthy database is simply a list of `healthy` assessments and no action follows.
 */
import { tablesToBackUp } from '../activities/listTables';
import type { TableToBackUp } from '../activities/contracts';
import type { ColumnSpec } from '../kusto/commands';
import { columnType, validateName } from '../kusto/quote';
import type { ContinuousExport, DatabaseSchema, DatabaseTable } from '../kusto/results';
import { BACKUP_ENTITY_PREFIX, backupContinuousExportName, backupExternalTableName } from '../names';
import type { SetupInput } from '../orchestrations/setupDatabase';
import type { TableBackupRecord, TableRecordEntry } from '../storage/catalog';
import type { ColumnDrift } from './schemaDrift';
import { columnDrift } from './schemaDrift';

/** What the monitor says about one table. */
export type TableState =
  'healthy' | 'late' | 'failing' | 'disabled' | 'drifted' | 'missing' | 'source-dropped' | 'invalid';

/** Every state, in the order status summaries list them. */
export const TABLE_STATES: readonly TableState[] = [
  'healthy',
  'late',
  'failing',
  'disabled',
  'drifted',
  'missing',
  'source-dropped',
  'invalid',
];

/** One table's assessment. */
export interface TableAssessment {
  readonly table: string;
  readonly state: TableState;
  /** The valid catalog record (absent for new tables and unreadable or invalid records). */
  readonly record?: TableBackupRecord;
  readonly export?: ContinuousExport;
  /** Live source columns (absent when the table is gone from the source). */
  readonly columns?: readonly ColumnSpec[];
  /** now - ExportedTo; null before the export's first successful run. */
  readonly latenessMs: number | null;
  readonly drift: ColumnDrift | null;
  /** The schema lists external tables and this table's is not among them. */
  readonly externalTableMissing: boolean;
  /** What setup provisions for a table that has no backup yet (absent when it must not be set up). */
  readonly setup?: TableToBackUp;
  /** Why a record is invalid, or why a table cannot be set up as the policy says. */
  readonly problems: readonly string[];
}

/** Everything the diff compares. */
export interface MonitorSnapshot {
  readonly policy: SetupInput;
  readonly records: readonly TableRecordEntry[];
  readonly schema: DatabaseSchema;
  readonly exports: readonly ContinuousExport[];
  readonly now: Date;
  readonly latenessThresholdMs: number;
}

const RECORD_STATES = new Set(['pending', 'provisioned', 'historical', 'ready', 'failed', 'source-dropped']);

/** Why a catalog record cannot be acted on; empty when it is sound. */
export function recordProblems(record: TableBackupRecord, table: string): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, problem: string): void => void (ok ? undefined : problems.push(problem));
  check(RECORD_STATES.has(record.state), `state '${String(record.state)}' is not a known state`);
  check(
    record.exportName === backupContinuousExportName(table),
    `exportName '${record.exportName}' is not ours`,
  );
  check(
    record.externalTableName === backupExternalTableName(table),
    `externalTableName '${record.externalTableName}' is not ours`,
  );
  const columns: unknown = record.columns;
  if (!Array.isArray(columns) || columns.length === 0) {
    problems.push('columns: must list at least one column');
    return problems;
  }
  record.columns.forEach((c, i) => {
    try {
      validateName(c?.name, `columns[${i}].name`);
      columnType(c?.type, `columns[${i}].type`);
    } catch (error) {
      problems.push((error as Error).message);
    }
  });
  if (record.partitionColumn !== null) {
    const column = record.columns.find((c) => c?.name === record.partitionColumn);
    check(
      column !== undefined && String(column.type).toLowerCase() === 'datetime',
      `partitionColumn '${record.partitionColumn}' is not a datetime column of the record`,
    );
  }
  return problems;
}

const liveColumns = (t: DatabaseTable): ColumnSpec[] =>
  t.columns.map((c) => ({ name: c.name, type: c.cslType }));

/** Assessment of a table that has a sound record. */
function assessBackedUp(
  record: TableBackupRecord,
  live: DatabaseTable | undefined,
  snapshot: MonitorSnapshot,
  exportOf: (name: string) => ContinuousExport | undefined,
  selected: ReadonlyMap<string, TableToBackUp>,
): TableAssessment {
  const exp = exportOf(record.exportName);
  const latenessMs = exp?.exportedTo ? snapshot.now.getTime() - exp.exportedTo.getTime() : null;
  const base = { table: record.table, record, latenessMs, problems: [] as string[] };
  if (!live) {
    // Its backup stays; the export (if any) can only fail now, which is expected and not alerted.
    return {
      ...base,
      ...(exp ? { export: exp } : {}),
      state: 'source-dropped',
      drift: null,
      externalTableMissing: false,
    };
  }
  const columns = liveColumns(live);
  const drift = columnDrift(record.columns, columns);
  const externalTableMissing =
    snapshot.schema.externalTablesListed &&
    !snapshot.schema.externalTables.includes(record.externalTableName);
  if (!exp) {
    const setup = selected.get(record.table);
    return {
      ...base,
      columns,
      state: 'missing',
      drift,
      externalTableMissing,
      ...(setup ? { setup } : {}),
      problems: setup
        ? ['the continuous export is gone']
        : ['the continuous export is gone and the policy no longer selects the table'],
    };
  }
  const late = latenessMs !== null && latenessMs > snapshot.latenessThresholdMs;
  const state: TableState = exp.isDisabled
    ? 'disabled'
    : drift
      ? 'drifted'
      : externalTableMissing || exp.lastRunResult === 'Failed'
        ? 'failing'
        : late
          ? 'late'
          : 'healthy';
  return { ...base, export: exp, columns, state, drift, externalTableMissing };
}

/** Assesses every table of one database. Tables are listed in name order. */
export function assessDatabase(snapshot: MonitorSnapshot): TableAssessment[] {
  const live = new Map(snapshot.schema.tables.map((t) => [t.name, t] as const));
  const exports = new Map(snapshot.exports.map((e) => [e.name, e] as const));
  // Tables adx-backup itself creates (e.g. restore staging tables) are never backed up.
  const candidates = snapshot.schema.tables.filter((t) => !t.name.startsWith(BACKUP_ENTITY_PREFIX));
  const selection = tablesToBackUp(candidates, snapshot.policy);
  const selected = new Map(selection.tables.map((t) => [t.name, t] as const));
  const out: TableAssessment[] = [];
  const seen = new Set<string>();
  for (const entry of snapshot.records) {
    seen.add(entry.table);
    const problems = entry.record ? recordProblems(entry.record, entry.table) : [entry.error];
    if (!entry.record || problems.length > 0) {
      out.push({
        table: entry.table,
        state: 'invalid',
        latenessMs: null,
        drift: null,
        externalTableMissing: false,
        problems,
      });
      continue;
    }
    out.push(assessBackedUp(entry.record, live.get(entry.table), snapshot, (n) => exports.get(n), selected));
  }
  for (const table of selection.tables) {
    if (seen.has(table.name)) continue;
    seen.add(table.name);
    out.push({
      table: table.name,
      state: 'missing',
      columns: table.columns,
      latenessMs: null,
      drift: null,
      externalTableMissing: false,
      setup: table,
      problems: [],
    });
  }
  for (const problem of selection.problems) {
    // Overrides naming tables that do not exist are stale policy, not a table to report.
    if (seen.has(problem.table) || !live.has(problem.table)) continue;
    seen.add(problem.table);
    out.push({
      table: problem.table,
      state: 'missing',
      latenessMs: null,
      drift: null,
      externalTableMissing: false,
      problems: [problem.error],
    });
  }
  return out.sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0));
}

/** True for states the monitor reads an export's failures for. */
export function needsFailures(a: TableAssessment): boolean {
  return a.export !== undefined && ['disabled', 'drifted', 'failing', 'late'].includes(a.state);
}
