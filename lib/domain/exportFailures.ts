/**
 * Why a continuous export fails, read from the `Details` of its latest failure (reference §1.3, §4),
 * and what fixes it. The service's exact texts are not documented, so each cause is matched by the
 * words the documented permanent errors use (external table not found, schema mismatch between
 * query and external table, storage account not accessible) and by the throttling vocabulary of
 * §4; anything else is `unknown` and reported verbatim.
 */
import type { ContinuousExportFailure } from '../kusto/results';

/** The cause of an export's failures. */
export type FailureCause =
  'external-table-missing' | 'schema-mismatch' | 'storage-inaccessible' | 'throttling' | 'unknown';

/*
 * Order matters: a schema-mismatch text names the external table, and a storage text may say
 * "not found" about a container, so the more specific causes are tried first.
 */
const PATTERNS: readonly (readonly [FailureCause, RegExp])[] = [
  [
    'schema-mismatch',
    /schema[ _-]?mismatch|schema .*(does not|doesn't|do not) match|not compatible with the external table/i,
  ],
  [
    'storage-inaccessible',
    /not accessible|inaccessible|access (is |was )?denied|Authoriz(ation|ed)|AuthenticationFailed|\b403\b|forbidden|ContainerNotFound|storage account .*(not found|could not be resolved)|firewall/i,
  ],
  ['external-table-missing', /external table.*(not found|does not exist|could not be found)|EntityNotFound/i],
  ['throttling', /throttl|TooManyRequests|\b429\b|capacity|E_LOW_MEMORY_CONDITION|low memory|ServerBusy/i],
];

/** The cause a failure text names. */
export function classifyFailure(details: string): FailureCause {
  return PATTERNS.find(([, pattern]) => pattern.test(details))?.[0] ?? 'unknown';
}

/** The newest failure, or undefined when none is listed. */
export function latestFailure(
  failures: readonly ContinuousExportFailure[],
): ContinuousExportFailure | undefined {
  let latest: ContinuousExportFailure | undefined;
  for (const f of failures) if (!latest || f.timestamp.getTime() > latest.timestamp.getTime()) latest = f;
  return latest;
}

/** What an operator can do about a cause (the monitor's own repairs are described too). */
export function fixFor(
  cause: FailureCause,
  target: {
    readonly exportName: string;
    readonly containers: readonly string[];
    readonly managedIdentity?: string;
  },
): string {
  switch (cause) {
    case 'external-table-missing':
      return 'The monitor recreates the external table from the backup policy; if that fails, re-run setup for the database.';
    case 'schema-mismatch':
      return 'The monitor realigns the external table to the source schema; if that fails, re-run setup for the database.';
    case 'storage-inaccessible':
      return (
        `Make the backup containers (${target.containers.join(', ')}) writable by the cluster: grant the export identity ` +
        `(managedIdentity '${target.managedIdentity ?? 'system'}') and the identity adx-backup runs as "Storage Blob Data Contributor" ` +
        'on them and allow the cluster through the storage firewall. The monitor test-writes to the containers every tick ' +
        'and re-enables the export once a write succeeds.'
      );
    case 'throttling':
      return 'The cluster lacks export capacity: raise ExportCapacity in the capacity policy or scale the cluster out; the export catches up by itself.';
    case 'unknown':
      return `Read '.show continuous-export ${target.exportName} failures' for the details and fix the cause; the monitor re-enables a disabled export on its next tick.`;
  }
}
