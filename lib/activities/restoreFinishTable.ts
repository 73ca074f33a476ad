/**
 * `restoreFinishTable`: deletion ledger, verification, `.move extents` into the target and the
 * staging table dropped (see `restore/finish.ts`).
 */
import { PermanentError } from '../errors';
import { finishTable } from '../restore/finish';
import type { FinishTableInput, FinishTableOutput, RestoreDeps } from './restoreContracts';

/** Builds the activity handler. */
export function createRestoreFinishTableActivity(
  deps: Pick<RestoreDeps, 'gatewayFor' | 'ledger' | 'state' | 'logger'>,
): (input: FinishTableInput) => Promise<FinishTableOutput> {
  return async ({ restoreId, table, sourceDatabase, target }) => {
    const progress = await deps.state.getTable(restoreId, table);
    if (!progress) throw new PermanentError(`restore '${restoreId}' has no plan for table '${table}'`);
    const result = await finishTable(deps, restoreId, progress, { database: sourceDatabase }, target);
    deps.logger.info('table restored', {
      restoreId,
      table,
      target: result.target,
      rowsRestored: result.rowsRestored,
      rowsDeleted: result.rowsDeleted,
    });
    return result;
  };
}
