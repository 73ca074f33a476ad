/**
 * Data commands that write extents: `.ingest inline`, ingestion from a query (`.set`, `.append`,
 * `.set-or-append`, `.set-or-replace`) and `.clear table T data`. All writes go through
 * `appendExtent`, so cursors and ingestion times are stamped in one place.
 */
import { childrenOf } from '../../../lib/kusto/language';
import type { CommandInvocation, CommandResult, CommandSpec } from './registry';
import { evaluateExpression } from '../kql/engine';
import { kindOf, unsupported } from '../kql/syntax';
import { nameOf } from '../kql/literals';
import { findExtentTag } from '../extentTags';
import { KustoError } from '../kustoError';
import type { Database, Extent, Table } from '../state';
import { appendExtent, createTable, extentSize, mergeTable, requireDatabase, requireTable } from '../tables';
import { coerce, parseDatetime, type Column, type KValue } from '../values';
import { boolProperty, inlineInput, isName, queryInput, stringProperty, withProperties } from './nodes';
import { parseInlineData } from './inline';

/** `.ingest inline` answer (KQL `IngestInlineIntoTable`). */
const EXTENT_ID: Column[] = [{ name: 'ExtentId', type: 'guid' }];

/** Ingest-from-query answer (KQL `SetOrAppendTable` and friends). */
const INGEST_FROM_QUERY: Column[] = [
  { name: 'ExtentId', type: 'guid' },
  { name: 'OriginalSize', type: 'long' },
  { name: 'ExtentSize', type: 'long' },
  { name: 'ColumnSize', type: 'long' },
  { name: 'IndexSize', type: 'long' },
  { name: 'RowCount', type: 'long' },
];

/** `.clear table T data` answer (KQL `ClearTableData`). */
const CLEAR_STATUS: Column[] = [{ name: 'Status', type: 'string' }];

/** Ingestion properties shared by inline and query ingestion. */
interface IngestProps {
  readonly creationTime?: number;
  readonly tags: string[];
  /** `ingest-by:` tag values; the ingestion is skipped when the table already has one of them. */
  readonly ingestIfNotExists: string[];
}

function jsonList(value: string | undefined, property: string): string[] {
  if (value === undefined || value.trim() === '') return [];
  try {
    const parsed = JSON.parse(value) as unknown;
    if (Array.isArray(parsed)) return parsed.map(String);
  } catch {
    // reported below
  }
  throw KustoError.badRequest(`Property '${property}' must be a JSON array of strings, e.g. '["a","b"]'.`);
}

function ingestProps(props: Map<string, KValue>): IngestProps {
  const creation = stringProperty(props, 'creationTime');
  const creationTime = creation === undefined ? undefined : parseDatetime(creation);
  if (creation !== undefined && creationTime === undefined)
    throw KustoError.badRequest(`Property 'creationTime' is not a valid datetime: '${creation}'.`);
  return {
    creationTime,
    tags: jsonList(stringProperty(props, 'tags'), 'tags'),
    ingestIfNotExists: jsonList(stringProperty(props, 'ingestIfNotExists'), 'ingestIfNotExists'),
  };
}

/** True when an extent of the table carries `ingest-by:<v>` for one of the values. */
function alreadyIngested(table: Table, values: readonly string[]): boolean {
  return (
    findExtentTag(
      table,
      values.map((v) => `ingest-by:${v}`),
    ) !== undefined
  );
}

/** The table name right under the body (`.set-or-append T ...`, `.ingest inline into table T ...`). */
function targetName(inv: CommandInvocation): string {
  const name = childrenOf(inv.body).find(isName);
  if (!name) throw KustoError.badRequest('Syntax error: expected a table name.');
  return nameOf(name);
}

function extentRow(extent: Extent): KValue[] {
  const size = extentSize(extent);
  return [extent.id, size, size, size, 0, extent.rows.length];
}

const ingestInline: CommandSpec = {
  pattern: ['ingest', 'inline', 'into', 'table', '$name'],
  mutating: true,
  run(inv) {
    const db = requireDatabase(inv.core, inv.database);
    const table = requireTable(db, targetName(inv));
    const props = withProperties(inv.body);
    const ingest = ingestProps(props);
    if (alreadyIngested(table, ingest.ingestIfNotExists)) return { columns: EXTENT_ID, rows: [] };
    const data = inlineInput(inv.body) ?? '';
    const rows = parseInlineData(
      data,
      stringProperty(props, 'format') ?? 'csv',
      table.columns,
      boolProperty(props, 'ignoreFirstRecord') ?? false,
    );
    const extent = appendExtent(inv.core, db.name, table.name, rows, {
      creationTime: ingest.creationTime,
      tags: ingest.tags,
    });
    return { columns: EXTENT_ID, rows: rows.length > 0 ? [[extent.id]] : [] };
  },
};

type QueryIngestMode = 'set' | 'append' | 'set-or-append' | 'set-or-replace';

/** Query rows re-ordered into the table's columns by name (absent columns null, values converted). */
function alignRows(result: { columns: Column[]; rows: KValue[][] }, table: Table): KValue[][] {
  const index = table.columns.map((c) => result.columns.findIndex((q) => q.name === c.name));
  return result.rows.map((row) =>
    table.columns.map((c, i) => (index[i]! >= 0 ? coerce(row[index[i]!] ?? null, c.type) : null)),
  );
}

async function ingestFromQuery(inv: CommandInvocation, mode: QueryIngestMode): Promise<CommandResult> {
  if (childrenOf(inv.body).some((c) => c.IsToken && String(c.Text).toLowerCase() === 'async')) {
    throw unsupported(`'.${mode} async'`);
  }
  const db: Database = requireDatabase(inv.core, inv.database);
  const name = targetName(inv);
  const input = queryInput(inv.body, inv.text);
  if (!input) throw KustoError.badRequest(`Syntax error: '.${mode}' needs a query after '<|'.`);
  if (kindOf(input.node).endsWith('Command'))
    throw unsupported(`Ingesting the result of a management command ('.${mode} ... <| .command')`);
  const props = withProperties(inv.body);
  const ingest = ingestProps(props);
  const relation = await evaluateExpression(input.input, inv.core.queryEnv(db.name));
  const result = { columns: relation.columns, rows: relation.rows.map((r) => r.values) };
  const exists = db.tables.has(name);
  if (mode === 'set' && exists) throw KustoError.alreadyExists('Table', name);
  if (mode === 'append' && !exists) throw KustoError.notFound('Table', name);
  let table = exists ? requireTable(db, name) : createTable(db, name, result.columns).table;
  const unknown = result.columns.filter((q) => !table.columns.some((c) => c.name === q.name));
  if (unknown.length > 0) {
    if (boolProperty(props, 'extend_schema') !== true) {
      throw KustoError.badRequest(
        `Query result column(s) ${unknown.map((c) => `'${c.name}'`).join(', ')} do not exist in table '${name}' (use extend_schema=true to add them).`,
      );
    }
    table = mergeTable(db, name, unknown);
  }
  if (alreadyIngested(table, ingest.ingestIfNotExists)) return { columns: INGEST_FROM_QUERY, rows: [] };
  if (mode === 'set-or-replace') table.extents = [];
  const rows = alignRows(result, table);
  const extent = appendExtent(inv.core, db.name, table.name, rows, {
    creationTime: ingest.creationTime,
    tags: ingest.tags,
  });
  return { columns: INGEST_FROM_QUERY, rows: rows.length > 0 ? [extentRow(extent)] : [] };
}

const queryIngest = (keyword: QueryIngestMode): CommandSpec[] => [
  { pattern: [keyword, '$name'], mutating: true, run: (inv) => ingestFromQuery(inv, keyword) },
  { pattern: [keyword, 'async', '$name'], mutating: true, run: (inv) => ingestFromQuery(inv, keyword) },
];

const clearTableData: CommandSpec = {
  pattern: ['clear', 'table', '$name', 'data'],
  mutating: true,
  run(inv) {
    const db = requireDatabase(inv.core, inv.database);
    requireTable(db, targetName(inv)).extents = [];
    return { columns: CLEAR_STATUS, rows: [['Success']] };
  },
};

/** The data commands. */
export const dataCommands: CommandSpec[] = [
  ingestInline,
  ...queryIngest('set'),
  ...queryIngest('append'),
  ...queryIngest('set-or-append'),
  ...queryIngest('set-or-replace'),
  clearTableData,
];
