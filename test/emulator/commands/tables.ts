/**
 * Table commands: create / create-merge / alter / drop / rename tables, `.show tables`, table schema
 * (json and cslschema) and the IngestionTime policy. Results follow `schemas.ts` column for column.
 */
import { childrenOf, type SyntaxElement } from '../../../lib/kusto/language';
import type { CommandInvocation, CommandResult } from './registry';
import type { ExactSpec } from './exact';
import { KustoError } from '../kustoError';
import { listItems } from '../kql/syntax';
import { nameOf } from '../kql/literals';
import { POLICY, TABLE_SCHEMA, TABLES } from '../schemas';
import type { Database, Table } from '../state';
import {
  alterTable,
  createTable,
  dropTable,
  mergeTable,
  renameTables,
  requireDatabase,
  requireTable,
  touchSchema,
  type TableProps,
} from '../tables';
import type { Column, KValue } from '../values';
import {
  childNodes,
  columnList,
  columnListChild,
  hasToken,
  isName,
  namesIn,
  stringProperty,
  withProperties,
} from './nodes';
import { cslSchema, tableSchemaJson } from './schemaText';

/** Columns of `.drop table(s)`: the remaining tables (KQL `DropTable`). */
const REMAINING_TABLES: Column[] = [
  { name: 'TableName', type: 'string' },
  { name: 'DatabaseName', type: 'string' },
];

/** The i-th name directly under the command body (the table name of `.create table T (...)`). */
function bodyName(inv: CommandInvocation, index = 0): string {
  const name = childrenOf(inv.body).filter(isName)[index];
  if (!name) throw KustoError.badRequest('Syntax error: expected a table name.');
  return nameOf(name);
}

function database(inv: CommandInvocation): Database {
  return requireDatabase(inv.core, inv.database);
}

function tableProps(body: SyntaxElement): TableProps {
  const props = withProperties(body);
  return { folder: stringProperty(props, 'folder'), docString: stringProperty(props, 'docstring') };
}

function schemaRow(db: Database, table: Table, schema: string): KValue[] {
  return [table.name, schema, db.name, table.folder, table.docString];
}

function tableRow(db: Database, table: Table): KValue[] {
  return [table.name, db.name, table.folder, table.docString];
}

function columnsOf(body: SyntaxElement): Column[] {
  const node = columnListChild(body);
  if (!node) throw KustoError.badRequest('Syntax error: expected a column list `(name:type, ...)`.');
  return columnList(node);
}

/** `(T (cols), U (cols))` items of `.create tables` / `.create-merge tables`. */
function tableDefinitions(body: SyntaxElement): { name: string; columns: Column[] }[] {
  const list = childNodes(body, 'List')[0];
  return listItems(list).map((item) => {
    const name = childrenOf(item).find(isName);
    const cols = childNodes(item).find((c) => !isName(c));
    if (!name || !cols) throw KustoError.badRequest('Syntax error: expected `TableName (name:type, ...)`.');
    return { name: nameOf(name), columns: columnList(cols) };
  });
}

/** Table names listed in parentheses directly under the body: `.drop tables (A, B)`, `.alter tables (A, B) ...`. */
function listedTables(node: SyntaxElement): string[] {
  return childNodes(node, 'List').flatMap(namesIn);
}

const remaining = (db: Database): CommandResult => ({
  columns: REMAINING_TABLES,
  rows: [...db.tables.values()].map((t) => [t.name, db.name]),
});

const allTables = (db: Database, only?: readonly Table[]): CommandResult => ({
  columns: TABLES,
  rows: (only ?? [...db.tables.values()]).map((t) => tableRow(db, t)),
});

/** `IngestionTimePolicy` row (reference §1.15); a deleted policy shows as null. */
export function ingestionTimePolicyRow(db: Database, table: Table): KValue[] {
  return [
    'IngestionTimePolicy',
    `[${db.name}].[${table.name}]`,
    table.ingestionTimePolicy ? '{ "IsEnabled": true }' : null,
    null,
    'Table',
  ];
}

function setIngestionTime(db: Database, tables: readonly Table[], enabled: boolean): CommandResult {
  for (const t of tables) t.ingestionTimePolicy = enabled;
  touchSchema(db);
  return { columns: POLICY, rows: tables.map((t) => ingestionTimePolicyRow(db, t)) };
}

/** The table commands. */
export const tableCommands: ExactSpec[] = [
  {
    pattern: ['create', 'table', '$name'],
    mutating: true,
    run(inv) {
      const db = database(inv);
      const { table } = createTable(db, bodyName(inv), columnsOf(inv.body), tableProps(inv.body));
      return { columns: TABLE_SCHEMA, rows: [schemaRow(db, table, tableSchemaJson(table))] };
    },
  },
  {
    pattern: ['create-merge', 'table', '$name'],
    mutating: true,
    run(inv) {
      const db = database(inv);
      const table = mergeTable(db, bodyName(inv), columnsOf(inv.body), tableProps(inv.body));
      return { columns: TABLE_SCHEMA, rows: [schemaRow(db, table, tableSchemaJson(table))] };
    },
  },
  {
    pattern: ['alter-merge', 'table', '$name', '$node'],
    mutating: true,
    run(inv) {
      const db = database(inv);
      const name = bodyName(inv);
      requireTable(db, name);
      const table = mergeTable(db, name, columnsOf(inv.body), tableProps(inv.body));
      return { columns: TABLE_SCHEMA, rows: [schemaRow(db, table, tableSchemaJson(table))] };
    },
  },
  {
    pattern: ['alter', 'table', '$name', '$node'],
    mutating: true,
    run(inv) {
      const db = database(inv);
      const table = alterTable(db, bodyName(inv), columnsOf(inv.body), tableProps(inv.body));
      return { columns: TABLE_SCHEMA, rows: [schemaRow(db, table, tableSchemaJson(table))] };
    },
  },
  {
    pattern: ['create', 'tables'],
    mutating: true,
    run(inv) {
      const db = database(inv);
      const tables = tableDefinitions(inv.body).map(
        (d) => createTable(db, d.name, d.columns, tableProps(inv.body)).table,
      );
      return allTables(db, tables);
    },
  },
  {
    pattern: ['create-merge', 'tables'],
    mutating: true,
    run(inv) {
      const db = database(inv);
      const tables = tableDefinitions(inv.body).map((d) =>
        mergeTable(db, d.name, d.columns, tableProps(inv.body)),
      );
      return allTables(db, tables);
    },
  },
  {
    pattern: ['drop', 'table', '$name'],
    mutating: true,
    run(inv) {
      const db = database(inv);
      dropTable(db, bodyName(inv), hasToken(inv.body, 'ifexists'));
      return remaining(db);
    },
  },
  {
    pattern: ['drop', 'tables'],
    mutating: true,
    run(inv) {
      const db = database(inv);
      const names = listedTables(inv.body);
      const ifExists = hasToken(inv.body, 'ifexists');
      // All or nothing: an unknown table fails the command before anything is dropped.
      if (!ifExists) for (const n of names) requireTable(db, n);
      for (const n of names) dropTable(db, n, true);
      return remaining(db);
    },
  },
  {
    pattern: ['rename', 'table', '$name', 'to', '$name'],
    mutating: true,
    run(inv) {
      const db = database(inv);
      renameTables(db, [{ from: bodyName(inv, 0), to: bodyName(inv, 1) }]);
      return allTables(db);
    },
  },
  {
    pattern: ['rename', 'tables'],
    mutating: true,
    run(inv) {
      const db = database(inv);
      // `.rename tables NewName=ExistingName [ifexists], ...`
      const renames = listItems(childNodes(inv.body, 'List')[0]).flatMap((item) => {
        const [to, from] = childrenOf(item).filter(isName).map(nameOf);
        if (to === undefined || from === undefined)
          throw KustoError.badRequest('Syntax error: expected `NewName=ExistingName`.');
        return hasToken(item, 'ifexists') && !db.tables.has(from) ? [] : [{ from, to }];
      });
      renameTables(db, renames);
      return allTables(db);
    },
  },
  {
    pattern: ['show', 'tables'],
    mutating: false,
    exact: true,
    run(inv) {
      return allTables(database(inv));
    },
  },
  {
    pattern: ['show', 'tables', '$node'],
    mutating: false,
    exact: true,
    run(inv) {
      const db = database(inv);
      // `.show tables (A, B)`: listed tables that exist, in the order given.
      const names = childNodes(inv.body).flatMap(namesIn);
      return allTables(
        db,
        names.flatMap((n) => (db.tables.has(n) ? [db.tables.get(n)!] : [])),
      );
    },
  },
  {
    pattern: ['show', 'table', '$name', 'schema', 'as', 'json'],
    mutating: false,
    run(inv) {
      const db = database(inv);
      const table = requireTable(db, bodyName(inv));
      return { columns: TABLE_SCHEMA, rows: [schemaRow(db, table, tableSchemaJson(table))] };
    },
  },
  {
    pattern: ['show', 'table', '$name', 'cslschema'],
    mutating: false,
    run(inv) {
      const db = database(inv);
      const table = requireTable(db, bodyName(inv));
      return { columns: TABLE_SCHEMA, rows: [schemaRow(db, table, cslSchema(table.columns))] };
    },
  },
  {
    // The official grammar accepts only `true` here; the policy is removed with `.delete ... policy`.
    pattern: ['alter', 'table', '$name', 'policy', 'ingestiontime'],
    mutating: true,
    run(inv) {
      const db = database(inv);
      return setIngestionTime(db, [requireTable(db, bodyName(inv))], true);
    },
  },
  {
    pattern: ['alter', 'tables', '(', '$node', ')', 'policy', 'ingestiontime'],
    mutating: true,
    run(inv) {
      const db = database(inv);
      return setIngestionTime(
        db,
        listedTables(inv.body).map((n) => requireTable(db, n)),
        true,
      );
    },
  },
  {
    pattern: ['delete', 'table', '$name', 'policy', 'ingestiontime'],
    mutating: true,
    run(inv) {
      const db = database(inv);
      return setIngestionTime(db, [requireTable(db, bodyName(inv))], false);
    },
  },
  {
    pattern: ['show', 'table', '$name', 'policy', 'ingestiontime'],
    mutating: false,
    run(inv) {
      const db = database(inv);
      return { columns: POLICY, rows: [ingestionTimePolicyRow(db, requireTable(db, bodyName(inv)))] };
    },
  },
  {
    pattern: ['show', 'table', '*', 'policy', 'ingestiontime'],
    mutating: false,
    run(inv) {
      const db = database(inv);
      return { columns: POLICY, rows: [...db.tables.values()].map((t) => ingestionTimePolicyRow(db, t)) };
    },
  },
];
