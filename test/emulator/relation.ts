/** Turns stored tables into relations for the query engine. */
import type { Extent, Table } from './state';
import type { Relation, Row } from './kql/types';
import type { KValue } from './values';

/**
 * Rows of a table as a relation in the table's current column order. Extents written under an older
 * schema are re-projected by column name (a column added later reads as null). Soft-deleted rows are
 * skipped. `include` narrows the extents (cursor windows for exports).
 */
export function tableRelation(table: Table, include?: (extent: Extent) => boolean): Relation {
  const rows: Row[] = [];
  for (const extent of table.extents) {
    if (include && !include(extent)) continue;
    const index = table.columns.map((c) => extent.columns.indexOf(c.name));
    const meta = { ingestionTime: extent.ingestionTime, cursor: extent.cursor };
    for (let r = 0; r < extent.rows.length; r++) {
      if (extent.deleted[r]) continue;
      const src = extent.rows[r]!;
      const values: KValue[] = index.map((i) => (i >= 0 ? (src[i] ?? null) : null));
      rows.push({ values, meta });
    }
  }
  return { columns: table.columns.map((c) => ({ ...c })), rows };
}

/** Number of visible (not soft-deleted) rows in a table. */
export function visibleRowCount(table: Table): number {
  let n = 0;
  for (const e of table.extents) for (const d of e.deleted) if (!d) n++;
  return n;
}
