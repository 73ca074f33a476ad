/**
 * Orphaning: a file that is still `pending` a horizon after it was written was never committed by
 * `exported-artifacts` or by a historical export's operation details (a partial file of a failed
 * run, the output of a lost operation, a stray copy), so it becomes an `orphan`: kept for
 * inspection, never restored. With quarantine on, orphans still in a table's folder are moved to
 * `<container>/_orphans/<same path>`, out of the folders external tables read (the catalog record
 * keeps the original path; scrubs no longer reach a quarantined file). A pending record whose file is gone is orphaned
 * too (nothing to restore).
 *
 * The age comes from the blob's own write time (the listing), not from the event, which may never
 * have arrived.
 */
import type { Logger } from '../kusto/gateway';
import { redactError } from '../kusto/redact';
import type { ArtifactBlobStore, ListedBlob } from '../storage/artifactBlobs';
import type { ArtifactRecord, CatalogStore } from '../storage/catalog';
import { classifyBackupBlob, quarantineBlobName } from './artifactPath';
import type { ArtifactIndex } from './tableIndex';
import { setRecord } from './tableIndex';

/** What orphaning needs. */
export interface OrphanContext {
  readonly catalog: Pick<CatalogStore, 'putArtifacts'>;
  readonly blobs: Pick<ArtifactBlobStore, 'move'>;
  readonly horizonMs: number;
  readonly quarantine: boolean;
  readonly now: Date;
  readonly logger: Logger;
}

/** What orphaning did. */
export interface OrphanResult {
  readonly orphaned: readonly string[];
  /** New locations of quarantined files. */
  readonly quarantined: readonly string[];
  /** Pending records of a file another record already commits (kept pending, never orphaned). */
  readonly aliases: number;
}

/** Orphans the stale pending files of one table (index from the sweep's catalog view). */
export async function orphanStale(
  ctx: OrphanContext,
  index: ArtifactIndex,
  listing: ReadonlyMap<string, ListedBlob>,
): Promise<OrphanResult> {
  const cutoff = ctx.now.getTime() - ctx.horizonMs;
  const stale: ArtifactRecord[] = [];
  let aliases = 0;
  for (const [url, records] of index) {
    const pending = records.filter((r) => r.state === 'pending');
    if (pending.length === 0) continue;
    if (pending.length < records.length) {
      // Orphaning an alias of a committed file would let a scrub delete the committed file's blob.
      aliases += pending.length;
      continue;
    }
    const blob = listing.get(url);
    if (blob !== undefined && blob.lastModified.getTime() > cutoff) continue;
    stale.push(...pending);
  }
  const orphans = stale.map((record) => ({ ...record, state: 'orphan' as const }));
  if (orphans.length > 0) await ctx.catalog.putArtifacts(orphans);
  for (const record of orphans) setRecord(index, record);
  const quarantined: string[] = [];
  if (ctx.quarantine) {
    // Every orphan still in the folder, not only today's: a move that failed last time, or files
    // setup demoted, are moved now.
    for (const [url, records] of index) {
      const blob = listing.get(url);
      if (blob === undefined || !records.every((r) => r.state === 'orphan')) continue;
      const located = classifyBackupBlob(blob.url);
      if (located.kind !== 'artifact') continue;
      try {
        quarantined.push(await ctx.blobs.move(blob.url, quarantineBlobName(located.blob.blobName)));
      } catch (error) {
        ctx.logger.warn('orphan could not be quarantined', { path: blob.url, error: redactError(error) });
      }
    }
  }
  return { orphaned: orphans.map((o) => o.path), quarantined, aliases };
}
