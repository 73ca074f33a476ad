/**
 * Pure planning of a table's restore: artifacts grouped by partition folder, each folder cut into
 * batches of at most the batch size (one activity queues one batch), with the totals a dry run and
 * the progress report show. Deterministic for a given artifact list, so a re-run plans the same
 * batches.
 */
import type { FolderEntry, FolderPlan, PlannedArtifact } from './types';

/** One batch: the artifacts one activity queues. */
export interface PlannedBatch {
  readonly folder: string;
  readonly index: number;
  readonly artifacts: readonly PlannedArtifact[];
}

/** A table's folders and batches. */
export interface TableBatches {
  readonly folders: FolderPlan[];
  readonly batches: PlannedBatch[];
}

/** Folder key of a partition day: `yyyyMMdd`, or `none`. */
export function folderKey(date: string | null): string {
  return date === null ? 'none' : date.replace(/-/g, '');
}

/** The extent creation time of a folder's rows: the partition day at midnight UTC (none for `none`). */
export function folderCreationTime(key: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(key);
  return m ? `${m[1]}-${m[2]}-${m[3]}T00:00:00.000Z` : undefined;
}

/** Groups `artifacts` (in the order given) by folder and cuts each folder into batches. */
export function planBatches(artifacts: readonly PlannedArtifact[], batchSize: number): TableBatches {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be >= 1');
  const byFolder = new Map<string, PlannedArtifact[]>();
  for (const a of artifacts) {
    const key = folderKey(a.partitionDate);
    let list = byFolder.get(key);
    if (!list) byFolder.set(key, (list = []));
    list.push(a);
  }
  const folders: FolderPlan[] = [];
  const batches: PlannedBatch[] = [];
  for (const [key, list] of [...byFolder].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const count = Math.ceil(list.length / batchSize);
    for (let i = 0; i < count; i++) {
      batches.push({ folder: key, index: i, artifacts: list.slice(i * batchSize, (i + 1) * batchSize) });
    }
    folders.push({
      key,
      date: list[0]!.partitionDate,
      blobs: list.length,
      bytes: list.reduce((n, a) => n + (a.sizeInBytes ?? 0), 0),
      rows: list.reduce((n, a) => n + a.rows, 0),
      batches: count,
      listed: list.filter((a) => a.origin === 'listing').length,
    });
  }
  return { folders, batches };
}

/** The compact folder list orchestrations carry: `[key, batches, blobs]`. */
export function folderEntries(folders: readonly FolderPlan[]): FolderEntry[] {
  return folders.map((f) => [f.key, f.batches, f.blobs] as const);
}
