/**
 * The independent check: the row count each committed parquet file declares in its footer, read
 * with ranged GETs (the file's tail, plus the rest of the metadata when it is larger), never the
 * whole file. A file that is missing, truncated or not parquet is reported as unreadable.
 */
import { parquetMetadataAsync } from 'hyparquet';
import { redactError } from '../kusto/redact';
import type { ArtifactBlobStore } from '../storage/artifactBlobs';
import type { ArtifactRecord } from '../storage/catalog';
import { mapPool } from '../catalog/pool';

/** Bytes read from the end of a file first: footers of backup files are a few KiB. */
const TAIL_BYTES = 64 * 1024;
/** Files read at once. */
const FOOTER_PARALLELISM = 16;

/** Footer row totals of one day. */
export interface DayFooters {
  rows: number;
  readonly unreadable: { readonly path: string; readonly error: string }[];
}

/** Reads the footer row count of one file (`sizeInBytes` when the catalog knows it, else HEAD). */
export async function footerRowCount(
  blobs: Pick<ArtifactBlobStore, 'size' | 'readRange'>,
  url: string,
  sizeInBytes: number | null,
): Promise<number> {
  const byteLength = sizeInBytes ?? (await blobs.size(url));
  const metadata = await parquetMetadataAsync(
    {
      byteLength,
      async slice(start: number, end?: number): Promise<ArrayBuffer> {
        const to = end ?? byteLength;
        const bytes = await blobs.readRange(url, start, to - start);
        if (bytes.byteLength !== to - start)
          throw new Error(
            `read ${bytes.byteLength} bytes at ${start}, expected ${to - start}: the file changed size`,
          );
        return bytes.slice().buffer;
      },
    },
    { initialFetchSize: TAIL_BYTES },
  );
  return Number(metadata.num_rows);
}

/** Footer row totals per partition day of `artifacts`. */
export async function footerRowsByDay(
  blobs: Pick<ArtifactBlobStore, 'size' | 'readRange'>,
  artifacts: readonly ArtifactRecord[],
): Promise<Map<string | null, DayFooters>> {
  const counts = await mapPool(artifacts, FOOTER_PARALLELISM, async (a) => {
    try {
      return { artifact: a, rows: await footerRowCount(blobs, a.path, a.sizeInBytes), error: null };
    } catch (error) {
      return { artifact: a, rows: 0, error: redactError(error) };
    }
  });
  const byDay = new Map<string | null, DayFooters>();
  for (const c of counts) {
    let day = byDay.get(c.artifact.partitionDate);
    if (!day) byDay.set(c.artifact.partitionDate, (day = { rows: 0, unreadable: [] }));
    if (c.error === null) day.rows += c.rows;
    else day.unreadable.push({ path: c.artifact.path, error: c.error });
  }
  return byDay;
}
