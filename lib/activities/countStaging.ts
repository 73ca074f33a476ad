/**
 * `countStaging`: one progress check of a table's restore (rows in staging, folders done, failed
 * ingestions queued again; see `restore/progress.ts`).
 */
import { PermanentError } from '../errors';
import { checkProgress } from '../restore/progress';
import type { CountStagingInput, CountStagingOutput, RestoreDeps } from './restoreContracts';

/** Builds the activity handler. */
export function createCountStagingActivity(
  deps: Pick<RestoreDeps, 'gatewayFor' | 'state' | 'ingest' | 'storageAuth'>,
): (input: CountStagingInput) => Promise<CountStagingOutput> {
  return async ({ restoreId, table, target }) => {
    const progress = await deps.state.getTable(restoreId, table);
    if (!progress) throw new PermanentError(`restore '${restoreId}' has no plan for table '${table}'`);
    return checkProgress(deps, restoreId, progress, target);
  };
}
