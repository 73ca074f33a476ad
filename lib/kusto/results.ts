/**
 * Typed readers for the result tables of the commands the control plane sends (reference §1, §3).
 * Columns are found by name, so extra columns and any order are fine; a missing required column is
 * a PermanentError naming it, because guessing would misreport a cluster's state.
 */
import { PermanentError } from '../errors';
import { redact } from './redact';
import type { ResultTable } from './types';

// ---------------------------------------------------------------------------------------------
// Scalar conversions
// ---------------------------------------------------------------------------------------------

const DATETIME =
  /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const TIMESPAN = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/;

/**
 * Parses a Kusto datetime (ISO-8601, up to 7 fractional digits, `T` or space separated, UTC when
 * no zone is given) to a Date. Digits below the millisecond are truncated, never rounded, so a
 * value never moves past the instant Kusto reported.
 */
export function parseKustoDateTime(value: string): Date | undefined {
  const m = DATETIME.exec(value.trim());
  if (!m) return undefined;
  const [, day, time = '00:00:00', fraction = '', zone = 'Z'] = m;
  const hms = time.length === 5 ? `${time}:00` : time;
  const ms = fraction.slice(0, 3).padEnd(3, '0');
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const date = new Date(`${day}T${hms}.${ms}${offset}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Parses a Kusto timespan `[-][d.]hh:mm:ss[.fffffff]` to milliseconds (sub-ms digits kept as a fraction). */
export function parseKustoTimespan(value: string): number | undefined {
  const m = TIMESPAN.exec(value.trim());
  if (!m) return undefined;
  const [, sign, days = '0', hours = '0', minutes = '0', seconds = '0', fraction = ''] = m;
  const whole = ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60 + Number(seconds);
  // Ticks (100 ns) as an integer keep the 7 digits exact; dividing once avoids float drift.
  const ms = whole * 1000 + Number(fraction.padEnd(7, '0')) / 10_000;
  return sign ? -ms : ms;
}

/** JSON text (or an already-parsed `dynamic`) to a value; undefined when it is not valid JSON. */
function lenientJson(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? undefined;
  if (value.trim() === '') return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

function preview(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return redact(text.length > 80 ? `${text.slice(0, 80)}...` : text);
}

// ---------------------------------------------------------------------------------------------
// Row access by column name
// ---------------------------------------------------------------------------------------------

/** Typed cell access for one row; `undefined` means the column is absent or the cell is null. */
class Row {
  constructor(
    private readonly source: string,
    private readonly index: ReadonlyMap<string, number>,
    private readonly cells: readonly unknown[],
    private readonly rowNumber: number,
  ) {}

  raw(column: string): unknown {
    const at = this.index.get(column);
    return at === undefined ? undefined : (this.cells[at] ?? undefined);
  }

  private bad(column: string, expected: string, value: unknown): PermanentError {
    return new PermanentError(
      `${this.source}: row ${this.rowNumber}, column '${column}': expected ${expected}, got ${preview(value)}`,
    );
  }

  /** Strings never come back null from Kusto; treat null as empty. */
  str(column: string): string {
    const v = this.raw(column);
    if (v === undefined) return '';
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
    return JSON.stringify(v) ?? '';
  }

  optStr(column: string): string | undefined {
    return this.index.has(column) ? this.str(column) : undefined;
  }

  /** Booleans arrive as true/false or as 0/1 (reference §1.0). */
  bool(column: string): boolean | undefined {
    const v = this.raw(column);
    if (v === undefined) return undefined;
    if (typeof v === 'boolean') return v;
    if (v === 0 || v === 1) return v === 1;
    if (typeof v === 'string') {
      const s = v.trim().toLowerCase();
      if (s === 'true' || s === '1') return true;
      if (s === 'false' || s === '0') return false;
    }
    throw this.bad(column, 'a bool', v);
  }

  long(column: string): number | undefined {
    const v = this.raw(column);
    if (v === undefined) return undefined;
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (!Number.isFinite(n)) throw this.bad(column, 'a number', v);
    return n;
  }

  date(column: string): Date | undefined {
    const v = this.raw(column);
    if (v === undefined || v === '') return undefined;
    if (v instanceof Date) return v;
    const d = typeof v === 'string' ? parseKustoDateTime(v) : undefined;
    if (!d) throw this.bad(column, 'a datetime', v);
    return d;
  }

  timespanMs(column: string): number | undefined {
    const v = this.raw(column);
    if (v === undefined || v === '') return undefined;
    if (typeof v === 'number') return v;
    const ms = typeof v === 'string' ? parseKustoTimespan(v) : undefined;
    if (ms === undefined) throw this.bad(column, 'a timespan', v);
    return ms;
  }
}

/** Column lookup: exact name first, then case-insensitive (some tools re-case projected names). */
function columnIndex(table: ResultTable): Map<string, number> {
  const index = new Map<string, number>();
  table.columns.forEach((c, i) => {
    if (!index.has(c.name)) index.set(c.name, i);
  });
  return index;
}

function resolve(index: Map<string, number>, wanted: string): number | undefined {
  const exact = index.get(wanted);
  if (exact !== undefined) return exact;
  const lower = wanted.toLowerCase();
  for (const [name, i] of index) if (name.toLowerCase() === lower) return i;
  return undefined;
}

/**
 * Rows of `table` as {@link Row}s over the canonical column names in `required` and `optional`.
 * Fails before reading any row when a required column is missing, even for an empty table.
 */
function rowsOf(
  table: ResultTable,
  source: string,
  required: readonly string[],
  optional: readonly string[] = [],
): Row[] {
  const found = columnIndex(table);
  const index = new Map<string, number>();
  const missing: string[] = [];
  for (const name of required) {
    const at = resolve(found, name);
    if (at === undefined) missing.push(name);
    else index.set(name, at);
  }
  if (missing.length > 0) {
    throw new PermanentError(
      `${source}: result has no column ${missing.map((m) => `'${m}'`).join(', ')} (columns: ${table.columns.map((c) => c.name).join(', ') || 'none'})`,
    );
  }
  for (const name of optional) {
    const at = resolve(found, name);
    if (at !== undefined) index.set(name, at);
  }
  return table.rows.map((cells, i) => new Row(source, index, cells, i));
}

// ---------------------------------------------------------------------------------------------
// §1.1 continuous exports
// ---------------------------------------------------------------------------------------------

/** One row of `.show continuous-exports` (and of enable/disable/drop, reference §1.1). */
export interface ContinuousExport {
  readonly name: string;
  readonly externalTableName: string;
  readonly query: string;
  /** Null in Kusto when not set. */
  readonly forcedLatencyMs?: number;
  readonly intervalBetweenRunsMs?: number;
  /** Fact tables as Kusto renders them, e.g. `['DB'].['T']`; empty when absent or unparsable. */
  readonly cursorScopedTables: readonly string[];
  /** Parsed `ExportProperties` JSON (e.g. `SizeLimit`); empty when absent or unparsable. */
  readonly exportProperties: Readonly<Record<string, unknown>>;
  readonly lastRunTime?: Date;
  /** Database cursor at creation: the upper bound of the historical export. */
  readonly startCursor: string;
  readonly isDisabled: boolean;
  /** `Completed` or `Failed`; empty before the first run. */
  readonly lastRunResult: string;
  /** Latest ingestion time exported; lateness = now - exportedTo. */
  readonly exportedTo?: Date;
  readonly isRunning: boolean;
}

const CONTINUOUS_EXPORT_COLUMNS = [
  'Name',
  'ExternalTableName',
  'Query',
  'ForcedLatency',
  'IntervalBetweenRuns',
  'CursorScopedTables',
  'ExportProperties',
  'LastRunTime',
  'StartCursor',
  'IsDisabled',
  'LastRunResult',
  'ExportedTo',
  'IsRunning',
] as const;

function stringArray(value: unknown): string[] {
  const parsed = lenientJson(value);
  return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
}

function jsonObject(value: unknown): Record<string, unknown> {
  const parsed = lenientJson(value);
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : {};
}

/**
 * Reads `.show continuous-exports` / `.show continuous-export NAME`: all 13 columns are required.
 * (`.create-or-alter continuous-export` may answer with fewer columns; read it back with `.show`.)
 */
export function parseContinuousExports(table: ResultTable): ContinuousExport[] {
  return rowsOf(table, 'continuous exports', CONTINUOUS_EXPORT_COLUMNS).map((r) => ({
    name: r.str('Name'),
    externalTableName: r.str('ExternalTableName'),
    query: r.str('Query'),
    forcedLatencyMs: r.timespanMs('ForcedLatency'),
    intervalBetweenRunsMs: r.timespanMs('IntervalBetweenRuns'),
    cursorScopedTables: stringArray(r.raw('CursorScopedTables')),
    exportProperties: jsonObject(r.raw('ExportProperties')),
    lastRunTime: r.date('LastRunTime'),
    startCursor: r.str('StartCursor'),
    isDisabled: r.bool('IsDisabled') ?? false,
    lastRunResult: r.str('LastRunResult'),
    exportedTo: r.date('ExportedTo'),
    isRunning: r.bool('IsRunning') ?? false,
  }));
}

// ---------------------------------------------------------------------------------------------
// §1.2 / §1.3 artifacts and failures
// ---------------------------------------------------------------------------------------------

/** One row of `.show continuous-export NAME exported-artifacts` (reference §1.2). */
export interface ExportedArtifact {
  readonly timestamp: Date;
  readonly externalTableName: string;
  readonly path: string;
  readonly numRecords: number;
  /** Shown in the docs' example but not in the documented schema. */
  readonly sizeInBytes?: number;
}

function requiredDate(r: Row, column: string, source: string): Date {
  const d = r.date(column);
  if (!d) throw new PermanentError(`${source}: column '${column}' is null`);
  return d;
}

/** Reads exported artifacts; `SizeInBytes` is optional. */
export function parseExportedArtifacts(table: ResultTable): ExportedArtifact[] {
  const source = 'exported artifacts';
  return rowsOf(table, source, ['Timestamp', 'ExternalTableName', 'Path', 'NumRecords'], ['SizeInBytes']).map(
    (r) => ({
      timestamp: requiredDate(r, 'Timestamp', source),
      externalTableName: r.str('ExternalTableName'),
      path: r.str('Path'),
      numRecords: r.long('NumRecords') ?? 0,
      sizeInBytes: r.long('SizeInBytes'),
    }),
  );
}

/** One row of `.show continuous-export NAME failures` (reference §1.3). */
export interface ContinuousExportFailure {
  readonly timestamp: Date;
  readonly operationId: string;
  readonly name: string;
  readonly lastSuccessRun?: Date;
  /** `Failure` or `PartialFailure` (some artifacts were written). */
  readonly failureKind: string;
  readonly details: string;
}

/** Reads continuous-export failures. */
export function parseContinuousExportFailures(table: ResultTable): ContinuousExportFailure[] {
  const source = 'continuous export failures';
  return rowsOf(table, source, [
    'Timestamp',
    'OperationId',
    'Name',
    'LastSuccessRun',
    'FailureKind',
    'Details',
  ]).map((r) => ({
    timestamp: requiredDate(r, 'Timestamp', source),
    operationId: r.str('OperationId'),
    name: r.str('Name'),
    lastSuccessRun: r.date('LastSuccessRun'),
    failureKind: r.str('FailureKind'),
    details: r.str('Details'),
  }));
}

// ---------------------------------------------------------------------------------------------
// §1.6 / §1.7 / §1.8 exports and operations
// ---------------------------------------------------------------------------------------------

/** Reads the answer of `.export async ...`: one row with the `OperationId`. */
export function parseOperationId(table: ResultTable): string {
  const rows = rowsOf(table, 'export async result', ['OperationId']);
  const id = rows[0]?.str('OperationId') ?? '';
  if (rows.length !== 1 || id === '') {
    throw new PermanentError(`export async result: expected one OperationId, got ${rows.length} row(s)`);
  }
  return id;
}

/** One row of `.show operations` (reference §1.7). Only the id, state and status are required. */
export interface KustoOperation {
  readonly operationId: string;
  readonly operation?: string;
  readonly nodeId?: string;
  readonly startedOn?: Date;
  readonly lastUpdatedOn?: Date;
  readonly durationMs?: number;
  /** `InProgress`, `Completed`, `Failed`, `PartiallySucceeded`, `Abandoned`, `BadInput`, `Scheduled`, `Throttled`, `Canceled`, `Skipped`. */
  readonly state: string;
  /** Error text for failures. */
  readonly status: string;
  readonly rootActivityId?: string;
  readonly shouldRetry?: boolean;
  readonly database?: string;
  readonly principal?: string;
  readonly user?: string;
}

/** Reads `.show operations` in any of its forms, projected ones (`| project OperationId, State, ...`) included. */
export function parseOperations(table: ResultTable): KustoOperation[] {
  return rowsOf(
    table,
    'operations',
    ['OperationId', 'State', 'Status'],
    [
      'Operation',
      'NodeId',
      'StartedOn',
      'LastUpdatedOn',
      'Duration',
      'RootActivityId',
      'ShouldRetry',
      'Database',
      'Principal',
      'User',
    ],
  ).map((r) => ({
    operationId: r.str('OperationId'),
    operation: r.optStr('Operation'),
    nodeId: r.optStr('NodeId'),
    startedOn: r.date('StartedOn'),
    lastUpdatedOn: r.date('LastUpdatedOn'),
    durationMs: r.timespanMs('Duration'),
    state: r.str('State'),
    status: r.str('Status'),
    rootActivityId: r.optStr('RootActivityId'),
    shouldRetry: r.bool('ShouldRetry'),
    database: r.optStr('Database'),
    principal: r.optStr('Principal'),
    user: r.optStr('User'),
  }));
}

/**
 * The latest row per operation id (`.show operations` without ids returns several rows per
 * operation): the one with the greatest `LastUpdatedOn`, later rows winning ties.
 */
export function latestByOperationId(operations: readonly KustoOperation[]): Map<string, KustoOperation> {
  const latest = new Map<string, KustoOperation>();
  for (const op of operations) {
    const seen = latest.get(op.operationId);
    if (!seen || (op.lastUpdatedOn?.getTime() ?? -Infinity) >= (seen.lastUpdatedOn?.getTime() ?? -Infinity)) {
      latest.set(op.operationId, op);
    }
  }
  return latest;
}

/** One artifact of an export to an external table (sync answer, or `.show operation ID details`). */
export interface ExportToTableDetail {
  readonly externalTableName: string;
  readonly path: string;
  readonly numRecords: number;
  readonly sizeInBytes?: number;
}

/** Reads export-to-table details: `ExternalTableName, Path, NumRecords[, SizeInBytes]`. */
export function parseExportToTableDetails(table: ResultTable): ExportToTableDetail[] {
  return rowsOf(table, 'export details', ['ExternalTableName', 'Path', 'NumRecords'], ['SizeInBytes']).map(
    (r) => ({
      externalTableName: r.str('ExternalTableName'),
      path: r.str('Path'),
      numRecords: r.long('NumRecords') ?? 0,
      sizeInBytes: r.long('SizeInBytes'),
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// §1.9 – §1.12 tables and schemas
// ---------------------------------------------------------------------------------------------

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

/** .NET type names in schema JSON (`Type`) to Kusto types, for answers without `CslType`. */
const DOTNET_TO_KUSTO: Readonly<Record<string, string>> = {
  'System.String': 'string',
  'System.DateTime': 'datetime',
  'System.TimeSpan': 'timespan',
  'System.Int32': 'int',
  'System.Int64': 'long',
  'System.Double': 'real',
  'System.Boolean': 'bool',
  'System.SByte': 'bool',
  'System.Guid': 'guid',
  'System.Object': 'dynamic',
  'System.Data.SqlTypes.SqlDecimal': 'decimal',
  'System.Decimal': 'decimal',
};

function schemaColumns(value: unknown, source: string): TableColumn[] {
  if (!Array.isArray(value)) throw new PermanentError(`${source}: schema has no OrderedColumns`);
  return value.map((c: unknown, i) => {
    const col = (typeof c === 'object' && c !== null ? c : {}) as {
      Name?: unknown;
      CslType?: unknown;
      Type?: unknown;
    };
    const name = typeof col.Name === 'string' ? col.Name : '';
    const cslType =
      typeof col.CslType === 'string' && col.CslType !== ''
        ? col.CslType
        : typeof col.Type === 'string'
          ? DOTNET_TO_KUSTO[col.Type]
          : undefined;
    if (!name || !cslType) {
      throw new PermanentError(`${source}: column #${i} has no usable Name/CslType/Type (${preview(c)})`);
    }
    return { name, cslType };
  });
}

function parseJsonCell(value: unknown, source: string, column: string): unknown {
  const parsed = lenientJson(value);
  if (parsed === undefined)
    throw new PermanentError(`${source}: column '${column}' is not valid JSON (${preview(value)})`);
  return parsed;
}

/** Reads `.show table T schema as json` (also `.create/.alter table` answers); the `Schema` must be JSON. */
export function parseTableSchemas(table: ResultTable): TableSchema[] {
  const source = 'table schema';
  return rowsOf(table, source, ['TableName', 'Schema'], ['DatabaseName', 'Folder', 'DocString']).map((r) => {
    const schema = parseJsonCell(r.raw('Schema'), source, 'Schema');
    // Table answers wrap the columns in an object; external-table answers are a bare column array.
    const ordered = Array.isArray(schema)
      ? schema
      : (schema as { OrderedColumns?: unknown } | null)?.OrderedColumns;
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
  readonly materializedViews: readonly string[];
  readonly functions: readonly string[];
}

function entries(value: unknown): [string, Record<string, unknown>][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>).filter(
    (e): e is [string, Record<string, unknown>] => typeof e[1] === 'object' && e[1] !== null,
  );
}

/**
 * Reads the database schema JSON. With several databases in the answer, `databaseName` picks one
 * (case-insensitive); tolerates columns without `CslType` by mapping their .NET `Type`.
 */
export function parseDatabaseSchema(table: ResultTable, databaseName?: string): DatabaseSchema {
  const source = 'database schema';
  const [row] = rowsOf(table, source, ['DatabaseSchema']);
  if (!row) throw new PermanentError(`${source}: empty result`);
  const json = parseJsonCell(row.raw('DatabaseSchema'), source, 'DatabaseSchema') as { Databases?: unknown };
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
    databaseName: typeof db.Name === 'string' ? db.Name : key,
    tables: entries(db.Tables).map(([tableKey, t]) => ({
      name: typeof t.Name === 'string' ? t.Name : tableKey,
      folder: typeof t.Folder === 'string' ? t.Folder : undefined,
      docString: typeof t.DocString === 'string' ? t.DocString : undefined,
      columns: schemaColumns(t.OrderedColumns, `${source} of table '${tableKey}'`),
    })),
    externalTables: entries(db.ExternalTables).map(([k]) => k),
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

/** One row of `.show external tables` (reference §1.11). */
export interface ExternalTableInfo {
  readonly tableName: string;
  readonly tableType: string;
  readonly folder: string;
  readonly docString: string;
  /** Parsed `Properties` JSON (Format, Compressed, ...); empty when absent or unparsable. */
  readonly properties: Readonly<Record<string, unknown>>;
  /** As Kusto shows them, secrets already masked by the service. */
  readonly connectionStrings: readonly string[];
  readonly pathFormat: string;
}

/** Reads `.show external tables` / `.show external table X`. */
export function parseExternalTables(table: ResultTable): ExternalTableInfo[] {
  return rowsOf(
    table,
    'external tables',
    ['TableName'],
    ['TableType', 'Folder', 'DocString', 'Properties', 'ConnectionStrings', 'PathFormat'],
  ).map((r) => ({
    tableName: r.str('TableName'),
    tableType: r.str('TableType'),
    folder: r.str('Folder'),
    docString: r.str('DocString'),
    properties: jsonObject(r.raw('Properties')),
    connectionStrings: stringArray(r.raw('ConnectionStrings')),
    pathFormat: r.str('PathFormat'),
  }));
}

// ---------------------------------------------------------------------------------------------
// §1.13 / §1.15 / §1.17 / §3.2 cluster facilities
// ---------------------------------------------------------------------------------------------

/** One row of `.show capacity` (reference §1.17). */
export interface Capacity {
  readonly resource: string;
  readonly total: number;
  readonly consumed: number;
  readonly remaining: number;
  readonly origin?: string;
}

/** Reads `.show capacity`. */
export function parseCapacity(table: ResultTable): Capacity[] {
  return rowsOf(table, 'capacity', ['Resource', 'Total', 'Consumed', 'Remaining'], ['Origin']).map((r) => ({
    resource: r.str('Resource'),
    total: r.long('Total') ?? 0,
    consumed: r.long('Consumed') ?? 0,
    remaining: r.long('Remaining') ?? 0,
    origin: r.optStr('Origin'),
  }));
}

const resourceKey = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * The capacity row of a resource, whatever its spelling on this cluster version
 * (`DataExport`, `data-export`, ...; reference §1.17 leaves it unconfirmed).
 */
export function findCapacity(capacities: readonly Capacity[], resource: string): Capacity | undefined {
  const key = resourceKey(resource);
  return capacities.find((c) => resourceKey(c.resource) === key);
}

/** One row of `.show ingestion failures` (reference §1.13). */
export interface IngestionFailure {
  readonly operationId: string;
  readonly database: string;
  readonly table: string;
  readonly failedOn: Date;
  /** May carry a SAS: never log it unredacted. */
  readonly ingestionSourcePath: string;
  readonly details: string;
  /** `Permanent` or `Transient`. */
  readonly failureKind: string;
  readonly rootActivityId?: string;
  readonly operationKind?: string;
  readonly originatesFromUpdatePolicy?: boolean;
  readonly errorCode?: string;
  readonly shouldRetry?: boolean;
  readonly ingestionProperties?: string;
  readonly numberOfSources?: number;
}

/** Reads `.show ingestion failures`. */
export function parseIngestionFailures(table: ResultTable): IngestionFailure[] {
  const source = 'ingestion failures';
  return rowsOf(
    table,
    source,
    ['OperationId', 'Database', 'Table', 'FailedOn', 'IngestionSourcePath', 'Details', 'FailureKind'],
    [
      'RootActivityId',
      'OperationKind',
      'OriginatesFromUpdatePolicy',
      'ErrorCode',
      'ShouldRetry',
      'IngestionProperties',
      'NumberOfSources',
    ],
  ).map((r) => ({
    operationId: r.str('OperationId'),
    database: r.str('Database'),
    table: r.str('Table'),
    failedOn: requiredDate(r, 'FailedOn', source),
    ingestionSourcePath: r.str('IngestionSourcePath'),
    details: r.str('Details'),
    failureKind: r.str('FailureKind'),
    rootActivityId: r.optStr('RootActivityId'),
    operationKind: r.optStr('OperationKind'),
    originatesFromUpdatePolicy: r.bool('OriginatesFromUpdatePolicy'),
    errorCode: r.optStr('ErrorCode'),
    shouldRetry: r.bool('ShouldRetry'),
    ingestionProperties: r.optStr('IngestionProperties'),
    numberOfSources: r.long('NumberOfSources'),
  }));
}

/** One row of `.get ingestion resources` (reference §3.2). `storageRoot` is a SAS URL: a secret. */
export interface IngestionResource {
  readonly resourceTypeName: string;
  readonly storageRoot: string;
}

/** Ingestion resources grouped by purpose. Every URL carries a SAS: never log them unredacted. */
export interface IngestionResources {
  readonly readyForAggregationQueues: readonly string[];
  readonly tempStorage: readonly string[];
  readonly failedIngestionsQueues: readonly string[];
  readonly successfulIngestionsQueues: readonly string[];
  readonly statusTables: readonly string[];
}

/** Reads `.get ingestion resources`. */
export function parseIngestionResources(table: ResultTable): IngestionResource[] {
  return rowsOf(table, 'ingestion resources', ['ResourceTypeName', 'StorageRoot']).map((r) => ({
    resourceTypeName: r.str('ResourceTypeName'),
    storageRoot: r.str('StorageRoot'),
  }));
}

/** Groups ingestion resources by type; unknown types are ignored. */
export function groupIngestionResources(resources: readonly IngestionResource[]): IngestionResources {
  const of = (type: string): string[] =>
    resources
      .filter((r) => r.resourceTypeName.toLowerCase() === type.toLowerCase())
      .map((r) => r.storageRoot);
  return {
    readyForAggregationQueues: of('SecuredReadyForAggregationQueue'),
    tempStorage: of('TempStorage'),
    failedIngestionsQueues: of('FailedIngestionsQueue'),
    successfulIngestionsQueues: of('SuccessfulIngestionsQueue'),
    statusTables: of('IngestionsStatusTable'),
  };
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
