/**
 * The deletion ledger's entries and their hash chain (pure; persistence is in `ledger.ts`).
 *
 * Entries are append-only and never updated. A deletion is one `deletion` entry, written before the
 * command runs; its outcome is a second, `execution` entry; every scrub of the backup adds a `scrub`
 * entry. So the outcome is covered by the chain too, and a crash between the command and its
 * outcome leaves an honest "outcome unknown" (a deletion without execution entry).
 *
 * Each table has its own chain: entry `seq` n (from 1) stores the hash of entry n-1 in `prevHash`
 * (`''` for the first), and its own `hash` is the sha256 of its canonical JSON without `hash`.
 * Changing, removing, inserting or reordering any entry breaks the chain at that point. Removing the
 * newest entries cannot be detected from the chain alone; compare the head hash with one kept
 * elsewhere (the list API returns it).
 */
import { createHash } from 'node:crypto';

/** `delete` is a soft delete (`.delete ... records`), `purge` a physical purge. */
export type DeletionKind = 'delete' | 'purge';

/**
 * How an execution or a scrub ended. `unknown`: the command was sent but its answer was lost
 * (timeout, connection reset, 5xx), so it may have run.
 */
export type LedgerOutcome = 'succeeded' | 'failed' | 'unknown';

/** A JSON value, as ledger details are stored. */
export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [k: string]: JsonValue };

/** Free-form facts about an execution or a scrub (counts, operation ids, paths). */
export type LedgerDetails = { readonly [key: string]: JsonValue };

/** A column a predicate references, with its Kusto type, so the predicate can be re-validated. */
export interface PredicateColumn {
  readonly name: string;
  readonly type: string;
}

interface EntryBase {
  /** Unique id (a guid). */
  readonly id: string;
  /** Position in the table's chain, from 1. */
  readonly seq: number;
  /** Cluster URI (normalised) the deletion was run against. */
  readonly cluster: string;
  readonly database: string;
  readonly table: string;
  /** ISO-8601 UTC time the entry was written. */
  readonly time: string;
  /** `hash` of the previous entry of the table's chain; `''` for the first. */
  readonly prevHash: string;
  /** sha256 (hex) of the canonical entry without this field. */
  readonly hash: string;
}

/** A request to delete or purge rows of a table. */
export interface DeletionEntry extends EntryBase {
  readonly type: 'deletion';
  readonly kind: DeletionKind;
  /** The predicate as normalised by `parseSimplePredicate`. */
  readonly predicate: string;
  /** The columns it references, with the types it was validated against. */
  readonly columns: readonly PredicateColumn[];
  /** Who asked: the request's `requestedBy`, else the authenticated principal, else `unknown`. */
  readonly requestedBy: string;
  /** The principal the platform authenticated (`x-ms-client-principal-name`), if any. */
  readonly principal: string | null;
  /** False when only recorded (the rows were deleted some other way). */
  readonly execute: boolean;
}

/** The outcome of running a deletion on the source cluster. */
export interface ExecutionEntry extends EntryBase {
  readonly type: 'execution';
  readonly deletionId: string;
  readonly outcome: LedgerOutcome;
  /** The server's message on failure; a short summary on success. */
  readonly message: string;
  readonly details: LedgerDetails;
}

/** The outcome of rewriting the backup without a deletion's rows. */
export interface ScrubEntry extends EntryBase {
  readonly type: 'scrub';
  readonly deletionId: string;
  readonly outcome: LedgerOutcome;
  readonly message: string;
  readonly details: LedgerDetails;
}

/** Any ledger entry. */
export type LedgerEntry = DeletionEntry | ExecutionEntry | ScrubEntry;

type Unsealed<T> = T extends LedgerEntry ? Omit<T, 'seq' | 'prevHash' | 'hash'> : never;

/** An entry before the ledger numbers, chains and hashes it. */
export type LedgerDraft = Unsealed<LedgerEntry>;

/** JSON with object keys sorted at every level: one text per value, whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The canonical text an entry's hash covers: everything but `hash`. */
export function entryBody(entry: LedgerEntry | Omit<LedgerEntry, 'hash'>): string {
  const { hash: _hash, ...body } = entry as LedgerEntry;
  return canonicalJson(body);
}

/** sha256 (hex) of an entry's canonical body. */
export function entryHash(entry: LedgerEntry | Omit<LedgerEntry, 'hash'>): string {
  return createHash('sha256').update(entryBody(entry), 'utf8').digest('hex');
}

/** Numbers, chains and hashes a draft as the entry after `previous` (undefined: the first). */
export function sealEntry(
  draft: LedgerDraft,
  previous: { seq: number; hash: string } | undefined,
): LedgerEntry {
  const unhashed = { ...draft, seq: (previous?.seq ?? 0) + 1, prevHash: previous?.hash ?? '' };
  return { ...unhashed, hash: entryHash(unhashed) };
}

/** Something wrong with one position of a chain. */
export interface ChainProblem {
  readonly seq: number;
  readonly id?: string;
  readonly problem: string;
}

/** The result of {@link verifyChain}. */
export interface ChainVerification {
  readonly valid: boolean;
  /** Entries read. */
  readonly length: number;
  /** Hash of the newest entry (`''` for an empty chain): keep it to detect a truncated chain later. */
  readonly headHash: string;
  readonly problems: readonly ChainProblem[];
}

/**
 * Checks one table's chain, `entries` in any order: each entry's hash matches its content, seqs run
 * 1..n without gaps or repeats, each `prevHash` is the previous entry's hash, and every entry names
 * the same table. `unreadable` adds positions whose stored form could not even be parsed.
 */
export function verifyChain(
  entries: readonly LedgerEntry[],
  unreadable: readonly ChainProblem[] = [],
): ChainVerification {
  const problems: ChainProblem[] = [...unreadable];
  const sorted = [...entries].sort((a, b) => a.seq - b.seq);
  const first = sorted[0];
  sorted.forEach((entry, i) => {
    const at = { seq: entry.seq, id: entry.id };
    if (entryHash(entry) !== entry.hash) problems.push({ ...at, problem: 'content does not match its hash' });
    const previous = sorted[i - 1];
    const expectedSeq = (previous?.seq ?? 0) + 1;
    if (entry.seq !== expectedSeq) {
      problems.push({ ...at, problem: `expected seq ${expectedSeq} (an entry is missing or repeated)` });
    }
    if (entry.prevHash !== (previous?.hash ?? '')) {
      problems.push({ ...at, problem: 'prevHash does not match the previous entry' });
    }
    if (first && (entry.database !== first.database || entry.table !== first.table)) {
      problems.push({ ...at, problem: 'belongs to another table' });
    }
  });
  problems.sort((a, b) => a.seq - b.seq);
  return {
    valid: problems.length === 0,
    length: sorted.length + unreadable.length,
    headHash: sorted[sorted.length - 1]?.hash ?? '',
    problems,
  };
}
