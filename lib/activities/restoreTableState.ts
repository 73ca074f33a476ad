/**
 * `restoreTableState`: a table's stored plan in the compact form its orchestration works from
 * (folders as `[key, batches, blobs]`), and its result when a re-run finds it already completed.
 */
import { PermanentError } from '../errors';
import { folderEntries } from '../restore/plan';
import type { TableResult } from '../restore/finish';
import type { RestoreDeps, RestoreTableRef, RestoreTableStateOutput } from './restoreContracts';

/** Builds the activity handler. */
export function createRestoreTableStateActivity(
  deps: Pick<RestoreDeps, 'state'>,
): (input: RestoreTableRef) => Promise<RestoreTableStateOutput> {
  return async ({ restoreId, table }) => {
    const progress = await deps.state.getTable(restoreId, table);
    if (!progress) throw new PermanentError(`restore '${restoreId}' has no plan for table '${table}'`);
    const { plan } = progress;
    return {
      state: progress.state,
      target: plan.target,
      staging: plan.staging,
      partitionColumn: plan.partitionColumn,
      rows: plan.rows,
      blobs: plan.blobs,
      folders: folderEntries(plan.folders),
      result: progress.state === 'completed' ? (progress.result as TableResult) : null,
    };
  };
}
