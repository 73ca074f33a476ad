/**
 * The scrub's view of backup files through ADX: one temporary external table, pointed in turn at a
 * folder (every file in it) or at exactly one file (its name as `namePrefix`, which on read selects
 * only files starting with it), that counts matching rows and exports the other rows as new parquet
 * files into the same folder. ADX evaluates the predicate, so the rows removed are exactly those
 * `.delete`/`.purge` would remove, and ADX writes the files, with the backup's schema.
 */
import {
  countMatchingRows,
  createOrAlterExternalTable,
  dropExternalTable,
  exportRowsNotMatching,
} from '../kusto/commands';
import type { KustoGateway } from '../kusto/gateway';
import type { SchemaColumn } from '../kusto/language';
import type { SimplePredicate } from '../kusto/predicate';
import type { StorageAuth } from '../kusto/quote';
import { parseMatchCounts, parseStorageExport } from '../kusto/results/deletions';
import type { MatchCounts, StorageExportArtifact } from '../kusto/results/deletions';
import type { ArtifactLocation } from './artifactLocation';
import { folderTarget } from './artifactLocation';

/** Where and how the reader works. */
export interface ScrubReaderOptions {
  readonly gateway: KustoGateway;
  readonly database: string;
  /** Name of the temporary external table (must not exist otherwise). */
  readonly name: string;
  /** The backup's columns (its external table's schema). */
  readonly columns: readonly SchemaColumn[];
  /** The deletion's predicate, validated for `name`. */
  readonly predicate: SimplePredicate;
  /** How ADX authenticates to the backup storage. */
  readonly auth: StorageAuth;
}

/** A temporary external table over backup files. Call {@link ScrubReader.drop} when done. */
export class ScrubReader {
  private created = false;

  constructor(private readonly options: ScrubReaderOptions) {}

  /** Points the table at a folder, or at one file of it. */
  async point(location: ArtifactLocation, fileName?: string): Promise<void> {
    const { gateway, database, name, columns, auth } = this.options;
    this.created = true;
    await gateway.execute(
      database,
      createOrAlterExternalTable({
        name,
        columns,
        storage: [folderTarget(location, auth)],
        ...(fileName === undefined ? {} : { namePrefix: fileName }),
        folder: 'adx-backup',
        docString: 'temporary: deletion-ledger scrub',
      }),
    );
  }

  /** Rows in the files pointed at, and how many of them the predicate selects. */
  async count(): Promise<MatchCounts> {
    const { gateway, database, name, predicate } = this.options;
    return parseMatchCounts(await gateway.execute(database, countMatchingRows(name, predicate)));
  }

  /** Writes every row the predicate does not select into `location`'s folder; returns the files. */
  async exportKept(location: ArtifactLocation, namePrefix: string): Promise<StorageExportArtifact[]> {
    const { gateway, database, name, predicate, auth } = this.options;
    const command = exportRowsNotMatching({
      externalTable: name,
      predicate,
      destination: folderTarget(location, auth),
      namePrefix,
    });
    return parseStorageExport(await gateway.execute(database, command));
  }

  /** Drops the temporary table, if it was ever created (its files are not touched). */
  async drop(): Promise<void> {
    if (!this.created) return;
    await this.options.gateway.execute(this.options.database, dropExternalTable(this.options.name));
    this.created = false;
  }
}
