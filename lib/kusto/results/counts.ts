/**
 * Reader for the verification's count queries: `summarize count() by bin(col, 1d)` answers one row
 * per day (the day first, `count_` last); `summarize count()` answers one row with `count_` only.
 * Columns are read by position because the day column is named after the source column.
 */
import { PermanentError } from '../../errors';
import type { ResultTable } from '../types';
import { parseKustoDateTime, preview } from './cells';

/** Rows per day `yyyy-MM-dd`; key null for rows without a day (or the one total of a day-less count). */
export type DayCounts = Map<string | null, number>;

function countOf(value: unknown, row: number): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
    throw new PermanentError(`day counts: row ${row}: expected a count, got ${preview(value)}`);
  return n;
}

/** Reads a per-day (or total) count answer; counts of equal days are added. */
export function parseDayCounts(table: ResultTable): DayCounts {
  const width = table.columns.length;
  if (width !== 1 && width !== 2)
    throw new PermanentError(`day counts: expected 1 or 2 columns, got ${width}`);
  const out: DayCounts = new Map();
  table.rows.forEach((cells, i) => {
    const count = countOf(cells[width - 1], i);
    let day: string | null = null;
    if (width === 2) {
      const value = cells[0];
      if (value !== null && value !== undefined && value !== '') {
        const date = typeof value === 'string' ? parseKustoDateTime(value) : undefined;
        if (!date) throw new PermanentError(`day counts: row ${i}: expected a day, got ${preview(value)}`);
        day = date.toISOString().slice(0, 10);
      }
    }
    out.set(day, (out.get(day) ?? 0) + count);
  });
  return out;
}
