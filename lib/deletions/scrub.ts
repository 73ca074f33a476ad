/**
 * Scrub: rewrite a table's backup without a deletion's rows, then audit it in the ledger.
 *
 * The rewrite goes through ADX, one artifact at a time (see `scrubReader.ts`, `scrubArtifacts.ts`):
 * ADX evaluates the predicate (the same semantics as the `.delete`/`.purge` that ran on the source,
 * which no local evaluator could promise) and writes the new parquet files with the backup's schema.
 * It does not export `external_table('<backup>') | where not(P)` per partition: that reads every
 * file in a folder, orphans and partial files included, and races the continuous export writing
 * into today's folder, so the rewrite could commit duplicated or half-written rows. Per artifact,
 * each old file maps to new files holding exactly its rows minus the matching ones (counted and
 * checked) and the catalog swaps them in one transaction.
 *
 * Only deletions that ran (`succeeded`) or were recorded as done elsewhere (`recorded`) are scrubbed:
 * otherwise the rows are still in the source and would simply be exported again. One scrub per table
 * runs at a time in a process; run scrubs of one table one after another across instances too.
 */
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import type { KustoGateway } from '../kusto/gateway';
import { parseSimplePredicate } from '../kusto/predicate';
import type { SimplePredicate } from '../kusto/predicate';
import type { StorageAuth } from '../kusto/quote';
import type { ArtifactRecord, TableBackupRecord } from '../storage/catalog';
import type { LedgerDetails, LedgerEntry, LedgerOutcome } from '../storage/ledgerChain';
import { readExternalTableColumns } from './columns';
import type { LedgerWriter } from './record';
import type { LedgerReader } from './restore';
import { ledgerEntriesFor } from './restore';
import type { BlobRemover, ScrubTally } from './scrubArtifacts';
import { scrubArtifacts } from './scrubArtifacts';
import { ScrubReader } from './scrubReader';
import type { DeletionSummary } from './status';

/** The catalog operations a scrub uses. */
export interface ScrubCatalog {
  getTable(cluster: string, database: string, table: string): Promise<TableBackupRecord | undefined>;
  listArtifacts(database: string, table: string): Promise<ArtifactRecord[]>;
  putArtifacts(artifacts: readonly ArtifactRecord[]): Promise<void>;
}

/** The ledger operations a scrub uses. */
export interface ScrubLedger extends LedgerWriter, LedgerReader {
  findEntry(id: string): Promise<LedgerEntry | undefined>;
}

/** Dependencies of {@link scrubDeletion}. */
export interface ScrubDeps {
  readonly gatewayFor: (clusterUri: string) => KustoGateway;
  readonly ledger: ScrubLedger;
  readonly catalog: ScrubCatalog;
  readonly blobs: BlobRemover;
  /** How ADX authenticates to the backup storage (as for the backup's external tables). */
  readonly storageAuth: StorageAuth;
  readonly now: () => Date;
  readonly newId: () => string;
}

/** The outcome of one scrub, as audited in the ledger. */
export interface ScrubSummary {
  readonly deletionId: string;
  readonly scrubId: string;
  readonly time: string;
  readonly outcome: LedgerOutcome;
  readonly message: string;
  readonly details: LedgerDetails;
}

const LIST_LIMIT = 100;
const running = new Set<string>();

/** A deletion that may be scrubbed, and its table's backup record. */
async function scrubbable(
  deps: ScrubDeps,
  deletionId: string,
): Promise<[DeletionSummary, TableBackupRecord]> {
  const entry = await deps.ledger.findEntry(deletionId);
  const deletion =
    entry?.type === 'deletion'
      ? (await ledgerEntriesFor(deps.ledger, entry.database, entry.table)).find((d) => d.id === deletionId)
      : undefined;
  if (!deletion) throw new NotFoundError(`deletion '${deletionId}' was not found`);
  if (deletion.status !== 'succeeded' && deletion.status !== 'recorded') {
    throw new ConflictError(
      `deletion '${deletionId}' is ${deletion.status} on the source; its rows may still be there and would be exported again`,
    );
  }
  const record = await deps.catalog.getTable(deletion.cluster, deletion.database, deletion.table);
  if (!record) {
    throw new NotFoundError(
      `no backup of '${deletion.database}'.'${deletion.table}' is recorded in the catalog`,
    );
  }
  return [deletion, record];
}

function auditOf(tally: ScrubTally): { outcome: LedgerOutcome; message: string; details: LedgerDetails } {
  const [firstFailure] = tally.failures;
  const message = firstFailure
    ? `${tally.failures.length} artifact(s) could not be scrubbed (first: ${firstFailure.path}: ${firstFailure.error})`
    : tally.rowsRemoved === 0
      ? 'no committed artifact held matching rows'
      : `removed ${tally.rowsRemoved} rows: ${tally.rewritten} artifact(s) rewritten, ${tally.removed} dropped`;
  const details: LedgerDetails = {
    examined: tally.examined,
    rewritten: tally.rewritten,
    removed: tally.removed,
    rowsRemoved: tally.rowsRemoved,
    orphansDeleted: tally.orphansDeleted,
    pendingWithMatches: tally.pendingWithMatches,
    failures: tally.failures.slice(0, LIST_LIMIT),
    unverified: tally.unverified.slice(0, LIST_LIMIT),
    replacements: tally.replacements.slice(0, LIST_LIMIT),
    replacementsOmitted: Math.max(0, tally.replacements.length - LIST_LIMIT),
  };
  return { outcome: firstFailure ? 'failed' : 'succeeded', message, details };
}

/**
 * Scrubs the backup of a deletion's table and appends a `scrub` entry with the outcome.
 * @throws NotFoundError (unknown deletion, or no backup recorded); ConflictError (the deletion did
 *   not run on the source, its predicate no longer fits the backup, or a scrub of the table runs).
 */
export async function scrubDeletion(deps: ScrubDeps, deletionId: string): Promise<ScrubSummary> {
  const [deletion, record] = await scrubbable(deps, deletionId);
  const key = JSON.stringify([deletion.cluster, deletion.database, deletion.table]);
  if (running.has(key))
    throw new ConflictError(`a scrub of '${deletion.database}'.'${deletion.table}' is running`);
  running.add(key);
  try {
    const gateway = deps.gatewayFor(deletion.cluster);
    const columns = await readExternalTableColumns(gateway, deletion.database, record.externalTableName);
    const scrubId = deps.newId();
    const tag = scrubId
      .replace(/[^0-9A-Za-z]/g, '')
      .slice(0, 16)
      .toLowerCase();
    const name = `adxbackup_scrub_${tag}`;
    let predicate: SimplePredicate;
    try {
      predicate = parseSimplePredicate(deletion.predicate, { name, columns });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      throw new ConflictError(
        `the deletion's predicate does not fit the backup's columns (${error.message})`,
      );
    }
    const reader = new ScrubReader({
      gateway,
      database: deletion.database,
      name,
      columns,
      predicate,
      auth: deps.storageAuth,
    });
    let tally: ScrubTally;
    try {
      const artifacts = await deps.catalog.listArtifacts(deletion.database, deletion.table);
      tally = await scrubArtifacts(
        { reader, catalog: deps.catalog, blobs: deps.blobs, namePrefix: `scrub_${tag}`, now: deps.now },
        artifacts,
      );
    } finally {
      // A leftover definition holds no data; dropping it is housekeeping only.
      await reader.drop().catch(() => undefined);
    }
    const audit = auditOf(tally);
    const entry = await deps.ledger.append({
      type: 'scrub',
      id: scrubId,
      cluster: deletion.cluster,
      database: deletion.database,
      table: deletion.table,
      time: deps.now().toISOString(),
      deletionId,
      ...audit,
    });
    return { deletionId, scrubId, time: entry.time, ...audit };
  } finally {
    running.delete(key);
  }
}
