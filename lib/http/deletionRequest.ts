/**
 * The body of `POST /api/deletions` and the query of `GET /api/deletions`, validated with zod and the
 * command layer's own checks. Every problem names its field; nothing here talks to a cluster, so a
 * bad request is rejected before anything is read, run or recorded.
 */
import { z } from 'zod';
import { ValidationError } from '../errors';
import type { DeletionRequest } from '../deletions/record';
import { normalizeClusterUri } from '../kusto/auth';
import { validateName } from '../kusto/quote';

/**
 * Largest predicate accepted, in UTF-8 bytes: half of what the ledger can store in one entry, so the
 * entry (predicate, columns, names) always fits. Below the parser's own 1 MB limit.
 */
export const MAX_LEDGER_PREDICATE_BYTES = 512 * 1024;

const MAX_PRINCIPAL_LENGTH = 256;

/** One problem of a request. */
export interface RequestProblem {
  readonly field: string;
  readonly message: string;
}

/** Every problem of a request; `field` and the message are the first one's. */
export class DeletionRequestError extends ValidationError {
  constructor(readonly problems: readonly RequestProblem[]) {
    const [first, ...rest] = problems;
    super(
      first?.field ?? 'body',
      [first?.message ?? 'is invalid', ...rest.map((p) => `${p.field}: ${p.message}`)].join('; '),
    );
  }
}

const bodySchema = z.strictObject({
  clusterUri: z.string().optional(),
  database: z.string(),
  table: z.string(),
  predicate: z.string(),
  kind: z.enum(['delete', 'purge']),
  execute: z.boolean().default(true),
  requestedBy: z.string().optional(),
});

/** Runs a check, turning its ValidationError into a problem. */
function check<T>(problems: RequestProblem[], run: () => T): T | undefined {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const prefix = `${error.field}: `;
    problems.push({
      field: error.field,
      message: error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message,
    });
    return undefined;
  }
}

/** A principal name: trimmed, printable, at most 256 characters; undefined when empty. */
function principalName(value: string | null | undefined, field: string): string | undefined {
  const text = value?.trim();
  if (text === undefined || text === '') return undefined;
  // eslint-disable-next-line no-control-regex
  if (text.length > MAX_PRINCIPAL_LENGTH || /[\u0000-\u001f\u007f]/.test(text)) {
    throw new ValidationError(field, `must be at most ${MAX_PRINCIPAL_LENGTH} printable characters`);
  }
  return text;
}

function checkPredicate(text: string): void {
  if (text.trim() === '') throw new ValidationError('predicate', 'must not be empty');
  const bytes = Buffer.byteLength(text, 'utf8');
  if (text.length > MAX_LEDGER_PREDICATE_BYTES || bytes > MAX_LEDGER_PREDICATE_BYTES) {
    throw new ValidationError(
      'predicate',
      `must be at most ${MAX_LEDGER_PREDICATE_BYTES} bytes (got ${bytes})`,
    );
  }
}

/**
 * Validates a create request. `principal` is the `x-ms-client-principal-name` header; it is recorded
 * as is and is who asked unless the body names someone.
 * @throws DeletionRequestError listing every problem.
 */
export function parseDeletionRequest(
  body: unknown,
  context: { readonly principal?: string | null; readonly defaultClusterUri?: string },
): DeletionRequest {
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success) {
    throw new DeletionRequestError(
      parsed.error.issues.flatMap((i) =>
        i.code === 'unrecognized_keys'
          ? i.keys.map((k) => ({ field: k, message: 'is not a known field' }))
          : [{ field: i.path.join('.') || 'body', message: i.message }],
      ),
    );
  }
  const b = parsed.data;
  const problems: RequestProblem[] = [];
  const rawCluster = b.clusterUri ?? context.defaultClusterUri;
  const clusterUri =
    rawCluster === undefined
      ? void problems.push({
          field: 'clusterUri',
          message: 'is required (no ADX_BACKUP_CLUSTER_URI configured)',
        })
      : check(problems, () => normalizeClusterUri(rawCluster, 'clusterUri'));
  check(problems, () => validateName(b.database, 'database'));
  check(problems, () => validateName(b.table, 'table'));
  check(problems, () => checkPredicate(b.predicate));
  const requestedBy = check(problems, () => principalName(b.requestedBy, 'requestedBy'));
  const principal = check(problems, () => principalName(context.principal, 'x-ms-client-principal-name'));
  if (problems.length > 0 || clusterUri === undefined) throw new DeletionRequestError(problems);
  return {
    clusterUri,
    database: b.database,
    table: b.table,
    predicate: b.predicate,
    kind: b.kind,
    execute: b.execute,
    requestedBy: requestedBy ?? principal ?? 'unknown',
    principal: principal ?? null,
  };
}

/** Validates the list query: `database` required, `table` optional. */
export function parseListQuery(query: URLSearchParams): { database: string; table: string | undefined } {
  const problems: RequestProblem[] = [];
  const database = query.get('database');
  const table = query.get('table');
  if (database === null) problems.push({ field: 'database', message: 'is required' });
  else check(problems, () => validateName(database, 'database'));
  if (table !== null) check(problems, () => validateName(table, 'table'));
  if (problems.length > 0 || database === null) throw new DeletionRequestError(problems);
  return { database, table: table ?? undefined };
}

/** Validates a deletion id from a route: a guid. */
export function parseDeletionId(id: string | undefined): string {
  if (
    id === undefined ||
    !/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(id)
  ) {
    throw new ValidationError('id', 'must be a deletion id (a guid)');
  }
  return id.toLowerCase();
}
