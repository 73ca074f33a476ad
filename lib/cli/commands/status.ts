/**
 * `adx-backup status`: per database and table, what the catalog knows (setup state, historical
 * rows, artifacts by state and the rows they hold) next to the continuous export's live state
 * (one `.show continuous-exports` per database). Read only.
 */
import { showContinuousExports } from '../../kusto/commands';
import { parseContinuousExports } from '../../kusto/results';
import type { ContinuousExport } from '../../kusto/results';
import { backupContinuousExportName } from '../../names';
import type { ArtifactRecord, TableBackupRecord } from '../../storage/catalog';
import type { CommandContext } from '../context';
import { printResult } from '../context';
import { clusterOption, databasesOption } from '../options';
import { renderTable } from '../table';

/** Options of `status`. */
export interface StatusOptions {
  readonly cluster?: string;
  readonly database?: readonly string[];
}

/** One table's status. */
export interface TableStatus {
  readonly database: string;
  readonly table: string;
  readonly state: TableBackupRecord['state'];
  readonly historicalRows: number;
  readonly artifacts: { readonly committed: number; readonly pending: number; readonly orphan: number };
  /** Rows in committed artifacts: what a restore would bring back (before the deletion ledger). */
  readonly committedRows: number;
  readonly export: {
    readonly exists: boolean;
    readonly disabled?: boolean;
    readonly lastRunResult?: string;
    readonly exportedTo?: string;
  };
  readonly lastError: string | null;
}

function tableStatus(
  record: TableBackupRecord,
  artifacts: readonly ArtifactRecord[],
  exp: ContinuousExport | undefined,
): TableStatus {
  const count = (state: ArtifactRecord['state']): number => artifacts.filter((a) => a.state === state).length;
  return {
    database: record.database,
    table: record.table,
    state: record.state,
    historicalRows: record.historicalRows,
    artifacts: { committed: count('committed'), pending: count('pending'), orphan: count('orphan') },
    committedRows: artifacts
      .filter((a) => a.state === 'committed')
      .reduce((n, a) => n + (a.numRecords ?? 0), 0),
    export: exp
      ? {
          exists: true,
          disabled: exp.isDisabled,
          lastRunResult: exp.lastRunResult,
          ...(exp.exportedTo ? { exportedTo: exp.exportedTo.toISOString() } : {}),
        }
      : { exists: false },
    lastError: record.lastError,
  };
}

function exportText(s: TableStatus): string {
  if (!s.export.exists) return 'missing';
  if (s.export.disabled) return 'disabled';
  return s.export.lastRunResult ? s.export.lastRunResult.toLowerCase() : 'not run yet';
}

/** Runs the subcommand; resolves with the exit code (1 when a table's setup failed, or its export is missing, disabled or failed its last run). */
export async function statusCommand(ctx: CommandContext, opts: StatusOptions): Promise<number> {
  const clusterUri = clusterOption(opts.cluster, ctx.config);
  const databases = databasesOption(opts.database, ctx.config);
  const deps = ctx.deps();
  const catalog = deps.catalog();
  const gateway = deps.gatewayFor(clusterUri);
  const all: TableStatus[] = [];
  for (const database of databases) {
    const exports = new Map(
      parseContinuousExports(await gateway.execute(database, showContinuousExports())).map((e) => [
        e.name,
        e,
      ]),
    );
    const records = (await catalog.listTables(clusterUri, database)).sort((a, b) =>
      a.table.localeCompare(b.table),
    );
    for (const record of records) {
      const artifacts = await catalog.listArtifacts(database, record.table);
      all.push(tableStatus(record, artifacts, exports.get(backupContinuousExportName(record.table))));
    }
  }
  const unhealthy = all.filter(
    (s) =>
      s.state === 'failed' ||
      !s.export.exists ||
      s.export.disabled === true ||
      s.export.lastRunResult?.toLowerCase() === 'failed',
  );
  const rows = all.map((s) => [
    s.database,
    s.table,
    s.state,
    exportText(s),
    s.export.exportedTo ?? '-',
    `${s.artifacts.committed}/${s.artifacts.pending}/${s.artifacts.orphan}`,
    s.committedRows,
  ]);
  printResult(
    ctx,
    { clusterUri, tables: all },
    all.length === 0
      ? `no backed-up tables in ${databases.join(', ')} (run adx-backup setup)`
      : renderTable(
          ['database', 'table', 'setup', 'export', 'exported to', 'files c/p/o', 'rows backed up'],
          rows,
        ),
  );
  return unhealthy.length === 0 ? 0 : 1;
}
