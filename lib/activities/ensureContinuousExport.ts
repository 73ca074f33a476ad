/**
 * `ensureContinuousExport`: the continuous export of a table into its external table (the whole
 * table, no time filter). It is read first and created or altered only when missing or different;
 * its StartCursor is returned, since the historical export ends exactly there.
 */
import { PermanentError } from '../errors';
import { createOrAlterContinuousExport, showContinuousExport } from '../kusto/commands';
import { parseContinuousExports } from '../kusto/results';
import type { ContinuousExport } from '../kusto/results';
import { continuousExportDifferences, desiredContinuousExport } from '../domain/provisioning';
import { backupContinuousExportName } from '../names';
import { isNotFound } from './common';
import type { ActivityDeps, EnsureExportOutput, TableActivityInput } from './contracts';

/** Builds the activity handler. */
export function createEnsureContinuousExportActivity(
  deps: Pick<ActivityDeps, 'gatewayFor'>,
): (input: TableActivityInput) => Promise<EnsureExportOutput> {
  return async ({ clusterUri, plan }) => {
    const gateway = deps.gatewayFor(clusterUri);
    const name = backupContinuousExportName(plan.table);
    const read = async (): Promise<ContinuousExport | undefined> => {
      try {
        return parseContinuousExports(await gateway.execute(plan.database, showContinuousExport(name)))[0];
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    };
    let current = await read();
    const differences = current ? continuousExportDifferences(plan, current) : ['missing'];
    if (differences.length > 0) {
      await gateway.execute(plan.database, createOrAlterContinuousExport(desiredContinuousExport(plan)));
      // The create-or-alter answer may lack columns (reference §1.4): read the export back.
      current = await read();
    }
    if (!current || current.startCursor === '') {
      throw new PermanentError(`continuous export '${name}' of table '${plan.table}' reports no StartCursor`);
    }
    return { changed: differences.length > 0, differences, startCursor: current.startCursor };
  };
}
