/**
 * Configuration: the only place that reads `process.env`. Every setting is validated with zod and a
 * bad configuration fails once, naming every bad key, instead of one key per restart.
 */
import { z } from 'zod';
import { ConfigError } from './errors';

const durationPattern = /^(\d+)(ms|s|m|h|d)$/;

/** Parses `500ms`, `30s`, `5m`, `1h`, `2d` into milliseconds. */
export function parseDuration(text: string): number | undefined {
  const m = durationPattern.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] as 'ms' | 's' | 'm' | 'h' | 'd';
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit];
  return n * factor;
}

const duration = (min: number, max: number) =>
  z.string().transform((s, ctx) => {
    const ms = parseDuration(s);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `expected a duration like 30s, 5m or 1h, got '${s}'` });
      return z.NEVER;
    }
    if (ms < min || ms > max) {
      ctx.addIssue({ code: 'custom', message: `must be between ${min} ms and ${max} ms` });
      return z.NEVER;
    }
    return ms;
  });

const positiveInt = (max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(max));

const clusterUri = z
  .string()
  .url('expected a URL like https://mycluster.westeurope.kusto.windows.net')
  .refine((u) => /^https:\/\//i.test(u) || /^http:\/\/(localhost|127\.\d+\.\d+\.\d+)(:\d+)?\/?$/i.test(u), {
    message: 'must be https (or http on a loopback address for the local emulator)',
  });

/** Blob container URL: https://account.blob.core.windows.net/container (or an Azurite http URL). */
const containerUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\/[^/]+\/[^/?;]+(\/[^/?;]+)?\/?$/.test(u), {
    message: 'expected a blob container URL',
  });

const NCRONTAB = /^(\S+\s+){5}\S+$/;

/** A comma-separated list; blanks around and between items are ignored. */
const commaList = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x.length > 0),
  );

const schema = z.object({
  ADX_BACKUP_CLUSTER_URI: clusterUri.optional(),
  ADX_BACKUP_DATABASES: commaList,
  ADX_BACKUP_CONTAINERS: commaList.pipe(z.array(containerUrl)),
  ADX_BACKUP_STORAGE_AUTH: z.enum(['impersonate', 'managed_identity']).default('impersonate'),
  ADX_BACKUP_EXPORT_MANAGED_IDENTITY: z
    .string()
    .regex(
      /^(system|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/,
      'expected system or an object id',
    )
    .optional(),
  ADX_BACKUP_EXPORT_INTERVAL: duration(60_000, 86_400_000).default(300_000),
  ADX_BACKUP_CHUNK_TARGET_ROWS: positiveInt(1_000_000_000).default(16_000_000),
  ADX_BACKUP_SETUP_PARALLELISM: positiveInt(256).default(8),
  ADX_BACKUP_MONITOR_SCHEDULE: z
    .string()
    .regex(NCRONTAB, 'expected a six-field NCRONTAB expression')
    .default('0 */5 * * * *'),
  ADX_BACKUP_LATENESS_THRESHOLD: duration(60_000, 7 * 86_400_000).default(3_600_000),
  ADX_BACKUP_REENABLE_PER_TICK: positiveInt(1000).default(2),
  ADX_BACKUP_VERIFY_SCHEDULE: z
    .string()
    .regex(NCRONTAB, 'expected a six-field NCRONTAB expression')
    .default('0 0 2 * * *'),
  ADX_BACKUP_RECONCILE_SCHEDULE: z
    .string()
    .regex(NCRONTAB, 'expected a six-field NCRONTAB expression')
    .default('0 15 * * * *'),
  ADX_BACKUP_ORPHAN_HORIZON: duration(3_600_000, 30 * 86_400_000).default(86_400_000),
  ADX_BACKUP_QUARANTINE_ORPHANS: z
    .enum(['true', 'false'], { message: 'expected true or false' })
    .default('false')
    .transform((v) => v === 'true'),
  ADX_BACKUP_RESTORE_BATCH_SIZE: positiveInt(10_000).default(500),
  ADX_BACKUP_RESTORE_STALL_TIMEOUT: duration(60_000, 7 * 86_400_000).default(1_800_000),
  ADX_BACKUP_KUSTO_RETRY_ATTEMPTS: positiveInt(20).default(5),
  ADX_BACKUP_MANAGED_IDENTITY_CLIENT_ID: z.string().uuid('expected a client id (guid)').optional(),
  ADX_BACKUP_CATALOG_TABLE_URL: z.string().url().optional(),
  ADX_BACKUP_TASK_HUB: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9]{2,44}$/, 'letters and digits, starting with a letter, 3-45 chars')
    .default('AdxBackupHub'),
});

/** Validated configuration. Durations are in milliseconds. */
export interface Config {
  /** Default cluster for timers (monitor, verify); HTTP requests may name their own. */
  readonly clusterUri: string | undefined;
  /** Databases the monitor and verification cover. */
  readonly databases: readonly string[];
  /** Backup containers; one external-table connection string per container. */
  readonly containers: readonly string[];
  /** How ADX authenticates to storage: `;impersonate` or `;managed_identity=...`. */
  readonly storageAuth: 'impersonate' | 'managed_identity';
  /** Identity used by continuous exports (`managedIdentity` property): `system` or an object id. */
  readonly exportManagedIdentity: string | undefined;
  readonly exportIntervalMs: number;
  readonly chunkTargetRows: number;
  readonly setupParallelism: number;
  readonly monitorSchedule: string;
  readonly latenessThresholdMs: number;
  readonly reenablePerTick: number;
  readonly verifySchedule: string;
  /** Catalog reconcile timer (NCRONTAB). */
  readonly reconcileSchedule: string;
  /** A file still pending (not committed) this long after it was written becomes an orphan. */
  readonly orphanHorizonMs: number;
  /** Move new orphans out of the backup folders into `<container>/_orphans/`. */
  readonly quarantineOrphans: boolean;
  readonly restoreBatchSize: number;
  /** A restore fails when its staging tables gain no row for this long (queued ingestion stalled). */
  readonly restoreStallTimeoutMs: number;
  readonly kustoRetryAttempts: number;
  /** Client id of a user-assigned managed identity; DefaultAzureCredential when absent. */
  readonly managedIdentityClientId: string | undefined;
  /** Table service URL for the catalog; when absent the Functions storage account is used. */
  readonly catalogTableUrl: string | undefined;
  readonly taskHub: string;
}

/** Every environment variable `loadConfig` reads (the deployment sets these; a test checks the Bicep). */
export const CONFIG_KEYS = Object.keys(schema.shape) as readonly (keyof typeof schema.shape)[];

/**
 * Reads and validates configuration from `env` (default `process.env`).
 * @throws ConfigError listing every invalid key.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const input: Record<string, string | undefined> = {};
  for (const key of CONFIG_KEYS) {
    const v = env[key];
    input[key] = v === undefined || v.trim() === '' ? undefined : v;
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const byKey = new Map<string, string[]>();
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '(root)');
      byKey.set(key, [...(byKey.get(key) ?? []), issue.message]);
    }
    throw new ConfigError([...byKey].map(([key, messages]) => ({ key, message: messages.join('; ') })));
  }
  const c = parsed.data;
  if (c.ADX_BACKUP_STORAGE_AUTH === 'managed_identity' && !c.ADX_BACKUP_EXPORT_MANAGED_IDENTITY) {
    throw new ConfigError([
      {
        key: 'ADX_BACKUP_EXPORT_MANAGED_IDENTITY',
        message: 'required when ADX_BACKUP_STORAGE_AUTH is managed_identity',
      },
    ]);
  }
  return {
    clusterUri: c.ADX_BACKUP_CLUSTER_URI,
    databases: c.ADX_BACKUP_DATABASES,
    containers: c.ADX_BACKUP_CONTAINERS,
    storageAuth: c.ADX_BACKUP_STORAGE_AUTH,
    exportManagedIdentity: c.ADX_BACKUP_EXPORT_MANAGED_IDENTITY,
    exportIntervalMs: c.ADX_BACKUP_EXPORT_INTERVAL,
    chunkTargetRows: c.ADX_BACKUP_CHUNK_TARGET_ROWS,
    setupParallelism: c.ADX_BACKUP_SETUP_PARALLELISM,
    monitorSchedule: c.ADX_BACKUP_MONITOR_SCHEDULE,
    latenessThresholdMs: c.ADX_BACKUP_LATENESS_THRESHOLD,
    reenablePerTick: c.ADX_BACKUP_REENABLE_PER_TICK,
    verifySchedule: c.ADX_BACKUP_VERIFY_SCHEDULE,
    reconcileSchedule: c.ADX_BACKUP_RECONCILE_SCHEDULE,
    orphanHorizonMs: c.ADX_BACKUP_ORPHAN_HORIZON,
    quarantineOrphans: c.ADX_BACKUP_QUARANTINE_ORPHANS,
    restoreBatchSize: c.ADX_BACKUP_RESTORE_BATCH_SIZE,
    restoreStallTimeoutMs: c.ADX_BACKUP_RESTORE_STALL_TIMEOUT,
    kustoRetryAttempts: c.ADX_BACKUP_KUSTO_RETRY_ATTEMPTS,
    managedIdentityClientId: c.ADX_BACKUP_MANAGED_IDENTITY_CLIENT_ID,
    catalogTableUrl: c.ADX_BACKUP_CATALOG_TABLE_URL,
    taskHub: c.ADX_BACKUP_TASK_HUB,
  };
}

/**
 * A timer's schedule, needed when the function is registered (at import, before settings are
 * validated as a whole): the setting, or its default when unset or invalid. An invalid value is
 * still reported by `loadConfig` (so by `GET /api/health` and on every run).
 */
export function timerScheduleFor(
  key: 'ADX_BACKUP_MONITOR_SCHEDULE' | 'ADX_BACKUP_RECONCILE_SCHEDULE' | 'ADX_BACKUP_VERIFY_SCHEDULE',
  env: Record<string, string | undefined> = process.env,
): string {
  const value = env[key]?.trim();
  const parsed = schema.shape[key].safeParse(value === '' ? undefined : value);
  return parsed.success ? parsed.data : schema.shape[key].parse(undefined);
}

/**
 * The Functions host's own storage connection string (`AzureWebJobsStorage`), which holds the
 * catalog when `ADX_BACKUP_CATALOG_TABLE_URL` is not set. Undefined when the host uses an
 * identity-based connection (`AzureWebJobsStorage__accountName`) instead.
 */
export function loadHostStorageConnectionString(
  env: Record<string, string | undefined> = process.env,
): string | undefined {
  const value = env.AzureWebJobsStorage?.trim();
  return value === undefined || value === '' ? undefined : value;
}
