/**
 * The artifacts a restore of one table ingests: the catalog's committed artifacts (committed at or
 * before `asOf`, inside the partition range), plus, for a partition folder the catalog knows nothing
 * about (its intake lagged or missed it), the parquet files a storage listing finds there, minus any
 * file the catalog knows as pending or orphan. Expected rows come from the catalog, else from each
 * file's parquet footer.
 */
import type { ArtifactRecord, CatalogStore } from '../storage/catalog';
import { mapPool } from '../catalog/pool';
import type { RestoreBlobs } from './blobs';
import type { PlannedArtifact } from './types';

/** What to collect. */
export interface CollectSpec {
  readonly database: string;
  readonly table: string;
  readonly containers: readonly string[];
  readonly asOf: Date | null;
  readonly partitions: { readonly from: string; readonly to: string } | null;
}

/** The artifacts, and how many were left out and why. */
export interface CollectedArtifacts {
  readonly artifacts: PlannedArtifact[];
  readonly excluded: Record<string, number>;
}

/** Footers read at once. */
const FOOTER_PARALLELISM = 16;
const DEFAULT_PARTITION = '__DEFAULT_PARTITION__';

/** The decoded path of a URL's folder (`/account/container/db/table/20250101`), to compare spellings. */
function folderOf(url: string): string {
  const path = decodeURIComponent(new URL(url).pathname);
  return path.slice(0, path.lastIndexOf('/'));
}

/** `yyyy-MM-dd` of a `yyyyMMdd` folder name; null for the default partition or anything else. */
function dayOfFolder(name: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(name);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

function inRange(date: string | null, spec: CollectSpec): boolean {
  if (!spec.partitions) return true;
  return date !== null && date >= spec.partitions.from && date <= spec.partitions.to;
}

/** Why a catalog record is not restored, or undefined when it is. */
function exclusion(a: ArtifactRecord, spec: CollectSpec): string | undefined {
  if (a.state !== 'committed') return a.state;
  if (spec.asOf !== null) {
    if (a.committedAt === null) return 'no-commit-time';
    if (new Date(a.committedAt).getTime() > spec.asOf.getTime()) return 'after-asOf';
  }
  if (!inRange(a.partitionDate, spec)) return 'outside-partitions';
  return undefined;
}

/** Collects the artifacts of one table (see the module comment). */
export async function collectArtifacts(
  deps: { readonly catalog: Pick<CatalogStore, 'listArtifacts'>; readonly blobs: RestoreBlobs },
  spec: CollectSpec,
): Promise<CollectedArtifacts> {
  const excluded: Record<string, number> = {};
  const exclude = (why: string): void => {
    excluded[why] = (excluded[why] ?? 0) + 1;
  };
  const records = await deps.catalog.listArtifacts(spec.database, spec.table);
  const knownFolders = new Set(records.map((r) => folderOf(r.path)));
  const knownPaths = new Set(records.map((r) => decodeURIComponent(new URL(r.path).pathname)));
  const picked: { record: Omit<PlannedArtifact, 'rows'>; rows: number | null }[] = [];
  for (const r of records) {
    const why = exclusion(r, spec);
    if (why !== undefined) exclude(why);
    else {
      const record = { path: r.path, sizeInBytes: r.sizeInBytes, partitionDate: r.partitionDate };
      picked.push({ record: { ...record, origin: 'catalog' }, rows: r.numRecords });
    }
  }
  const tablePrefix = `${spec.database}/${spec.table}/`;
  for (const containerUrl of spec.containers) {
    // Only day folders the catalog has never heard of; a table it knows nothing of is listed whole.
    const prefixes =
      records.length === 0 ? [tablePrefix] : await deps.blobs.listFolders(containerUrl, tablePrefix);
    for (const prefix of prefixes) {
      const folderName = prefix.slice(tablePrefix.length).replace(/\/$/, '');
      if (records.length > 0 && !/^\d{8}$/.test(folderName) && folderName !== DEFAULT_PARTITION) continue;
      // A folder the catalog knows is not listed at all (a listing per folder made planning slow).
      if (records.length > 0 && knownFolders.has(folderOf(`${containerUrl}/${prefix.replace(/\/$/, '')}/_`)))
        continue;
      const blobs = await deps.blobs.listBlobs(containerUrl, prefix);
      for (const b of blobs) {
        if (!b.name.endsWith('.parquet')) continue;
        const folder = folderOf(b.url);
        const path = decodeURIComponent(new URL(b.url).pathname);
        if (knownPaths.has(path)) continue;
        if (records.length > 0 && knownFolders.has(folder)) continue;
        const parts = b.name.split('/');
        const date = parts.length > 3 ? dayOfFolder(parts[parts.length - 2]!) : null;
        if (spec.asOf !== null && b.lastModified.getTime() > spec.asOf.getTime()) exclude('after-asOf');
        else if (!inRange(date, spec)) exclude('outside-partitions');
        else
          picked.push({
            record: { path: b.url, sizeInBytes: b.size, partitionDate: date, origin: 'listing' },
            rows: null,
          });
      }
    }
  }
  const artifacts = await mapPool(picked, FOOTER_PARALLELISM, async (p) => ({
    ...p.record,
    rows: p.rows ?? (await deps.blobs.parquetRowCount(p.record.path, p.record.sizeInBytes)),
  }));
  const key = (a: PlannedArtifact): string => `${a.partitionDate ?? ''}\u0000${a.path}`;
  artifacts.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return { artifacts, excluded };
}
