/**
 * `recordBackupPolicy`: stores the database's setup request (defaults applied) in the catalog when
 * a setup starts, so the monitor later sets up new tables and repairs existing ones with the same
 * selection, containers, storage auth and export options.
 */
import { serialisePolicy } from '../domain/backupPolicy';
import type { SetupInput } from '../orchestrations/setupDatabase';
import type { ActivityDeps } from './contracts';

/** Builds the activity handler. */
export function createRecordBackupPolicyActivity(
  deps: Pick<ActivityDeps, 'catalog'>,
): (input: SetupInput) => Promise<{ readonly recorded: true }> {
  return async (input) => {
    await deps.catalog.putDatabasePolicy(input.clusterUri, input.database, serialisePolicy(input));
    return { recorded: true };
  };
}
