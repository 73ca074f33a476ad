/**
 * Rewriting a table's backup files without a deletion's rows, file by file (see `scrub.ts`).
 *
 * Folders are checked first, as a whole: a folder with no matching row in any of its files (a superset
 * of its catalogued artifacts) is skipped, so a scrub costs two commands per folder plus a few per
 * affected file. Then each file of an affected folder:
 * - committed: its rows are counted (and checked against the catalog); if any match, the other rows
 *   are exported as new files next to it, the catalog swaps them in (new committed, old orphan, one
 *   transaction), and the old blob is deleted;
 * - orphan (never restored): deleted if it still holds matching rows. This also finishes a swap whose
 *   blob deletion did not happen (the process stopped in between);
 * - pending: left alone (the catalog's reconcile decides its fate) and counted; restores apply the
 *   ledger to whatever they ingest in any case.
 */
import type { ArtifactRecord } from '../storage/catalog';
import type { ArtifactLocation } from './artifactLocation';
import { parseArtifactUrl } from './artifactLocation';
import type { ScrubReader } from './scrubReader';

/** Deletes blobs by URL (a missing blob is not an error). */
export interface BlobRemover {
  deleteIfExists(url: string): Promise<void>;
}

/** What the scrub did, file by file. */
export interface ScrubTally {
  /** Committed artifacts whose rows were counted. */
  examined: number;
  /** Committed artifacts replaced by a rewrite. */
  rewritten: number;
  /** Committed artifacts dropped because every row matched. */
  removed: number;
  rowsRemoved: number;
  orphansDeleted: number;
  pendingWithMatches: number;
  /** Committed artifacts that could not be scrubbed: the scrub failed for them. */
  failures: { path: string; error: string }[];
  /** Orphan or pending files that could not be read (reported, not fatal). */
  unverified: { path: string; error: string }[];
  replacements: { from: string; to: string[] }[];
}

/** What scrubbing files needs. */
export interface ArtifactScrubContext {
  readonly reader: Pick<ScrubReader, 'point' | 'count' | 'exportKept'>;
  readonly catalog: { putArtifacts(artifacts: readonly ArtifactRecord[]): Promise<void> };
  readonly blobs: BlobRemover;
  /** File-name prefix of the files the scrub writes. */
  readonly namePrefix: string;
  readonly now: () => Date;
}

interface Located {
  readonly record: ArtifactRecord;
  readonly location: ArtifactLocation;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Scrubs `artifacts` (one table's catalog entries, any state). */
export async function scrubArtifacts(
  ctx: ArtifactScrubContext,
  artifacts: readonly ArtifactRecord[],
): Promise<ScrubTally> {
  const tally: ScrubTally = {
    examined: 0,
    rewritten: 0,
    removed: 0,
    rowsRemoved: 0,
    orphansDeleted: 0,
    pendingWithMatches: 0,
    failures: [],
    unverified: [],
    replacements: [],
  };
  const folders = new Map<string, Located[]>();
  for (const record of artifacts) {
    try {
      const location = parseArtifactUrl(record.path);
      folders.set(location.folderUrl, [...(folders.get(location.folderUrl) ?? []), { record, location }]);
    } catch (error) {
      (record.state === 'committed' ? tally.failures : tally.unverified).push({
        path: record.path,
        error: message(error),
      });
    }
  }
  for (const items of folders.values()) {
    const first = items[0];
    if (!first || items.every((i) => i.record.state === 'pending')) continue;
    if (!(await folderHasMatches(ctx, first.location))) continue;
    for (const item of items) {
      try {
        await scrubOne(ctx, item, tally);
      } catch (error) {
        const list = item.record.state === 'committed' ? tally.failures : tally.unverified;
        list.push({ path: item.record.path, error: message(error) });
      }
    }
  }
  return tally;
}

async function folderHasMatches(ctx: ArtifactScrubContext, location: ArtifactLocation): Promise<boolean> {
  try {
    await ctx.reader.point(location);
    return (await ctx.reader.count()).matching > 0;
  } catch {
    // The folder cannot be read as a whole (a corrupt orphan file, say): check its files one by one.
    return true;
  }
}

async function scrubOne(
  ctx: ArtifactScrubContext,
  { record, location }: Located,
  tally: ScrubTally,
): Promise<void> {
  await ctx.reader.point(location, location.fileName);
  const counts = await ctx.reader.count();
  if (record.state === 'pending') {
    if (counts.matching > 0) tally.pendingWithMatches += 1;
    return;
  }
  if (record.state === 'orphan') {
    if (counts.matching > 0) {
      await ctx.blobs.deleteIfExists(record.path);
      tally.orphansDeleted += 1;
    }
    return;
  }
  tally.examined += 1;
  if (counts.total === 0) throw new Error('the artifact is missing or holds no readable rows');
  if (record.numRecords !== null && counts.total !== record.numRecords) {
    throw new Error(`the artifact holds ${counts.total} rows but the catalog records ${record.numRecords}`);
  }
  if (counts.matching === 0) return;

  const written = await ctx.reader.exportKept(location, ctx.namePrefix);
  const kept = written.filter((f) => f.numRecords > 0);
  const keptRows = kept.reduce((sum, f) => sum + f.numRecords, 0);
  if (keptRows !== counts.total - counts.matching) {
    await Promise.allSettled(written.map((f) => ctx.blobs.deleteIfExists(f.path)));
    throw new Error(
      `the rewrite holds ${keptRows} rows, expected ${counts.total - counts.matching}; nothing was swapped`,
    );
  }
  // An empty file (if the service writes one for an empty result) is not worth keeping.
  await Promise.all(written.filter((f) => f.numRecords === 0).map((f) => ctx.blobs.deleteIfExists(f.path)));
  const committedAt = ctx.now().toISOString();
  // One partition, one transaction: the new files become restorable exactly when the old one stops being.
  await ctx.catalog.putArtifacts([
    ...kept.map((f): ArtifactRecord => ({
      database: record.database,
      table: record.table,
      path: f.path,
      partitionDate: record.partitionDate,
      numRecords: f.numRecords,
      sizeInBytes: f.sizeInBytes,
      source: 'scrub',
      state: 'committed',
      committedAt,
      chunkId: null,
    })),
    { ...record, state: 'orphan' },
  ]);
  await ctx.blobs.deleteIfExists(record.path);
  tally.rowsRemoved += counts.matching;
  if (kept.length === 0) tally.removed += 1;
  else tally.rewritten += 1;
  tally.replacements.push({ from: record.path, to: kept.map((f) => f.path) });
}
