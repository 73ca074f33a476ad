/**
 * Table model operations: create, merge and alter schemas, drop and rename tables, and the one
 * low-level writer every ingestion path goes through (`appendExtent`), which stamps cursor and
 * ingestion time. Also the database schema version that `.show database schema` reports.
 */
import { EmulatorState, type Database, type Extent, type Table } from './state';
import type { EmulatorCore } from './core';
import { KustoError } from './kustoError';
import { coerce, type Column, type KValue } from './values';

/** Either the whole core or just its state: writers in every module can call in. */
export type StateSource = EmulatorCore | EmulatorState;

function stateOf(source: StateSource): EmulatorState {
  return source instanceof EmulatorState ? source : source.state;
}

/** The database, or a 400 `BadRequest_DatabaseNotExist`. */
export function requireDatabase(source: StateSource, name: string): Database {
  const db = stateOf(source).database(name);
  if (!db) throw KustoError.databaseNotFound(name);
  return db;
}

/** The table, or a 400 naming it. */
export function requireTable(db: Database, name: string): Table {
  const table = db.tables.get(name);
  if (!table) throw KustoError.notFound('Table', name);
  return table;
}

/** Folder and docstring as given in `with (folder=..., docstring=...)`. */
export interface TableProps {
  readonly folder?: string;
  readonly docString?: string;
}

function checkColumns(columns: readonly Column[]): void {
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c.name)) throw KustoError.badRequest(`Column '${c.name}' is specified more than once.`);
    seen.add(c.name);
  }
}

/**
 * Creates a table. When it already exists, nothing changes (documented `.create table` behaviour,
 * even if the schema differs). Returns the table and whether it was created.
 */
export function createTable(
  db: Database,
  name: string,
  columns: readonly Column[],
  props: TableProps = {},
): { table: Table; created: boolean } {
  checkColumns(columns);
  const existing = db.tables.get(name);
  if (existing) return { table: existing, created: false };
  if (db.externalTables.has(name)) throw KustoError.alreadyExists('External table', name);
  const table: Table = {
    name,
    columns: columns.map((c) => ({ ...c })),
    folder: props.folder ?? '',
    docString: props.docString ?? '',
    extents: [],
    ingestionTimePolicy: true,
  };
  db.tables.set(name, table);
  touchSchema(db);
  return { table, created: true };
}

/**
 * `.create-merge table`: creates the table, or appends the columns it lacks (existing order kept).
 * A column that exists with another type is an error; folder/docstring are updated when given.
 */
export function mergeTable(
  db: Database,
  name: string,
  columns: readonly Column[],
  props: TableProps = {},
): Table {
  checkColumns(columns);
  const existing = db.tables.get(name);
  if (!existing) return createTable(db, name, columns, props).table;
  for (const c of columns) {
    const current = existing.columns.find((x) => x.name === c.name);
    if (current && current.type !== c.type) {
      throw KustoError.badRequest(
        `Alter table does not support column data type change for existing columns (Column '${c.name}', current type '${current.type}', requested type '${c.type}').`,
      );
    }
  }
  const added = columns.filter((c) => !existing.columns.some((x) => x.name === c.name));
  const changed = added.length > 0 || applyProps(existing, props);
  existing.columns.push(...added.map((c) => ({ ...c })));
  if (changed) touchSchema(db);
  return existing;
}

function applyProps(table: Table, props: TableProps): boolean {
  let changed = false;
  if (props.folder !== undefined && props.folder !== table.folder) {
    table.folder = props.folder;
    changed = true;
  }
  if (props.docString !== undefined && props.docString !== table.docString) {
    table.docString = props.docString;
    changed = true;
  }
  return changed;
}

/**
 * `.alter table T (cols)`: the table's columns become exactly `columns`. Data of a kept column stays
 * (converted when its type changed); data of a removed column is gone.
 */
export function alterTable(
  db: Database,
  name: string,
  columns: readonly Column[],
  props: TableProps = {},
): Table {
  checkColumns(columns);
  const table = requireTable(db, name);
  for (const c of columns) {
    const before = table.columns.find((x) => x.name === c.name);
    if (before && before.type !== c.type) convertColumn(table, c);
  }
  table.columns = columns.map((c) => ({ ...c }));
  applyProps(table, props);
  touchSchema(db);
  return table;
}

function convertColumn(table: Table, column: Column): void {
  for (const extent of table.extents) {
    const at = extent.columns.indexOf(column.name);
    if (at < 0) continue;
    for (const row of extent.rows) row[at] = coerce(row[at] ?? null, column.type);
  }
}

/** Drops a table; unknown names fail unless `ifExists`. Returns whether a table was dropped. */
export function dropTable(db: Database, name: string, ifExists = false): boolean {
  if (!db.tables.has(name)) {
    if (ifExists) return false;
    throw KustoError.notFound('Table', name);
  }
  db.tables.delete(name);
  touchSchema(db);
  return true;
}

/**
 * Renames tables atomically: every `from` must exist, every `to` must be free once the renames are
 * applied (so `A=B, B=A` swaps).
 */
export function renameTables(db: Database, renames: readonly { from: string; to: string }[]): void {
  const moving = new Map<string, Table>();
  for (const { from } of renames) {
    const table = requireTable(db, from);
    if (moving.has(from)) throw KustoError.badRequest(`Table '${from}' is renamed more than once.`);
    moving.set(from, table);
  }
  const targets = new Set<string>();
  for (const { to } of renames) {
    if (targets.has(to)) throw KustoError.badRequest(`Table name '${to}' is used more than once.`);
    targets.add(to);
    if ((db.tables.has(to) && !moving.has(to)) || db.externalTables.has(to))
      throw KustoError.alreadyExists('Table', to);
  }
  for (const { from } of renames) db.tables.delete(from);
  for (const { from, to } of renames) {
    const table = moving.get(from)!;
    table.name = to;
    db.tables.set(to, table);
  }
  touchSchema(db);
}

/** Ingestion metadata for a new extent. */
export interface AppendOptions {
  /** Extent creation time (epoch ms); defaults to now. */
  readonly creationTime?: number;
  readonly tags?: readonly string[];
}

/**
 * Appends rows (already typed, in the table's current column order) to a table as one new extent:
 * assigns the next database cursor, sets `$IngestionTime` to the clock's now when the table's
 * IngestionTime policy is on (null otherwise), and records creation time and tags. Every writer
 * (inline ingestion, set-or-append, queued ingestion) goes through here. Zero rows make no extent:
 * the returned extent is then detached and the cursor does not move.
 */
export function appendExtent(
  source: StateSource,
  database: string,
  table: string,
  rows: KValue[][],
  opts: AppendOptions = {},
): Extent {
  const state = stateOf(source);
  const target = requireTable(requireDatabase(state, database), table);
  const now = state.clock.now();
  const width = target.columns.length;
  const extent: Extent = {
    id: state.newId(),
    rows: rows.map((r) => (r.length === width ? r : Array.from({ length: width }, (_, i) => r[i] ?? null))),
    columns: target.columns.map((c) => c.name),
    deleted: rows.map(() => false),
    ingestionTime: target.ingestionTimePolicy ? now : null,
    cursor: rows.length > 0 ? state.nextCursor() : state.currentCursor(),
    creationTime: opts.creationTime ?? now,
    tags: [...(opts.tags ?? [])],
  };
  if (rows.length > 0) target.extents.push(extent);
  return extent;
}

/**
 * Replaces an extent by a new one (new id, same position) holding `rows` and `deleted`, as Kusto's
 * delete and purge do; cursor, ingestion time, creation time and tags are kept. An extent left
 * without rows is removed. Returns the new extent, or undefined when it was removed.
 */
export function replaceExtent(
  source: StateSource,
  table: Table,
  extent: Extent,
  rows: KValue[][],
  deleted: boolean[],
): Extent | undefined {
  const at = table.extents.indexOf(extent);
  if (at < 0) throw new Error(`extent ${extent.id} is not in table ${table.name}`);
  if (rows.length === 0) {
    table.extents.splice(at, 1);
    return undefined;
  }
  const next: Extent = { ...extent, id: stateOf(source).newId(), rows, deleted, tags: [...extent.tags] };
  table.extents[at] = next;
  return next;
}

/** Rough uncompressed size of an extent in bytes (JSON length of its rows); sizes are informative only. */
export function extentSize(extent: Extent): number {
  let size = 0;
  for (const row of extent.rows) size += JSON.stringify(row).length;
  return size;
}

/** Number of soft-deleted rows of an extent. */
export function deletedCount(extent: Extent): number {
  let n = 0;
  for (const d of extent.deleted) if (d) n++;
  return n;
}

interface VersionInfo {
  minor: number;
  fingerprint: string;
}

const versions = new WeakMap<Database, VersionInfo>();
const EMPTY_FINGERPRINT = JSON.stringify([[], [], []]);

/** Everything `.show database schema` renders, so a change made anywhere moves the version. */
function fingerprint(db: Database): string {
  return JSON.stringify([
    [...db.tables.values()].map((t) => [t.name, t.columns, t.folder, t.docString, t.ingestionTimePolicy]),
    [...db.externalTables.values()].map((t) => [
      t.name,
      t.columns,
      t.folder,
      t.docString,
      t.connectionStrings,
    ]),
    [...db.continuousExports.values()].map((e) => [e.name, e.externalTableName, e.query, e.properties]),
  ]);
}

/** Records a schema change (bumps the minor version). */
export function touchSchema(db: Database): void {
  const info = versions.get(db) ?? { minor: 0, fingerprint: '' };
  info.minor += 1;
  info.fingerprint = fingerprint(db);
  versions.set(db, info);
}

/**
 * The database schema version `{major, minor}`. Changes made by other modules (external tables,
 * continuous exports) are detected by comparing the schema with the last version's.
 */
export function schemaVersion(db: Database): { major: number; minor: number } {
  let info = versions.get(db);
  if (!info) {
    // A database nobody changed yet: version 1.0 when empty, 1.1 when another module filled it.
    const now = fingerprint(db);
    info = { minor: now === EMPTY_FINGERPRINT ? 0 : 1, fingerprint: now };
    versions.set(db, info);
  } else {
    const now = fingerprint(db);
    if (now !== info.fingerprint) {
      info.minor += 1;
      info.fingerprint = now;
    }
  }
  return { major: 1, minor: info.minor };
}
