/**
 * Committing continuous-export artifacts from `.show continuous-export X exported-artifacts`, the
 * only list for which Kusto guarantees exactly-once (reference §1.2): every listed file newer than
 * the export's watermark becomes `committed` (source `continuous`) with its NumRecords, whether or
 * not its Event Grid event ever arrived. A listed file the catalog already holds as an orphan stays
 * an orphan: a scrub replaced it (and deleted the blob) while the listing keeps showing its path for
 * 14 days, and restoring it would resurrect deleted rows.
 */
import { showExportedArtifacts } from '../kusto/commands';
import type { KustoGateway } from '../kusto/gateway';
import { parseExportedArtifacts } from '../kusto/results';
import type { ArtifactRecord, CatalogStore, TableBackupRecord } from '../storage/catalog';
import { artifactPartitionDate, withoutQuery } from '../storage/layout';
import type { WatermarkStore } from '../storage/watermarks';
import type { ArtifactIndex } from './tableIndex';
import { canonicalPath, effectiveState, setRecord } from './tableIndex';

/**
 * How far before the watermark each run looks again. Artifacts are listed with the time their run
 * committed them, and one run's artifacts may not all carry the same instant; re-reading a minute is
 * cheap because committing is idempotent.
 */
export const WATERMARK_OVERLAP_MS = 60_000;

/** What committing needs. */
export interface CommitContext {
  readonly gateway: KustoGateway;
  readonly catalog: Pick<CatalogStore, 'putArtifacts'>;
  readonly watermarks: WatermarkStore;
  readonly clusterUri: string;
  readonly database: string;
}

/** What one table's commit did. */
export interface CommitResult {
  /** Artifacts the listing returned (since the watermark). */
  readonly listed: number;
  /** Newly committed (pending or unknown before). */
  readonly committed: number;
  /** Listed but orphaned in the catalog (scrubbed or demoted): left as they are. */
  readonly orphanListed: number;
  /** The watermark after this run (ISO), or null when the export never listed anything. */
  readonly watermark: string | null;
}

/** Commits the listed artifacts of `table`'s export and updates `index` in place. */
export async function commitExportedArtifacts(
  ctx: CommitContext,
  table: TableBackupRecord,
  index: ArtifactIndex,
): Promise<CommitResult> {
  const previous = await ctx.watermarks.get(ctx.clusterUri, ctx.database, table.exportName);
  const since = previous === undefined ? undefined : new Date(previous.getTime() - WATERMARK_OVERLAP_MS);
  const listed = parseExportedArtifacts(
    await ctx.gateway.execute(ctx.database, showExportedArtifacts(table.exportName, since)),
  );
  const commits: ArtifactRecord[] = [];
  let orphanListed = 0;
  let newest = previous?.getTime();
  for (const artifact of listed) {
    newest = Math.max(newest ?? 0, artifact.timestamp.getTime());
    const path = canonicalPath(withoutQuery(artifact.path));
    const state = effectiveState(index.get(path));
    if (state === 'orphan') orphanListed += 1;
    if (state === 'orphan' || state === 'committed') continue;
    const record: ArtifactRecord = {
      database: ctx.database,
      table: table.table,
      path,
      partitionDate: artifactPartitionDate(path, table.partitionColumn !== null),
      numRecords: artifact.numRecords,
      sizeInBytes: artifact.sizeInBytes ?? null,
      source: 'continuous',
      state: 'committed',
      committedAt: artifact.timestamp.toISOString(),
      chunkId: null,
    };
    commits.push(record);
    setRecord(index, record);
  }
  if (commits.length > 0) await ctx.catalog.putArtifacts(commits);
  // Only after the commits: a crash in between re-reads the same artifacts next time.
  if (newest !== undefined && newest !== previous?.getTime())
    await ctx.watermarks.put(ctx.clusterUri, ctx.database, table.exportName, new Date(newest));
  return {
    listed: listed.length,
    committed: commits.length,
    orphanListed,
    watermark: newest === undefined ? null : new Date(newest).toISOString(),
  };
}
