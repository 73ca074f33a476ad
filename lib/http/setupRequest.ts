/**
 * The body of `POST /api/backups/{database}/setup`, validated with zod, turned into a complete
 * {@link SetupInput} with the configuration's defaults. Every problem names its field; nothing here
 * talks to a cluster.
 */
import { z } from 'zod';
import type { Config } from '../config';
import { parseDuration } from '../config';
import { ValidationError } from '../errors';
import { validatePatterns } from '../domain/tableSelection';
import { normalizeClusterUri } from '../kusto/auth';
import { managedIdentity, validateName } from '../kusto/quote';
import type { StorageAuth } from '../kusto/quote';
import type { SetupInput } from '../orchestrations/setupDatabase';
import { parseContainerUrl } from '../storage/layout';

const MINUTE_MS = 60_000;
const MB = 1024 * 1024;

const bodySchema = z
  .object({
    clusterUri: z.string().optional(),
    include: z.array(z.string()).default([]),
    exclude: z.array(z.string()).default([]),
    partitionColumns: z.record(z.string(), z.string()).default({}),
    export: z
      .object({
        interval: z.string().optional(),
        forcedLatency: z.string().optional(),
        sizeLimit: z
          .number()
          .int()
          .min(100 * MB)
          .max(1024 * MB)
          .optional(),
        managedIdentity: z.string().optional(),
      })
      .strict()
      .default({}),
    containers: z.array(z.string()).min(1).optional(),
  })
  .strict();

/** The request body as JSON, before defaults. */
export type SetupBody = z.input<typeof bodySchema>;

/** `export.interval` → `export.interval`, `include[2]` for array indices. */
function fieldOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    '',
  );
}

/** Every problem of a body, each naming its field; `field` is the first one's. */
export class RequestValidationError extends ValidationError {
  constructor(readonly problems: readonly { field: string; message: string }[]) {
    const [first, ...rest] = problems;
    super(
      first?.field ?? 'body',
      [first?.message ?? 'is invalid', ...rest.map((p) => `${p.field}: ${p.message}`)].join('; '),
    );
  }
}

function duration(text: string | undefined, field: string, minExclusiveMs: number): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined)
    throw new ValidationError(field, `expected a duration like 30s, 5m or 1h, got '${text}'`);
  if (ms <= minExclusiveMs) throw new ValidationError(field, `must be more than ${minExclusiveMs / 1000} s`);
  return ms;
}

/**
 * Validates the route's database and the body and applies the configuration's defaults.
 * @throws ValidationError (or RequestValidationError listing every schema problem).
 */
export function parseSetupRequest(database: string | undefined, body: unknown, config: Config): SetupInput {
  validateName(database, 'database');
  const parsed = bodySchema.safeParse(body ?? {});
  if (!parsed.success) {
    throw new RequestValidationError(
      parsed.error.issues.map((i) => ({
        field:
          i.code === 'unrecognized_keys'
            ? i.keys.map((k) => fieldOf([...i.path, k])).join(', ')
            : fieldOf(i.path) || 'body',
        message: i.code === 'unrecognized_keys' ? 'is not a known setting' : i.message,
      })),
    );
  }
  const b = parsed.data;
  const rawCluster = b.clusterUri ?? config.clusterUri;
  if (rawCluster === undefined) {
    throw new ValidationError('clusterUri', 'is required (no ADX_BACKUP_CLUSTER_URI configured)');
  }
  const clusterUri = normalizeClusterUri(rawCluster, 'clusterUri');
  validatePatterns(b.include, 'include');
  validatePatterns(b.exclude, 'exclude');
  for (const [table, column] of Object.entries(b.partitionColumns)) {
    validateName(table, `partitionColumns.${table}`);
    validateName(column, `partitionColumns.${table}`);
  }
  const containers = b.containers ?? config.containers;
  const field = b.containers ? 'containers' : 'ADX_BACKUP_CONTAINERS';
  if (containers.length === 0) {
    throw new ValidationError(
      'containers',
      'no backup container: list containers or set ADX_BACKUP_CONTAINERS',
    );
  }
  containers.forEach((c, i) => parseContainerUrl(c, `${field}[${i}]`));
  const identity =
    b.export.managedIdentity !== undefined
      ? managedIdentity(b.export.managedIdentity, 'export.managedIdentity')
      : config.exportManagedIdentity;
  const storageAuth: StorageAuth =
    config.storageAuth === 'managed_identity' && identity !== undefined
      ? { kind: 'managedIdentity', identity }
      : { kind: 'impersonate' };
  if (identity === undefined) {
    // The service refuses a continuous export to an ;impersonate external table without one (reference §1.11).
    throw new ValidationError(
      'export.managedIdentity',
      "is required: continuous export needs a managed identity ('system' or an object id); set it here or in ADX_BACKUP_EXPORT_MANAGED_IDENTITY",
    );
  }
  const forcedLatencyMs = duration(b.export.forcedLatency, 'export.forcedLatency', 0);
  const intervalMs = duration(b.export.interval, 'export.interval', MINUTE_MS) ?? config.exportIntervalMs;
  if (intervalMs <= MINUTE_MS) {
    throw new ValidationError(
      'export.interval',
      'must be more than 1 minute (the configured default is not)',
    );
  }
  return {
    clusterUri,
    database: database!,
    include: b.include,
    exclude: b.exclude,
    partitionColumns: b.partitionColumns,
    containers: [...new Set(containers)],
    storageAuth,
    export: {
      intervalMs,
      ...(forcedLatencyMs !== undefined ? { forcedLatencyMs } : {}),
      ...(b.export.sizeLimit !== undefined ? { sizeLimitBytes: b.export.sizeLimit } : {}),
      managedIdentity: identity,
    },
    chunkTargetRows: config.chunkTargetRows,
    parallelism: config.setupParallelism,
  };
}
