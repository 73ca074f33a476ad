/** Builders for the result tables the parsers in `lib/kusto/results/` read, and a throw catcher. */
import type { ResultTable } from '../../lib/kusto/types';

/** Builds a table from `"A:string, B:long"` and rows. */
export function table(spec: string, rows: unknown[][]): ResultTable {
  return {
    columns: spec.split(',').map((p) => {
      const [name = '', type = 'string'] = p.split(':').map((s) => s.trim());
      return { name, type };
    }),
    rows,
  };
}

/** Reorders the columns (and cells) of a table: `order` lists column names. */
export function reorder(t: ResultTable, order: string[]): ResultTable {
  const idx = order.map((n) => t.columns.findIndex((c) => c.name === n));
  return { columns: idx.map((i) => t.columns[i]!), rows: t.rows.map((r) => idx.map((i) => r[i])) };
}

/** The table without one column. */
export function dropColumn(t: ResultTable, name: string): ResultTable {
  return reorder(
    t,
    t.columns.map((c) => c.name).filter((n) => n !== name),
  );
}

/** The error `fn` throws, for several assertions on it; fails when nothing is thrown. */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}
