/**
 * `snapshotSchema`: keeps the database's schema (`.show database schema as csl script`) beside its
 * data, in every backup container, so a restore can recreate tables, policies and functions. A new
 * snapshot is written only when the script differs from the latest one stored.
 */
import { showDatabaseSchemaScript } from '../kusto/commands';
import { parseCslScript } from '../kusto/results';
import { schemaSnapshotBlobName, schemaSnapshotPrefix } from '../storage/layout';
import type { ActivityDeps, SnapshotSchemaInput, SnapshotSchemaOutput } from './contracts';

/** Builds the activity handler. */
export function createSnapshotSchemaActivity(
  deps: Pick<ActivityDeps, 'gatewayFor' | 'blobs' | 'logger'>,
): (input: SnapshotSchemaInput) => Promise<SnapshotSchemaOutput> {
  return async (input) => {
    const gateway = deps.gatewayFor(input.clusterUri);
    const { script } = parseCslScript(await gateway.execute(input.database, showDatabaseSchemaScript()));
    const text = `${script}\n`;
    const written: string[] = [];
    const unchanged: string[] = [];
    for (const container of input.containers) {
      const latest = await deps.blobs.latestText(container, schemaSnapshotPrefix(input.database));
      if (latest?.text === text) {
        unchanged.push(container);
        continue;
      }
      const name = schemaSnapshotBlobName(input.database, new Date(input.takenAt));
      written.push(await deps.blobs.writeText(container, name, text));
    }
    deps.logger.info('schema snapshot', {
      database: input.database,
      written: written.length,
      unchanged: unchanged.length,
    });
    return { written, unchanged };
  };
}
