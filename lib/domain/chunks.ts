/**
 * Historical export planning. Rows ingested before the continuous export's StartCursor are exported
 * in chunks by ingestion time, planned from one per-day count query. A chunk that fails for memory or
 * time is split in two by time and retried, down to a floor.
 */

/** Rows per day of ingestion time below the cursor; `day` null counts rows with no ingestion time. */
export interface DayCount {
  readonly day: Date | null;
  readonly count: number;
}

/** A slice of the historical export: `[from, to)` by ingestion time, or the rows with none. */
export type Chunk =
  | {
      readonly id: string;
      readonly kind: 'range';
      readonly from: string;
      readonly to: string;
      readonly expectedRows: number;
    }
  | { readonly id: string; readonly kind: 'null-ingestion-time'; readonly expectedRows: number };

const DAY_MS = 86_400_000;

/** Smallest time range a chunk is split down to before the export is declared impossible. */
export const MIN_CHUNK_MS = 60_000;

function rangeChunk(from: number, to: number, expectedRows: number): Chunk {
  const f = new Date(from).toISOString();
  const t = new Date(to).toISOString();
  return { id: `r-${f}-${t}`, kind: 'range', from: f, to: t, expectedRows };
}

/**
 * Groups consecutive days into chunks of at most `targetRows` rows (a single larger day is a chunk of
 * its own and is split at run time if it fails). Days with zero rows are skipped. Deterministic:
 * the same counts always give the same chunk ids.
 */
export function planChunks(counts: readonly DayCount[], targetRows: number): Chunk[] {
  if (!Number.isInteger(targetRows) || targetRows < 1)
    throw new RangeError('targetRows must be a positive integer');
  const chunks: Chunk[] = [];
  const nulls = counts.filter((c) => c.day === null).reduce((n, c) => n + c.count, 0);
  const days = counts
    .filter((c): c is { day: Date; count: number } => c.day !== null && c.count > 0)
    .map((c) => ({ start: Math.floor(c.day.getTime() / DAY_MS) * DAY_MS, count: c.count }))
    .sort((a, b) => a.start - b.start);
  let from = -1;
  let to = -1;
  let rows = 0;
  for (const d of days) {
    if (from >= 0 && (rows + d.count > targetRows || d.start !== to)) {
      chunks.push(rangeChunk(from, to, rows));
      from = -1;
    }
    if (from < 0) {
      from = d.start;
      rows = 0;
    }
    to = d.start + DAY_MS;
    rows += d.count;
  }
  if (from >= 0) chunks.push(rangeChunk(from, to, rows));
  if (nulls > 0) chunks.push({ id: 'null-ingestion-time', kind: 'null-ingestion-time', expectedRows: nulls });
  return chunks;
}

/**
 * Splits a failed range chunk into two halves by time (expected rows halved as an estimate), or
 * returns null when it is already at the floor or has no time range to split.
 */
export function splitChunk(chunk: Chunk, minMs: number = MIN_CHUNK_MS): [Chunk, Chunk] | null {
  if (chunk.kind !== 'range') return null;
  const from = Date.parse(chunk.from);
  const to = Date.parse(chunk.to);
  if (to - from < 2 * minMs) return null;
  const mid = from + Math.floor((to - from) / 2 / 1000) * 1000;
  const left = Math.ceil(chunk.expectedRows / 2);
  return [rangeChunk(from, mid, left), rangeChunk(mid, to, chunk.expectedRows - left)];
}
