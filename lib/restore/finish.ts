/**
 * The last step of a table's restore, once its staging table holds every expected row: apply the
 * deletion ledger to staging, verify the counts, `.move extents all` into the target (atomic: the
 * restored rows become visible at once, deletions already applied), verify what arrived, drop
 * staging.
 *
 * Safe to run again after a crash at any point: every extent of the restore carries its tag, so
 * finding tagged extents in the target means the move happened and only the clean-up is left; the
 * ledger is idempotent (deleting deleted rows deletes nothing).
 */
import { PermanentError } from '../errors';
import { applyLedgerToTable, ledgerEntriesFor } from '../deletions/restore';
import type { LedgerReader } from '../deletions/restore';
import { countSourceRows, dropTable, moveExtents, summarizeTaggedExtents } from '../kusto/commands';
import type { KustoGateway } from '../kusto/gateway';
import { parseExtentRowCounts } from '../kusto/results';
import { parseDayCounts } from '../kusto/results/counts';
import { restoreTag } from './ingestMessage';
import type { RestoreState, TableProgress } from './state';

/** What a table's restore did. */
export interface TableResult {
  readonly source: string;
  readonly target: string;
  readonly status: 'completed' | 'failed';
  readonly rowsExpected: number;
  readonly rowsIngested: number;
  /** Rows the deletion ledger removed from staging. */
  readonly rowsDeleted: number;
  /** Rows now in the target that this restore brought (tagged extents, deleted rows excluded). */
  readonly rowsRestored: number;
  readonly deletionsApplied: number;
  readonly deletionsSkipped: number;
  readonly extentsMoved: number;
  readonly folders: number;
  readonly blobs: number;
  readonly requeued: number;
  readonly warnings: readonly string[];
  readonly error?: string;
}

/** What finishing needs. */
export interface FinishDeps {
  readonly gatewayFor: (clusterUri: string) => KustoGateway;
  readonly ledger: LedgerReader;
  readonly state: RestoreState;
}

async function countRows(gateway: KustoGateway, database: string, table: string): Promise<number> {
  const counts = parseDayCounts(await gateway.execute(database, countSourceRows(table)));
  return [...counts.values()].reduce((a, b) => a + b, 0);
}

/** Finishes one table (see the module comment); records and returns the result. */
export async function finishTable(
  deps: FinishDeps,
  restoreId: string,
  progress: TableProgress,
  source: { readonly database: string },
  target: { readonly clusterUri: string; readonly database: string },
): Promise<TableResult> {
  const { plan } = progress;
  const gateway = deps.gatewayFor(target.clusterUri);
  const tag = restoreTag(restoreId);
  const previous = (progress.result ?? {}) as Partial<TableResult>;
  const base = {
    source: plan.source,
    target: plan.target,
    rowsExpected: plan.rows,
    rowsIngested: progress.rowsIngested,
    folders: plan.folders.length,
    blobs: plan.blobs,
    requeued: progress.requeued,
    warnings: plan.exportedBy.length
      ? [
          `rows restored into '${plan.target}' may be exported again by continuous export ${plan.exportedBy.join(', ')}`,
        ]
      : [],
  };
  const moved = parseExtentRowCounts(
    await gateway.execute(target.database, summarizeTaggedExtents(plan.target, tag)),
  );
  let result: TableResult;
  if (moved.extents > 0) {
    // A run that crashed after the move: the rows are in place; only the clean-up is left.
    result = {
      ...base,
      status: 'completed',
      rowsDeleted: previous.rowsDeleted ?? plan.rows - (moved.rows - moved.deletedRows),
      rowsRestored: moved.rows - moved.deletedRows,
      deletionsApplied: previous.deletionsApplied ?? 0,
      deletionsSkipped: previous.deletionsSkipped ?? 0,
      extentsMoved: moved.extents,
    };
  } else {
    const before = await countRows(gateway, target.database, plan.staging);
    // After a crash between the ledger and the move, staging already lacks the deleted rows.
    const ledgerRan = previous.deletionsApplied !== undefined;
    if (!ledgerRan && before !== plan.rows)
      throw new PermanentError(
        `staging table '${plan.staging}' holds ${before} rows, the backup's artifacts hold ${plan.rows}`,
      );
    const entries = await ledgerEntriesFor(deps.ledger, source.database, plan.source);
    const ledger = await applyLedgerToTable(gateway, target.database, plan.staging, entries);
    const after = await countRows(gateway, target.database, plan.staging);
    const reported = ledger.applied.map((a) => a.recordsDeleted);
    if (!ledgerRan && reported.every((n) => n !== null)) {
      const deleted = reported.reduce<number>((a, b) => a + (b ?? 0), 0);
      if (before - after !== deleted)
        throw new PermanentError(
          `the deletion ledger removed ${deleted} rows from '${plan.staging}', but it went from ${before} to ${after} rows`,
        );
    }
    const partial = {
      ...base,
      status: 'completed' as const,
      rowsDeleted: plan.rows - after,
      rowsRestored: 0,
      deletionsApplied: ledger.applied.length,
      deletionsSkipped: ledger.skipped.length,
      extentsMoved: 0,
    };
    await deps.state.patchTable(restoreId, plan.source, { state: 'finishing', result: partial });
    await gateway.execute(target.database, moveExtents(plan.staging, plan.target));
    const arrived = parseExtentRowCounts(
      await gateway.execute(target.database, summarizeTaggedExtents(plan.target, tag)),
    );
    if (arrived.rows - arrived.deletedRows !== after)
      throw new PermanentError(
        `moved '${plan.staging}' (${after} rows) into '${plan.target}', which now holds ${arrived.rows - arrived.deletedRows} rows of this restore`,
      );
    result = { ...partial, rowsRestored: after, extentsMoved: arrived.extents };
  }
  await gateway.execute(target.database, dropTable(plan.staging, { ifExists: true }));
  await deps.state.patchTable(restoreId, plan.source, { state: 'completed', result, error: null });
  return result;
}
