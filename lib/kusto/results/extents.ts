/** Reader for the restore's summary of tagged extents (`.show table T extents ... | summarize`). */
import { PermanentError } from '../../errors';
import type { ResultTable } from '../types';
import { rowsOf } from './cells';

/** How many extents carry a tag, with their rows and soft-deleted rows. */
export interface ExtentRowCounts {
  readonly extents: number;
  readonly rows: number;
  readonly deletedRows: number;
}

/**
 * Reads `| summarize Extents = count(), RowCount = sum(RowCount), DeletedRowCount =
 * sum(DeletedRowCount)`: one row (a sum over no extent may be null: 0).
 */
export function parseExtentRowCounts(table: ResultTable): ExtentRowCounts {
  const rows = rowsOf(table, 'tagged extents', ['Extents', 'RowCount'], ['DeletedRowCount']);
  if (rows.length > 1) throw new PermanentError(`tagged extents: expected one row, got ${rows.length}`);
  const [row] = rows;
  return {
    extents: row?.long('Extents') ?? 0,
    rows: row?.long('RowCount') ?? 0,
    deletedRows: row?.long('DeletedRowCount') ?? 0,
  };
}
