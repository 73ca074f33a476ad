/**
 * A backup written directly into Azurite and the catalog, without exports: parquet artifacts in the
 * layout setup creates (`<container>/<database>/<table>/yyyyMMdd/`), committed catalog records with
 * their row counts and commit times, the table's catalog record and schema snapshots. Restore tests
 * use it to have 100,000 artifacts in minutes, or artifacts of two schema versions.
 */
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import type { ColumnSpec } from '../../lib/kusto/commands';
import { quoteName } from '../../lib/kusto/quote';
import type { ArtifactRecord, CatalogStore } from '../../lib/storage/catalog';
import { schemaSnapshotBlobName } from '../../lib/storage/layout';
import { createTextBlobStore } from '../../lib/storage/textBlobs';
import { writeParquet } from '../emulator/parquet';
import type { StorageEndpoints } from '../emulator/state';
import type { Column, KValue } from '../emulator/values';

const DAY_MS = 86_400_000;

/** What to write. */
export interface SyntheticSpec {
  readonly storage: StorageEndpoints;
  readonly containerUrl: string;
  readonly database: string;
  readonly table: string;
  /** Columns of these artifacts; the first must be the datetime partition column. */
  readonly columns: readonly ColumnSpec[];
  /** Partition days `yyyy-MM-dd`; artifact i goes to day i mod days. */
  readonly days: readonly string[];
  readonly artifacts: number;
  /** Index of the first artifact (names and ids stay unique across calls). */
  readonly firstIndex?: number;
  /** Rows of artifact i (default 1 + i mod 3). */
  readonly rowsOf?: (i: number) => number;
  /** Commit time of artifact i (default the day after its partition day). */
  readonly committedAt?: (i: number, day: string) => string;
  /** Value of column c (index >= 2) of a row; the first two are the timestamp and a unique Id. */
  readonly valueFor?: (column: ColumnSpec, id: number) => KValue;
}

/** Uploads at most `limit` at once. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/** Row ids are unique over every artifact: artifact i holds ids i*4 .. i*4+rows-1 (at most 4 rows). */
export const idOf = (artifact: number, row: number): number => artifact * 4 + row;

/** Writes the artifacts and their catalog records; resolves with their records and total rows. */
export async function writeSyntheticBackup(
  catalog: Pick<CatalogStore, 'putArtifacts'>,
  spec: SyntheticSpec,
): Promise<{ records: ArtifactRecord[]; rows: number }> {
  const container = BlobServiceClient.fromConnectionString(spec.storage.connectionString).getContainerClient(
    spec.containerUrl.slice(spec.containerUrl.lastIndexOf('/') + 1),
  );
  await container.createIfNotExists();
  const columns: Column[] = spec.columns.map((c) => ({ name: c.name, type: c.type as Column['type'] }));
  const first = spec.firstIndex ?? 0;
  const indexes = Array.from({ length: spec.artifacts }, (_, k) => first + k);
  const records: ArtifactRecord[] = new Array(spec.artifacts);
  let rows = 0;
  await pool(indexes, 64, async (i) => {
    const day = spec.days[i % spec.days.length]!;
    const count = spec.rowsOf?.(i) ?? 1 + (i % 3);
    const start = Date.parse(`${day}T00:00:00Z`);
    const data: KValue[][] = Array.from({ length: count }, (_, r) => [
      start + ((i * 7 + r) % 86_400) * 1000,
      idOf(i, r),
      ...spec.columns.slice(2).map((c) => spec.valueFor?.(c, idOf(i, r)) ?? `v${idOf(i, r)}`),
    ]);
    const bytes = writeParquet(columns, data);
    const name = `${spec.database}/${spec.table}/${day.replace(/-/g, '')}/part-${String(i).padStart(6, '0')}.parquet`;
    const blob = container.getBlockBlobClient(name);
    await blob.uploadData(bytes);
    rows += count;
    records[i - first] = {
      database: spec.database,
      table: spec.table,
      path: `${spec.containerUrl}/${name}`,
      partitionDate: day,
      numRecords: count,
      sizeInBytes: bytes.length,
      source: 'continuous',
      state: 'committed',
      committedAt: spec.committedAt?.(i, day) ?? new Date(start + DAY_MS).toISOString(),
      chunkId: null,
    };
  });
  const chunks: ArtifactRecord[][] = [];
  for (let k = 0; k < records.length; k += 1000) chunks.push(records.slice(k, k + 1000));
  await pool(chunks, 4, (chunk) => catalog.putArtifacts(chunk));
  return { records, rows };
}

/** `count` consecutive days from `first` (`yyyy-MM-dd`). */
export function daysFrom(first: string, count: number): string[] {
  const start = Date.parse(`${first}T00:00:00Z`);
  return Array.from({ length: count }, (_, d) => new Date(start + d * DAY_MS).toISOString().slice(0, 10));
}

/** Stores a schema snapshot taken at `at` holding `tables`, as setup's snapshot would. */
export async function writeSnapshot(
  storage: StorageEndpoints,
  containerUrl: string,
  database: string,
  at: Date,
  tables: readonly { readonly name: string; readonly columns: readonly ColumnSpec[] }[],
): Promise<void> {
  const script = tables
    .map(
      (t) =>
        `.create-merge table ${quoteName(t.name, 'name')} (${t.columns.map((c) => `${quoteName(c.name, 'column')}:${c.type}`).join(', ')})`,
    )
    .join('\n\n');
  const blobs = createTextBlobStore(new StorageSharedKeyCredential(storage.account, storage.accountKey));
  await blobs.writeText(containerUrl, schemaSnapshotBlobName(database, at), `${script}\n`);
}
