/**
 * Reading a stored ledger entry back: its JSON must have exactly the shape of a ledger entry (no
 * missing and no extra field), or it is reported as unreadable instead of being half-trusted.
 */
import { z } from 'zod';
import type { JsonValue, LedgerEntry } from './ledgerChain';

const json: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(json), z.record(z.string(), json)]),
);

const base = {
  id: z.string().min(1),
  seq: z.number().int().positive(),
  cluster: z.string(),
  database: z.string().min(1),
  table: z.string().min(1),
  time: z.string().min(1),
  prevHash: z.string(),
};

const outcome = {
  deletionId: z.string().min(1),
  outcome: z.enum(['succeeded', 'failed', 'unknown']),
  message: z.string(),
  details: z.record(z.string(), json),
};

const entrySchema = z.discriminatedUnion('type', [
  z.strictObject({
    ...base,
    type: z.literal('deletion'),
    kind: z.enum(['delete', 'purge']),
    predicate: z.string().min(1),
    columns: z.array(z.strictObject({ name: z.string().min(1), type: z.string().min(1) })),
    requestedBy: z.string(),
    principal: z.string().nullable(),
    execute: z.boolean(),
  }),
  z.strictObject({ ...base, type: z.literal('execution'), ...outcome }),
  z.strictObject({ ...base, type: z.literal('scrub'), ...outcome }),
]);

/**
 * Parses a stored entry body and attaches the stored hash. Returns the entry, or a description of
 * why the body is not a ledger entry (the caller reports it as a chain problem).
 */
export function parseStoredEntry(body: string, hash: unknown): LedgerEntry | string {
  if (typeof hash !== 'string' || hash === '') return 'stored hash is missing';
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return 'stored body is not JSON';
  }
  const parsed = entrySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `stored body is not a ledger entry (${issue ? `${issue.path.join('.') || 'entry'}: ${issue.message}` : 'invalid'})`;
  }
  return { ...parsed.data, hash };
}
