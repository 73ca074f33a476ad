/** Result tables of `.show [external] table T schema as json`, as the cluster answers them (reference §1.9). */
import type { ResultTable } from '../../lib/kusto/types';

/** The one-row schema answer for a table with `columns` (`name:type`). */
export function schemaAnswer(
  table: string,
  columns: Record<string, string>,
  database = 'Sales',
): ResultTable {
  const ordered = Object.entries(columns).map(([Name, CslType]) => ({ Name, CslType }));
  return {
    columns: ['TableName', 'Schema', 'DatabaseName', 'Folder', 'DocString'].map((name) => ({
      name,
      type: 'string',
    })),
    rows: [[table, JSON.stringify({ Name: table, OrderedColumns: ordered }), database, '', '']],
  };
}
