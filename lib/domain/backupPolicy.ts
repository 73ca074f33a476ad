/**
 * A database's backup policy: the validated setup request, stored in the catalog when setup starts,
 * so the monitor sets up new tables and repairs existing ones exactly as setup would (same table
 * selection, partition overrides, containers, storage auth and export options). It is read back
 * from storage, so it is validated again: a record that cannot be parsed or breaks a rule is
 * refused naming the field, and the monitor then acts on nothing in that database.
 */
import { z } from 'zod';
import { ValidationError } from '../errors';
import { validatePatterns } from './tableSelection';
import { normalizeClusterUri } from '../kusto/auth';
import { managedIdentity, validateName } from '../kusto/quote';
import type { SetupInput } from '../orchestrations/setupDatabase';
import { parseContainerUrl } from '../storage/layout';

/** Format version of the stored JSON; bumped when a field changes meaning. */
export const POLICY_VERSION = 1;

const MINUTE_MS = 60_000;

const storageAuthSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('impersonate') }).strict(),
  z.object({ kind: z.literal('managedIdentity'), identity: z.string() }).strict(),
]);

const policySchema = z
  .object({
    version: z.literal(POLICY_VERSION),
    clusterUri: z.string(),
    database: z.string(),
    include: z.array(z.string()),
    exclude: z.array(z.string()),
    partitionColumns: z.record(z.string(), z.string()),
    containers: z.array(z.string()).min(1),
    storageAuth: storageAuthSchema,
    export: z
      .object({
        intervalMs: z.number().gt(MINUTE_MS),
        forcedLatencyMs: z.number().nonnegative().optional(),
        sizeLimitBytes: z.number().int().positive().optional(),
        managedIdentity: z.string().optional(),
      })
      .strict(),
    chunkTargetRows: z.number().int().positive(),
    parallelism: z.number().int().positive(),
  })
  .strict();

/** `export.intervalMs`, `containers[0]`: the path of a zod issue as a field name. */
function fieldOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    '',
  );
}

/** The JSON text stored for a setup request. */
export function serialisePolicy(input: SetupInput): string {
  const { clusterUri, database, include, exclude, partitionColumns, containers, storageAuth } = input;
  return JSON.stringify({
    version: POLICY_VERSION,
    clusterUri,
    database,
    include,
    exclude,
    partitionColumns,
    containers,
    storageAuth,
    export: input.export,
    chunkTargetRows: input.chunkTargetRows,
    parallelism: input.parallelism,
  });
}

/**
 * Reads a stored policy back and applies the rules setup applies to a request.
 * @throws ValidationError naming the field (`policy.containers[0]`, `policy` for bad JSON).
 */
export function parsePolicy(text: string): SetupInput {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ValidationError('policy', 'is not valid JSON');
  }
  const parsed = policySchema.safeParse(json);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    const keys = issue?.code === 'unrecognized_keys' ? `.${issue.keys.join(', ')}` : '';
    throw new ValidationError(
      `policy${issue && issue.path.length > 0 ? '.' : ''}${fieldOf(issue?.path ?? [])}${keys}`,
      issue?.code === 'unrecognized_keys' ? 'is not a known field' : (issue?.message ?? 'is invalid'),
    );
  }
  const p = parsed.data;
  const clusterUri = normalizeClusterUri(p.clusterUri, 'policy.clusterUri');
  validateName(p.database, 'policy.database');
  validatePatterns(p.include, 'policy.include');
  validatePatterns(p.exclude, 'policy.exclude');
  for (const [table, column] of Object.entries(p.partitionColumns)) {
    validateName(table, `policy.partitionColumns.${table}`);
    validateName(column, `policy.partitionColumns.${table}`);
  }
  p.containers.forEach((c, i) => parseContainerUrl(c, `policy.containers[${i}]`));
  if (p.storageAuth.kind === 'managedIdentity') {
    managedIdentity(p.storageAuth.identity, 'policy.storageAuth.identity');
  }
  if (p.export.managedIdentity !== undefined) {
    managedIdentity(p.export.managedIdentity, 'policy.export.managedIdentity');
  }
  return {
    clusterUri,
    database: p.database,
    include: p.include,
    exclude: p.exclude,
    partitionColumns: p.partitionColumns,
    containers: p.containers,
    storageAuth: p.storageAuth,
    export: p.export,
    chunkTargetRows: p.chunkTargetRows,
    parallelism: p.parallelism,
  };
}
