/**
 * The sweep: lists a table's backup folder in every container that holds (or may hold) it and
 * catalogues, as `pending` (source `sweep`), each artifact the catalog does not know: files whose
 * Event Grid event was lost, or that no event announces at all (an `abfss://` connection string on
 * an account without hierarchical namespace fires none, reference §5.3). The listing, with each
 * file's write time, is what the orphan step ages pending files by.
 */
import type { ArtifactBlobStore, ListedBlob } from '../storage/artifactBlobs';
import { splitBlobUrl } from '../storage/artifactBlobs';
import type { ArtifactRecord, CatalogStore, TableBackupRecord } from '../storage/catalog';
import { canonicalBlobUrl, classifyBackupBlob } from './artifactPath';
import type { ArtifactIndex } from './tableIndex';
import { setRecord } from './tableIndex';

/** What the sweep needs. */
export interface SweepContext {
  readonly blobs: Pick<ArtifactBlobStore, 'list'>;
  readonly catalog: Pick<CatalogStore, 'insertArtifactsIfAbsent'>;
  /** Configured backup containers. */
  readonly containers: readonly string[];
}

/** What the sweep saw and did. */
export interface SweepResult {
  /** Every artifact blob of the table, by canonical URL. */
  readonly listing: ReadonlyMap<string, ListedBlob>;
  /** Containers listed. */
  readonly containers: readonly string[];
  /** Artifacts catalogued by this sweep. */
  readonly swept: readonly ArtifactRecord[];
}

/** The configured containers plus every container the table's records point into. */
function containersOf(configured: readonly string[], index: ArtifactIndex): string[] {
  const urls = new Set(configured.map((c) => canonicalBlobUrl(c.replace(/\/+$/, ''))));
  for (const path of index.keys()) {
    try {
      urls.add(splitBlobUrl(path).containerUrl);
    } catch {
      // A record whose path is not a blob URL names no container.
    }
  }
  return [...urls].sort();
}

/** Sweeps one table's folders and updates `index` in place. */
export async function sweepTable(
  ctx: SweepContext,
  table: Pick<TableBackupRecord, 'database' | 'table'>,
  index: ArtifactIndex,
): Promise<SweepResult> {
  const listing = new Map<string, ListedBlob>();
  const unknown: ArtifactRecord[] = [];
  const containers = containersOf(ctx.containers, index);
  for (const containerUrl of containers) {
    for (const blob of await ctx.blobs.list(containerUrl, `${table.database}/${table.table}/`)) {
      const located = classifyBackupBlob(blob.url);
      if (located.kind !== 'artifact') continue;
      const { url, database, table: name, partitionDate } = located.blob;
      if (database !== table.database || name !== table.table) continue;
      listing.set(url, blob);
      if (index.has(url)) continue;
      unknown.push({
        database,
        table: name,
        path: url,
        partitionDate,
        numRecords: null,
        sizeInBytes: blob.size,
        source: 'sweep',
        state: 'pending',
        committedAt: null,
        chunkId: null,
      });
    }
  }
  // Insert-only: an event or a commit that landed since the catalog was read keeps its record.
  const swept = unknown.length === 0 ? [] : await ctx.catalog.insertArtifactsIfAbsent(unknown);
  for (const record of swept) setRecord(index, record);
  return { listing, containers, swept };
}
