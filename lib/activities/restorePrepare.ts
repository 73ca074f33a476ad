/**
 * `restorePrepare`: resolves, plans and stores a restore, then creates the missing target tables and
 * the staging tables (see `restore/prepare.ts`). Throws a PermanentError, before any data moves, when
 * the target cannot take the restore.
 */
import { prepareRestore } from '../restore/prepare';
import type { RestoreDeps, RestorePrepareInput, RestorePrepareOutput } from './restoreContracts';

/** Builds the activity handler. */
export function createRestorePrepareActivity(
  deps: Pick<RestoreDeps, 'gatewayFor' | 'catalog' | 'blobs' | 'state' | 'logger'>,
): (input: RestorePrepareInput) => Promise<RestorePrepareOutput> {
  return async ({ request, settings }) => {
    const prepared = await prepareRestore(deps, request, settings);
    deps.logger.info('restore prepared', {
      restoreId: request.restoreId,
      tables: prepared.tables.length,
      blobs: prepared.tables.reduce((n, t) => n + t.blobs, 0),
    });
    return prepared;
  };
}
