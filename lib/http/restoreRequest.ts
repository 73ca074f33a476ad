/**
 * The body of `POST /api/restores`, validated with zod and the command layer's own checks, turned
 * into a complete {@link RestoreRequest} with the configuration's defaults. Every problem names its
 * field (all of them are reported at once); nothing here talks to a cluster or to storage.
 */
import { z } from 'zod';
import type { Config } from '../config';
import { ValidationError } from '../errors';
import { normalizeClusterUri } from '../kusto/auth';
import { validateName } from '../kusto/quote';
import { RESTORE_STAGING_PREFIX } from '../names';
import type { RestoreRequest } from '../restore/types';
import { parseContainerUrl } from '../storage/layout';
import { RequestValidationError } from './setupRequest';

/** Restore ids: short, and safe in instance ids, table keys and extent tags. */
const RESTORE_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** ISO-8601 with a zone, so an `asOf` can never be read in the server's local time. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/;

const bodySchema = z.strictObject({
  restoreId: z.string().regex(RESTORE_ID, 'letters, digits and -, at most 63 characters').optional(),
  source: z.strictObject({
    clusterUri: z.string().optional(),
    database: z.string(),
    tables: z.union([z.literal('all'), z.array(z.string()).min(1, 'must list at least one table')]),
    containers: z.array(z.string()).min(1).optional(),
  }),
  target: z.strictObject({
    clusterUri: z.string().optional(),
    database: z.string(),
  }),
  renames: z.record(z.string(), z.string()).default({}),
  asOf: z
    .string()
    .regex(INSTANT, 'expected an ISO-8601 time with a zone, like 2026-01-31T00:00:00Z')
    .optional(),
  partitions: z
    .strictObject({
      from: z.string().regex(DAY, 'expected a day like 2026-01-31'),
      to: z.string().regex(DAY, 'expected a day like 2026-01-31'),
    })
    .optional(),
  mode: z.enum(['new-tables', 'append']).default('new-tables'),
  allowExportedTarget: z.boolean().default(false),
  dryRun: z.boolean().default(false),
});

/** The request body as JSON, before defaults. */
export type RestoreBody = z.input<typeof bodySchema>;

interface Problem {
  field: string;
  message: string;
}

function fieldOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    '',
  );
}

/** Runs a check, collecting its ValidationError as a problem. */
function check<T>(problems: Problem[], run: () => T): T | undefined {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const prefix = `${error.field}: `;
    const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
    problems.push({ field: error.field, message });
    return undefined;
  }
}

function validDay(text: string): boolean {
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

function tableNames(tables: readonly string[] | 'all', problems: Problem[]): readonly string[] | 'all' {
  if (tables === 'all') return 'all';
  const seen = new Set<string>();
  tables.forEach((t, i) => {
    check(problems, () => validateName(t, `source.tables[${i}]`));
    if (seen.has(t)) problems.push({ field: `source.tables[${i}]`, message: `'${t}' is listed twice` });
    seen.add(t);
  });
  return [...seen];
}

function renamesOf(
  renames: Record<string, string>,
  tables: readonly string[] | 'all',
  problems: Problem[],
): Record<string, string> {
  const targets = new Map<string, string>();
  for (const [from, to] of Object.entries(renames)) {
    const field = `renames.${from}`;
    check(problems, () => validateName(from, field));
    check(problems, () => validateName(to, field));
    if (tables !== 'all' && !tables.includes(from))
      problems.push({ field, message: `'${from}' is not one of source.tables` });
    if (to.startsWith(RESTORE_STAGING_PREFIX))
      problems.push({ field, message: `target names must not start with '${RESTORE_STAGING_PREFIX}'` });
    const other = targets.get(to);
    if (other !== undefined)
      problems.push({ field, message: `'${from}' and '${other}' would both be restored into '${to}'` });
    targets.set(to, from);
  }
  return renames;
}

/**
 * Validates the body and applies the configuration's defaults; `newId` names the restore when the
 * body does not.
 * @throws RequestValidationError listing every problem, each with its field.
 */
export function parseRestoreRequest(body: unknown, config: Config, newId: () => string): RestoreRequest {
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
  const problems: Problem[] = [];
  check(problems, () => validateName(b.source.database, 'source.database'));
  check(problems, () => validateName(b.target.database, 'target.database'));
  const tables = tableNames(b.source.tables, problems);
  const renames = renamesOf(b.renames, tables, problems);
  const sourceCluster =
    b.source.clusterUri !== undefined
      ? check(problems, () => normalizeClusterUri(b.source.clusterUri!, 'source.clusterUri'))
      : config.clusterUri;
  const rawTarget = b.target.clusterUri ?? config.clusterUri;
  const targetCluster =
    rawTarget === undefined
      ? (problems.push({
          field: 'target.clusterUri',
          message: 'is required (no ADX_BACKUP_CLUSTER_URI configured)',
        }),
        undefined)
      : check(problems, () => normalizeClusterUri(rawTarget, 'target.clusterUri'));
  const containers = b.source.containers ?? config.containers;
  if (containers.length === 0)
    problems.push({
      field: 'source.containers',
      message: 'no backup container: list containers or set ADX_BACKUP_CONTAINERS',
    });
  containers.forEach((c, i) => check(problems, () => parseContainerUrl(c, `source.containers[${i}]`)));
  let asOf: string | null = null;
  if (b.asOf !== undefined) {
    const at = new Date(b.asOf);
    if (Number.isNaN(at.getTime())) problems.push({ field: 'asOf', message: `'${b.asOf}' is not a time` });
    else asOf = at.toISOString();
  }
  const range = b.partitions;
  if (range) {
    if (!validDay(range.from)) problems.push({ field: 'partitions.from', message: 'is not a calendar day' });
    if (!validDay(range.to)) problems.push({ field: 'partitions.to', message: 'is not a calendar day' });
    if (range.from > range.to) problems.push({ field: 'partitions', message: 'from must not be after to' });
  }
  if (problems.length > 0) throw new RequestValidationError(problems);
  return {
    restoreId: b.restoreId ?? newId(),
    source: {
      clusterUri: sourceCluster ?? null,
      database: b.source.database,
      tables,
      containers: [...new Set(containers)],
    },
    target: { clusterUri: targetCluster!, database: b.target.database },
    renames,
    asOf,
    partitions: range ? { from: range.from, to: range.to } : null,
    mode: b.mode,
    allowExportedTarget: b.allowExportedTarget,
    dryRun: b.dryRun,
  };
}
