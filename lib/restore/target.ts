/**
 * What a restore needs to know about its target database before any data moves: which target tables
 * exist and whether their columns can receive the snapshot's (`.move extents` needs every staging
 * column in the target with the same type), and which continuous exports read a target table (rows
 * restored into it would be exported again).
 */
import { NotFoundError, PermanentError } from '../errors';
import type { ColumnSpec } from '../kusto/commands';
import { showContinuousExports, showDatabaseSchemaJson } from '../kusto/commands';
import type { KustoGateway } from '../kusto/gateway';
import { columnType } from '../kusto/quote';
import { parseContinuousExports, parseDatabaseSchema } from '../kusto/results';
import type { ContinuousExport, TableColumn } from '../kusto/results';

/** The target database as a restore sees it. */
export interface TargetDatabase {
  /** Existing tables with their columns. */
  readonly tables: ReadonlyMap<string, readonly TableColumn[]>;
  readonly exports: readonly ContinuousExport[];
}

function isDatabaseMissing(error: unknown): boolean {
  return (
    error instanceof PermanentError &&
    (/DatabaseNotExist|DatabaseNotFound/i.test(error.info.serverCode ?? '') ||
      /database '.*' (was not found|does not exist)/i.test(error.info.serverMessage ?? error.message))
  );
}

/**
 * Reads the target's tables (`.show database schema as json`) and continuous exports.
 * @throws NotFoundError when the database does not exist.
 */
export async function readTarget(gateway: KustoGateway, database: string): Promise<TargetDatabase> {
  let schema;
  try {
    schema = parseDatabaseSchema(await gateway.execute(database, showDatabaseSchemaJson()), database);
  } catch (error) {
    if (isDatabaseMissing(error)) throw new NotFoundError(`target database '${database}' does not exist`);
    throw error;
  }
  const exports = parseContinuousExports(await gateway.execute(database, showContinuousExports()));
  return { tables: new Map(schema.tables.map((t) => [t.name, t.columns] as const)), exports };
}

const normalised = (type: string): string => {
  try {
    return columnType(type, 'type');
  } catch {
    return type.toLowerCase();
  }
};

/**
 * Why an existing target table cannot receive the snapshot's columns (empty when it can): every
 * snapshot column must exist there with the same type. Extra target columns are fine (restored rows
 * hold nulls there).
 */
export function incompatibilities(wanted: readonly ColumnSpec[], existing: readonly TableColumn[]): string[] {
  const byName = new Map(existing.map((c) => [c.name, normalised(c.cslType)] as const));
  const problems: string[] = [];
  for (const c of wanted) {
    const has = byName.get(c.name);
    if (has === undefined) problems.push(`column '${c.name}:${normalised(c.type)}' is missing`);
    else if (has !== normalised(c.type))
      problems.push(`column '${c.name}' is ${has}, the backup has ${normalised(c.type)}`);
  }
  return problems;
}

const SCOPED = /\[(['"])((?:\\.|(?!\1).)*)\1\]\s*\.\s*\[(['"])((?:\\.|(?!\3).)*)\3\]/;
const unescape = (s: string): string => s.replace(/\\(.)/g, '$1');

/** The table a continuous export reads: its cursor-scoped table, else the query's first name. */
function exportedTables(e: ContinuousExport): string[] {
  const scoped = e.cursorScopedTables
    .map((t) => SCOPED.exec(t))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => unescape(m[4]!));
  if (scoped.length > 0) return scoped;
  const m = /^\s*(?:\[(['"])((?:\\.|(?!\1).)*)\1\]|([\p{L}\p{Nd}_]+))/u.exec(e.query);
  if (!m) return [];
  return [m[2] !== undefined ? unescape(m[2]) : m[3]!];
}

/** Names of the continuous exports that export `table`. */
export function exportsOfTable(exports: readonly ContinuousExport[], table: string): string[] {
  return exports.filter((e) => exportedTables(e).includes(table)).map((e) => e.name);
}
