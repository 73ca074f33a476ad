/**
 * The deletion ledger in Azure Table Storage: append-only, one partition and one hash chain per
 * table (see `ledgerChain.ts` for the entries and the chain). Nothing here updates or deletes an
 * entity; an outcome is a new entry.
 *
 * Keys: PartitionKey `<database>|<table>`, percent-encoded like the catalog's; RowKey the sequence
 * number inverted (`9999999999 - seq`, ten digits), so the newest entry sorts first and the chain's
 * head is a one-entity read. Two writers racing for the same seq collide on the RowKey (409) and
 * the loser re-reads the head, so the chain never forks.
 *
 * An entry is stored as its canonical JSON, UTF-8, split over binary properties `b0`, `b1`, ... of at
 * most 60,000 bytes each: Table Storage caps a property at 64 KiB and a predicate may be larger.
 */
import { RestError, TableClient, odata } from '@azure/data-tables';
import { ValidationError } from '../errors';
import type { ChainProblem, ChainVerification, LedgerDraft, LedgerEntry } from './ledgerChain';
import { entryBody, sealEntry, verifyChain } from './ledgerChain';
import { parseStoredEntry } from './ledgerSchema';

/** Name of the ledger's table in the catalog account. */
export const LEDGER_TABLE = 'adxbackupLedger';

const CHUNK_BYTES = 60_000;
const MAX_CHUNKS = 14;
/** Largest entry the ledger stores, in UTF-8 bytes of its canonical JSON (entities cap at 1 MiB). */
export const MAX_LEDGER_ENTRY_BYTES = CHUNK_BYTES * MAX_CHUNKS;

const SEQ_LIMIT = 9_999_999_999;
const APPEND_ATTEMPTS = 10;

/** One table's entries in chain order, with the chain's verification. */
export interface TableChain {
  readonly database: string;
  readonly table: string;
  readonly entries: readonly LedgerEntry[];
  readonly verification: ChainVerification;
}

const enc = (s: string): string => encodeURIComponent(s).replace(/'/g, '%27');

function partitionKey(database: string, table: string): string {
  return `${enc(database)}|${enc(table)}`;
}

const rowKey = (seq: number): string => String(SEQ_LIMIT - seq).padStart(10, '0');
const seqOf = (key: unknown): number => SEQ_LIMIT - Number(key);

type Entity = Record<string, unknown> & { partitionKey?: string; rowKey?: string };

/** The ledger over one Azure table. */
export class LedgerStore {
  private ready: Promise<void> | undefined;

  constructor(private readonly client: TableClient) {}

  /** Opens the ledger from a storage connection string (Azurite or Azure). */
  static fromConnectionString(connectionString: string, tableName = LEDGER_TABLE): LedgerStore {
    const allowInsecureConnection = /UseDevelopmentStorage|http:\/\//i.test(connectionString);
    return new LedgerStore(
      TableClient.fromConnectionString(connectionString, tableName, { allowInsecureConnection }),
    );
  }

  private ensure(): Promise<void> {
    this.ready ??= this.client.createTable().catch((error: unknown) => {
      if (error instanceof RestError && error.statusCode === 409) return;
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  /**
   * Appends an entry to its table's chain and returns it sealed (seq, prevHash, hash).
   * @throws ValidationError when the entry is larger than {@link MAX_LEDGER_ENTRY_BYTES}.
   */
  async append(draft: LedgerDraft): Promise<LedgerEntry> {
    await this.ensure();
    const pk = partitionKey(draft.database, draft.table);
    for (let attempt = 1; ; attempt++) {
      const entry = sealEntry(draft, await this.head(pk));
      const body = Buffer.from(entryBody(entry), 'utf8');
      if (body.length > MAX_LEDGER_ENTRY_BYTES) {
        throw new ValidationError(
          'entry',
          `is ${body.length} bytes; the ledger stores at most ${MAX_LEDGER_ENTRY_BYTES}`,
        );
      }
      const entity: Entity & { partitionKey: string; rowKey: string } = {
        partitionKey: pk,
        rowKey: rowKey(entry.seq),
        id: entry.id,
        type: entry.type,
        deletionId: entry.type === 'deletion' ? '' : entry.deletionId,
        time: entry.time,
        hash: entry.hash,
        chunks: Math.ceil(body.length / CHUNK_BYTES),
      };
      for (let i = 0; i * CHUNK_BYTES < body.length; i++) {
        entity[`b${i}`] = new Uint8Array(body.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES));
      }
      try {
        await this.client.createEntity(entity);
        return entry;
      } catch (error) {
        // Another writer took this seq: chain after its entry instead.
        if (error instanceof RestError && error.statusCode === 409 && attempt < APPEND_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  /** The newest entry's position and hash, or undefined for an empty chain. */
  private async head(pk: string): Promise<{ seq: number; hash: string } | undefined> {
    const pages = this.client
      .listEntities<Entity>({
        queryOptions: { filter: odata`PartitionKey eq ${pk}`, select: ['RowKey', 'hash'] },
      })
      .byPage({ maxPageSize: 1 });
    const first = await pages.next();
    const entity = first.done ? undefined : first.value[0];
    if (!entity) return undefined;
    return { seq: seqOf(entity.rowKey), hash: typeof entity.hash === 'string' ? entity.hash : '' };
  }

  /** One table's chain, verified. */
  async readTable(database: string, table: string): Promise<TableChain> {
    const chains = await this.read(odata`PartitionKey eq ${partitionKey(database, table)}`);
    return chains[0] ?? { database, table, entries: [], verification: verifyChain([]) };
  }

  /** Every table's chain in a database, verified. */
  async readDatabase(database: string): Promise<TableChain[]> {
    // Keys of the database sort between '<db>|' and '<db>}' ('}' follows '|'; neither survives encoding).
    const from = `${enc(database)}|`;
    const to = `${enc(database)}}`;
    return this.read(odata`PartitionKey ge ${from} and PartitionKey lt ${to}`);
  }

  /** The entry with this id, wherever it is (a scan: the ledger is small), or undefined. */
  async findEntry(id: string): Promise<LedgerEntry | undefined> {
    await this.ensure();
    for await (const entity of this.client.listEntities<Entity>({
      queryOptions: { filter: odata`id eq ${id}` },
    })) {
      const parsed = decode(entity);
      if ('entry' in parsed && parsed.entry.id === id) return parsed.entry;
    }
    return undefined;
  }

  private async read(filter: string): Promise<TableChain[]> {
    await this.ensure();
    const byPk = new Map<string, { entries: LedgerEntry[]; problems: ChainProblem[] }>();
    for await (const entity of this.client.listEntities<Entity>({ queryOptions: { filter } })) {
      const pk = String(entity.partitionKey);
      let group = byPk.get(pk);
      if (!group) byPk.set(pk, (group = { entries: [], problems: [] }));
      const parsed = decode(entity);
      if ('entry' in parsed) group.entries.push(parsed.entry);
      else group.problems.push(parsed.problem);
    }
    return [...byPk].map(([pk, group]) => {
      const [database = '', table = ''] = pk.split('|').map((p) => decodeURIComponent(p));
      const entries = group.entries.sort((a, b) => a.seq - b.seq);
      return { database, table, entries, verification: verifyChain(entries, group.problems) };
    });
  }
}

/** An entity back to its entry, or the reason it cannot be one. */
function decode(entity: Entity): { entry: LedgerEntry } | { problem: ChainProblem } {
  const seq = seqOf(entity.rowKey);
  const id = typeof entity.id === 'string' ? entity.id : undefined;
  const fail = (problem: string) => ({ problem: { seq, ...(id ? { id } : {}), problem } });
  const chunks = Number(entity.chunks);
  const parts: Uint8Array[] = [];
  for (let i = 0; i < chunks; i++) {
    const part = entity[`b${i}`];
    if (!(part instanceof Uint8Array)) return fail(`stored body part ${i} is missing`);
    parts.push(part);
  }
  const parsed = parseStoredEntry(Buffer.concat(parts).toString('utf8'), entity.hash);
  if (typeof parsed === 'string') return fail(parsed);
  if (parsed.seq !== seq) return fail(`stored at position ${seq} but says seq ${parsed.seq}`);
  return { entry: parsed };
}
