/**
 * Readers for what a backup stores about a database besides its data: tables, schemas, the schema
 * script and policies (reference §1.9, §1.10, §1.12, §1.15).
 */
import { PermanentError } from '../../errors';
import { kustoTypeOfClrName } from '../clrTypes';
import { asRecord, lenientJson } from '../json';
import type { ResultTable } from '../types';
import { preview, rowsOf } from './cells';

/** One row of `.show tables` (reference §1.10). */
export interface TableInfo {
  readonly tableName: string;
  readonly databaseName: string;
  readonly folder: string;
  readonly docString: string;
}

/** Reads `.show tables`. */
export function parseTables(table: ResultTable): TableInfo[] {
  return rowsOf(table, 'tables', ['TableName', 'DatabaseName'], ['Folder', 'DocString']).map((r) => ({
    tableName: r.str('TableName'),
    databaseName: r.str('DatabaseName'),
    folder: r.str('Folder'),
    docString: r.str('DocString'),
  }));
}

/** A column with its Kusto type (`long`, `datetime`, ...). */
export interface TableColumn {
  readonly name: string;
  readonly cslType: string;
}

/** A table's schema from `.show table T schema as json` (reference §1.9). */
export interface TableSchema {
  readonly tableName: string;
  readonly databaseName: string;
  readonly folder: string;
  readonly docString: string;
  readonly columns: readonly TableColumn[];
}

/** Reads `OrderedColumns`; a column without a usable type fails, as it could not be restored. */
function schemaColumns(value: unknown, source: string): TableColumn[] {
  if (!Array.isArray(value)) throw new PermanentError(`${source}: schema has no OrderedColumns`);
  return value.map((c: unknown, i) => {
    const col = asRecord(c) ?? {};
    const name = typeof col.Name === 'string' ? col.Name : '';
    const cslType =
      typeof col.CslType === 'string' && col.CslType !== ''
        ? col.CslType
        : typeof col.Type === 'string'
          ? kustoTypeOfClrName(col.Type)
          : undefined;
    if (!name || !cslType) {
      throw new PermanentError(`${source}: column #${i} has no usable Name/CslType/Type (${preview(c)})`);
    }
    return { name, cslType };
  });
}

/** Reads `.show table T schema as json` (also `.create/.alter table` answers); the `Schema` must be JSON. */
export function parseTableSchemas(table: ResultTable): TableSchema[] {
  const source = 'table schema';
  return rowsOf(table, source, ['TableName', 'Schema'], ['DatabaseName', 'Folder', 'DocString']).map((r) => {
    const schema = r.json('Schema');
    // Table answers wrap the columns in an object; external-table answers are a bare column array.
    const ordered = Array.isArray(schema) ? schema : asRecord(schema)?.OrderedColumns;
    return {
      tableName: r.str('TableName'),
      databaseName: r.str('DatabaseName'),
      folder: r.str('Folder'),
      docString: r.str('DocString'),
      columns: schemaColumns(ordered, `${source} of '${r.str('TableName')}'`),
    };
  });
}

/** A table inside a database schema. */
export interface DatabaseTable {
  readonly name: string;
  readonly folder?: string;
  readonly docString?: string;
  readonly columns: readonly TableColumn[];
}

/** `.show database DB schema as json` (reference §1.12). */
export interface DatabaseSchema {
  readonly databaseName: string;
  readonly tables: readonly DatabaseTable[];
  readonly externalTables: readonly string[];
  /**
   * Whether the answer has an `ExternalTables` map at all: older services leave it out (its keys
   * are unconfirmed, reference §1.12), and then an external table's absence means nothing.
   */
  readonly externalTablesListed: boolean;
  readonly materializedViews: readonly string[];
  readonly functions: readonly string[];
}

/** The object-valued entries of a JSON object (databases, tables, ... keyed by name). */
function entries(value: unknown): [string, Record<string, unknown>][] {
  return Object.entries(asRecord(value) ?? {}).filter(
    (e): e is [string, Record<string, unknown>] => typeof e[1] === 'object' && e[1] !== null,
  );
}

const optionalString = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

/**
 * Reads the database schema JSON. With several databases in the answer, `databaseName` picks one
 * (case-insensitive); tolerates columns without `CslType` by mapping their .NET `Type`.
 */
export function parseDatabaseSchema(table: ResultTable, databaseName?: string): DatabaseSchema {
  const source = 'database schema';
  const [row] = rowsOf(table, source, ['DatabaseSchema']);
  if (!row) throw new PermanentError(`${source}: empty result`);
  const json = row.json('DatabaseSchema') as { Databases?: unknown };
  const databases = entries(json.Databases);
  const picked = databaseName
    ? databases.find(([key, db]) =>
        [key, db.Name].some((n) => typeof n === 'string' && n.toLowerCase() === databaseName.toLowerCase()),
      )
    : databases.length === 1
      ? databases[0]
      : undefined;
  if (!picked) {
    throw new PermanentError(
      `${source}: ${databaseName ? `database '${databaseName}' not in answer` : `expected one database, got ${databases.length}`}`,
    );
  }
  const [key, db] = picked;
  return {
    databaseName: optionalString(db.Name) ?? key,
    tables: entries(db.Tables).map(([tableKey, t]) => ({
      name: optionalString(t.Name) ?? tableKey,
      folder: optionalString(t.Folder),
      docString: optionalString(t.DocString),
      columns: schemaColumns(t.OrderedColumns, `${source} of table '${tableKey}'`),
    })),
    externalTables: entries(db.ExternalTables).map(([k]) => k),
    externalTablesListed: asRecord(db.ExternalTables) !== undefined,
    materializedViews: entries(db.MaterializedViews).map(([k]) => k),
    functions: entries(db.Functions).map(([k]) => k),
  };
}

/** `.show database schema as csl script`: one command per row. */
export interface CslScript {
  readonly commands: readonly string[];
  /** The commands separated by blank lines, ready to store and to replay as a script. */
  readonly script: string;
}

/** Reads the csl script (column `DatabaseSchemaScript`). */
export function parseCslScript(table: ResultTable): CslScript {
  const commands = rowsOf(table, 'csl script', ['DatabaseSchemaScript'])
    .map((r) => r.str('DatabaseSchemaScript'))
    .filter((c) => c.trim() !== '');
  return { commands, script: commands.join('\n\n') };
}

/** One row of a `.show ... policy ...` answer (reference §1.15). */
export interface PolicyResult {
  readonly policyName: string;
  readonly entityName: string;
  /** The policy JSON parsed; `null` when Kusto shows `null` (no policy), undefined when unparsable. */
  readonly policy: unknown;
  /** The policy text as sent. */
  readonly policyText: string;
  readonly childEntities?: string;
  readonly entityType?: string;
}

/** Reads a policy result. */
export function parsePolicies(table: ResultTable): PolicyResult[] {
  return rowsOf(table, 'policy', ['PolicyName', 'EntityName', 'Policy'], ['ChildEntities', 'EntityType']).map(
    (r) => {
      const raw = r.raw('Policy');
      return {
        policyName: r.str('PolicyName'),
        entityName: r.str('EntityName'),
        policy: raw === undefined ? null : lenientJson(raw),
        policyText: r.str('Policy'),
        childEntities: r.optStr('ChildEntities'),
        entityType: r.optStr('EntityType'),
      };
    },
  );
}
