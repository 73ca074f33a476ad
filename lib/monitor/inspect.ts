/**
 * The monitor's reads: the two commands every tick sends per database (`.show continuous-exports`
 * and `.show database schema as json`), the failures of unhealthy exports only, and the test write
 * to the backup containers when an export waits on storage.
 */
import { errorText } from '../activities/common';
import type { TableAssessment } from '../domain/monitorDiff';
import { needsFailures } from '../domain/monitorDiff';
import type { StorageProbe } from '../domain/monitorPlan';
import {
  probeStorageWrite,
  showContinuousExportFailures,
  showContinuousExports,
  showDatabaseSchemaJson,
} from '../kusto/commands';
import type { KustoGateway } from '../kusto/gateway';
import type { ContinuousExport, ContinuousExportFailure, DatabaseSchema } from '../kusto/results';
import { parseContinuousExportFailures, parseContinuousExports, parseDatabaseSchema } from '../kusto/results';
import type { SetupInput } from '../orchestrations/setupDatabase';
import { parseContainerUrl } from '../storage/layout';

/** Folder (at the top of each backup container) the storage probe writes to; never a database. */
export const PROBE_FOLDER = '_monitor';

/** What the cluster reports about a database. */
export interface ClusterView {
  readonly exports: readonly ContinuousExport[];
  readonly schema: DatabaseSchema;
}

/** The tick's two reads. Rejects when either fails (nothing is acted on then). */
export async function readClusterView(gateway: KustoGateway, database: string): Promise<ClusterView> {
  const [exports, schema] = await Promise.all([
    gateway.execute(database, showContinuousExports()),
    gateway.execute(database, showDatabaseSchemaJson()),
  ]);
  return { exports: parseContinuousExports(exports), schema: parseDatabaseSchema(schema, database) };
}

/**
 * `.show continuous-export X failures` for each unhealthy export. A table whose failures cannot be
 * read gets none (its cause is then unknown) and the reason, so one bad answer does not stop the tick.
 */
export async function readFailures(
  gateway: KustoGateway,
  database: string,
  assessments: readonly TableAssessment[],
): Promise<{ failures: Map<string, ContinuousExportFailure[]>; problems: Map<string, string> }> {
  const failures = new Map<string, ContinuousExportFailure[]>();
  const problems = new Map<string, string>();
  for (const a of assessments) {
    if (!needsFailures(a) || !a.export) continue;
    try {
      const answer = await gateway.execute(database, showContinuousExportFailures(a.export.name));
      failures.set(a.table, parseContinuousExportFailures(answer));
    } catch (error) {
      problems.set(a.table, `failures could not be read: ${errorText(error)}`);
    }
  }
  return { failures, problems };
}

/** Writes one small file to each backup container with the backup's storage auth. */
export async function probeStorage(gateway: KustoGateway, policy: SetupInput): Promise<StorageProbe> {
  const out = new Map<string, { ok: true } | { ok: false; error: string }>();
  for (const [i, container] of policy.containers.entries()) {
    try {
      const location = parseContainerUrl(container, `containers[${i}]`);
      const target = { ...location, path: [PROBE_FOLDER], auth: policy.storageAuth };
      await gateway.execute(policy.database, probeStorageWrite(target, 'storage-probe'));
      out.set(container, { ok: true });
    } catch (error) {
      out.set(container, { ok: false, error: errorText(error) });
    }
  }
  return out;
}
