/**
 * An in-memory deletion ledger with the store's interface and chain semantics (seal on append,
 * verify on read), for unit tests that are not about Table Storage. `entries` is open for tampering.
 */
import type { TableChain } from '../../lib/storage/ledger';
import type { LedgerDraft, LedgerEntry } from '../../lib/storage/ledgerChain';
import { sealEntry, verifyChain } from '../../lib/storage/ledgerChain';

/** The ledger plus its raw entries. */
export interface MemoryLedger {
  readonly entries: LedgerEntry[];
  append(draft: LedgerDraft): Promise<LedgerEntry>;
  readTable(database: string, table: string): Promise<TableChain>;
  readDatabase(database: string): Promise<TableChain[]>;
  findEntry(id: string): Promise<LedgerEntry | undefined>;
}

export function memoryLedger(): MemoryLedger {
  const entries: LedgerEntry[] = [];
  const chainOf = (database: string, table: string): TableChain => {
    const own = entries
      .filter((e) => e.database === database && e.table === table)
      .sort((a, b) => a.seq - b.seq);
    return { database, table, entries: own, verification: verifyChain(own) };
  };
  return {
    entries,
    append(draft) {
      const own = chainOf(draft.database, draft.table).entries;
      const entry = sealEntry(draft, own[own.length - 1]);
      entries.push(entry);
      return Promise.resolve(entry);
    },
    readTable: (database, table) => Promise.resolve(chainOf(database, table)),
    readDatabase(database) {
      const tables = [...new Set(entries.filter((e) => e.database === database).map((e) => e.table))];
      return Promise.resolve(tables.map((t) => chainOf(database, t)));
    },
    findEntry: (id) => Promise.resolve(entries.find((e) => e.id === id)),
  };
}
