/**
 * How many rows of a table's committed backup files the deletion ledger removes, per day: the
 * ledger's predicates (re-validated against the columns they were recorded with) evaluated by ADX
 * over exactly those files (`countLedgerMatches`, at most 500 files per command). Only asked for the
 * days whose backup holds more rows than the source.
 */
import { folderTarget, parseArtifactUrl } from '../deletions/artifactLocation';
import type { LedgerReader } from '../deletions/restore';
import { ledgerEntriesFor } from '../deletions/restore';
import { appliesOnRestore } from '../deletions/status';
import type { ColumnSpec } from '../kusto/commands';
import { countLedgerMatches, MAX_FILES_PER_LEDGER_MATCH } from '../kusto/commands';
import type { KustoGateway } from '../kusto/gateway';
import { parseSimplePredicate } from '../kusto/predicate';
import type { StorageAuth } from '../kusto/quote';
import type { DayCounts } from '../kusto/results/counts';
import { parseDayCounts } from '../kusto/results/counts';
import type { ArtifactRecord, TableBackupRecord } from '../storage/catalog';

/** What counting ledger matches needs. */
export interface LedgerMatchContext {
  readonly gateway: KustoGateway;
  readonly database: string;
  readonly ledger: LedgerReader;
  /** How ADX reads the backup files (as the backup's external tables do). */
  readonly storageAuth: StorageAuth;
}

/** Matches per day, and how many deletions were applied. */
export interface LedgerMatches {
  readonly byDay: DayCounts;
  readonly deletions: number;
}

/**
 * Counts the ledger's matches in `artifacts` (committed files of one table).
 * @throws ConflictError when the table's ledger fails verification; gateway errors as they come.
 */
export async function ledgerMatchesByDay(
  ctx: LedgerMatchContext,
  table: Pick<TableBackupRecord, 'table' | 'partitionColumn'>,
  artifacts: readonly ArtifactRecord[],
): Promise<LedgerMatches> {
  const deletions = (await ledgerEntriesFor(ctx.ledger, ctx.database, table.table)).filter(appliesOnRestore);
  const byDay: DayCounts = new Map();
  if (deletions.length === 0 || artifacts.length === 0) return { byDay, deletions: deletions.length };
  const columns = new Map<string, ColumnSpec>();
  if (table.partitionColumn !== null)
    columns.set(table.partitionColumn, { name: table.partitionColumn, type: 'datetime' });
  for (const d of deletions) for (const c of d.columns) if (!columns.has(c.name)) columns.set(c.name, c);
  const predicates = deletions.map((d) =>
    parseSimplePredicate(d.predicate, { name: table.table, columns: d.columns }),
  );
  for (let i = 0; i < artifacts.length; i += MAX_FILES_PER_LEDGER_MATCH) {
    const files = artifacts.slice(i, i + MAX_FILES_PER_LEDGER_MATCH).map((a) => {
      const location = parseArtifactUrl(a.path);
      return { ...folderTarget(location, ctx.storageAuth), path: [...location.folder, location.fileName] };
    });
    const command = countLedgerMatches({
      table: table.table,
      columns: [...columns.values()],
      files,
      predicates,
      ...(table.partitionColumn === null ? {} : { partitionColumn: table.partitionColumn }),
    });
    for (const [day, n] of parseDayCounts(await ctx.gateway.execute(ctx.database, command)))
      byDay.set(day, (byDay.get(day) ?? 0) + n);
  }
  return { byDay, deletions: deletions.length };
}
