/**
 * What a restore (and verification) takes from the ledger: the deletions of a table, their
 * predicates re-validated, and `applyLedgerToTable`, which soft-deletes every deletion's rows from a
 * staging table before the restored data becomes visible, so a restore never resurrects deleted or
 * purged rows.
 *
 * A ledger whose chain fails verification is not used: a removed entry would silently bring purged
 * rows back, so the restore stops and says why.
 */
import { ConflictError, ValidationError } from '../errors';
import { deleteRecords } from '../kusto/commands';
import type { KustoGateway } from '../kusto/gateway';
import { parseSimplePredicate } from '../kusto/predicate';
import type { SimplePredicate } from '../kusto/predicate';
import { parseDeleteRecordsResult } from '../kusto/results/deletions';
import type { TableChain } from '../storage/ledger';
import type { DeletionKind } from '../storage/ledgerChain';
import { readTableColumns } from './columns';
import type { DeletionStatus, DeletionSummary } from './status';
import { appliesOnRestore, summarizeDeletions } from './status';

/** Reads one table's chain. */
export interface LedgerReader {
  readTable(database: string, table: string): Promise<TableChain>;
}

/**
 * Every deletion recorded for a table, in the order recorded, with its time (`requestedAt`,
 * `executedAt`) and status; failed ones included (callers filter with `appliesOnRestore`).
 * @throws ConflictError when the table's chain fails verification.
 */
export async function ledgerEntriesFor(
  ledger: LedgerReader,
  database: string,
  table: string,
): Promise<DeletionSummary[]> {
  const chain = await ledger.readTable(database, table);
  if (!chain.verification.valid) {
    const problems = chain.verification.problems
      .slice(0, 3)
      .map((p) => `seq ${p.seq}: ${p.problem}`)
      .join('; ');
    throw new ConflictError(
      `the deletion ledger of '${database}'.'${table}' fails verification (${problems}); it is not used until this is investigated`,
    );
  }
  return summarizeDeletions(chain.entries);
}

/**
 * The predicates a restore of `table` must apply, re-validated against the columns they were
 * recorded with (a stored entry is data, not a trusted predicate).
 */
export async function ledgerPredicatesFor(
  ledger: LedgerReader,
  database: string,
  table: string,
): Promise<SimplePredicate[]> {
  const deletions = (await ledgerEntriesFor(ledger, database, table)).filter(appliesOnRestore);
  return deletions.map((d) => parseSimplePredicate(d.predicate, { name: table, columns: d.columns }));
}

/** One deletion applied to a staging table. */
export interface AppliedDeletion {
  readonly deletionId: string;
  readonly kind: DeletionKind;
  /** Rows the soft delete removed from the staging table (null when the answer does not say). */
  readonly recordsDeleted: number | null;
}

/** What {@link applyLedgerToTable} did. */
export interface LedgerApplication {
  readonly applied: readonly AppliedDeletion[];
  /** Deletions left out because they failed on the source. */
  readonly skipped: readonly { readonly deletionId: string; readonly status: DeletionStatus }[];
}

/**
 * Runs `.delete table <staging> records <| <staging> | where P` for every deletion that applies
 * (see `appliesOnRestore`), in order. All predicates are first validated against the staging table's
 * live columns, so one that no longer applies fails the call before any row is touched.
 * @throws ValidationError (field `entries`) naming the deletion whose predicate does not apply.
 */
export async function applyLedgerToTable(
  gateway: KustoGateway,
  database: string,
  stagingTable: string,
  entries: readonly DeletionSummary[],
): Promise<LedgerApplication> {
  const apply = entries.filter(appliesOnRestore);
  const skipped = entries
    .filter((d) => !appliesOnRestore(d))
    .map((d) => ({ deletionId: d.id, status: d.status }));
  if (apply.length === 0) return { applied: [], skipped };
  const columns = await readTableColumns(gateway, database, stagingTable);
  const predicates = apply.map((d) => {
    try {
      return parseSimplePredicate(d.predicate, { name: stagingTable, columns });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      throw new ValidationError(
        'entries',
        `deletion ${d.id} cannot be applied to '${stagingTable}' (${error.message}); restored rows would include rows it deleted`,
      );
    }
  });
  const applied: AppliedDeletion[] = [];
  for (const [i, predicate] of predicates.entries()) {
    const deletion = apply[i]!;
    const result = parseDeleteRecordsResult(
      await gateway.execute(database, deleteRecords(stagingTable, predicate)),
    );
    applied.push({ deletionId: deletion.id, kind: deletion.kind, recordsDeleted: result.recordsDeleted });
  }
  return { applied, skipped };
}
