/**
 * Running an export's query: environments that scope fact tables to a cursor window or hide all
 * rows (to learn the output schema without reading data), and matching the output to an external
 * table's schema.
 */
import type { EmulatorCore } from '../core';
import { evaluateQuery } from '../kql/engine';
import type { QueryEnv, Relation } from '../kql/types';
import { KustoError } from '../kustoError';
import { tableRelation } from '../relation';
import type { Database, Extent, ExternalTable } from '../state';
import type { Column, KValue } from '../values';

/** A query environment that reads tables through `read` and everything else from the database's own. */
export function envWithTables(
  core: EmulatorCore,
  database: string,
  read: (name: string, base: QueryEnv) => Relation,
): QueryEnv {
  const base = core.queryEnv(database);
  return {
    now: () => base.now(),
    table: (name) => read(name, base),
    externalTable: (name) => base.externalTable(name),
    ...(base.externalData ? { externalData: base.externalData.bind(base) } : {}),
    currentCursor: () => base.currentCursor(),
  };
}

/** Environment where every table is empty: evaluating a query in it yields just its output columns. */
export function schemaOnlyEnv(core: EmulatorCore, db: Database): QueryEnv {
  return envWithTables(core, db.name, (name, base) => {
    const table = db.tables.get(name);
    return table ? { columns: table.columns.map((c) => ({ ...c })), rows: [] } : base.table(name);
  });
}

/**
 * Environment for one continuous-export run: fact tables show only the extents `include` accepts;
 * dimension tables are read whole.
 */
export function cursorScopedEnv(
  core: EmulatorCore,
  db: Database,
  factTables: ReadonlySet<string>,
  include: (extent: Extent) => boolean,
): QueryEnv {
  return envWithTables(core, db.name, (name, base) => {
    const table = db.tables.get(name);
    return table && factTables.has(name) ? tableRelation(table, include) : base.table(name);
  });
}

/** Evaluates a query in an environment. */
export function runQuery(text: string, env: QueryEnv): Promise<Relation> {
  return evaluateQuery(text, env);
}

/** Renders a schema as `Name:type, ...` for messages. */
export function schemaText(columns: readonly Column[]): string {
  return columns.map((c) => `${c.name}:${c.type}`).join(', ');
}

/**
 * Why a query's output does not fit an external table, or undefined when it does: every external
 * column must be produced with the same type, and nothing else may be produced.
 */
export function schemaMismatch(output: readonly Column[], table: ExternalTable): string | undefined {
  const problems: string[] = [];
  for (const column of table.columns) {
    const produced = output.find((c) => c.name === column.name);
    if (!produced) problems.push(`column '${column.name}' is missing from the query output`);
    else if (produced.type !== column.type)
      problems.push(
        `column '${column.name}' is ${produced.type} in the query output but ${column.type} in the external table`,
      );
  }
  for (const column of output) {
    if (!table.columns.some((c) => c.name === column.name))
      problems.push(`column '${column.name}' is not in the external table`);
  }
  return problems.length > 0 ? problems.join('; ') : undefined;
}

/** Permanent error for a query whose output does not match the external table (reference §4). */
export function schemaMismatchError(
  table: ExternalTable,
  output: readonly Column[],
  why: string,
): KustoError {
  return KustoError.badRequest(
    `Permanent failure: schema mismatch between the query output and the external table '${table.name}': ${why}. ` +
      `Query output schema: (${schemaText(output)}); external table schema: (${schemaText(table.columns)}).`,
  );
}

/** Permanent error for an export whose external table does not exist (reference §4). */
export function externalTableNotFound(name: string): KustoError {
  return new KustoError(
    400,
    'BadRequest_EntityNotFound',
    `Permanent failure: external table not found: '${name}'.`,
    'Kusto.Data.Exceptions.EntityNotFoundException',
  );
}

/** The relation's rows re-ordered into the external table's column order (matched by name). */
export function alignRows(relation: Relation, columns: readonly Column[]): KValue[][] {
  const index = columns.map((c) => relation.columns.findIndex((o) => o.name === c.name));
  return relation.rows.map((row) => index.map((i) => (i >= 0 ? (row.values[i] ?? null) : null)));
}
