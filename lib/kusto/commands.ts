/**
 * Pure builders for every Kusto command and query the control plane sends. Each returns a
 * {@link KustoCommand}: the text, a short operation name (for the client request id), whether it
 * changes state, and the endpoint that serves it.
 *
 * Caller input only reaches the text through `quote.ts` (names bracket-quoted, strings escaped, other
 * values validated) or as a {@link SimplePredicate}; nothing is concatenated raw. Every builder's
 * output is checked by the official Kusto parser in the unit tests.
 */
import { ValidationError } from '../errors';
import { isSimplePredicate } from './predicate';
import type { SimplePredicate } from './predicate';
import {
  boolLiteral,
  columnType,
  datetimeLiteral,
  integerLiteral,
  managedIdentity,
  obfuscatedLiteral,
  quoteName,
  storageConnectionString,
  stringLiteral,
  textLiteral,
  timespanLiteral,
  validateCursor,
  validateGuid,
  validateName,
} from './quote';
import type { StorageTarget } from './quote';
import type { KustoCommand, KustoEndpoint } from './types';

/** A column of a table definition. */
export interface ColumnSpec {
  readonly name: string;
  /** Kusto scalar type (`long`, `string`, `datetime`...); synonyms are normalised. */
  readonly type: string;
}

function command(
  operation: string,
  text: string,
  mutating: boolean,
  endpoint: KustoEndpoint = 'engine',
): KustoCommand {
  return Object.freeze({ text, operation, mutating, endpoint });
}

/*
 * Inputs may come from JSON (HTTP, durable history), so list shapes are checked at run time even though
 * the types already promise them.
 */
function nonEmptyList<T>(value: readonly T[] | undefined, field: string, what: string): readonly T[] {
  const list: unknown = value;
  if (!Array.isArray(list) || list.length === 0)
    throw new ValidationError(field, `must list at least one ${what}`);
  return value as readonly T[];
}

function columnList(columns: readonly ColumnSpec[], field: string): string {
  const seen = new Set<string>();
  const parts = nonEmptyList(columns, field, 'column').map((c, i) => {
    const name = validateName(c?.name, `${field}[${i}].name`);
    if (seen.has(name)) throw new ValidationError(`${field}[${i}].name`, `duplicate column '${name}'`);
    seen.add(name);
    return `${quoteName(name, `${field}[${i}].name`)}:${columnType(c.type, `${field}[${i}].type`)}`;
  });
  return `(${parts.join(', ')})`;
}

/** Optional `with (k=v, ...)` clause; omitted entirely when no property is set. */
function withClause(properties: readonly (string | undefined)[]): string {
  const set = properties.filter((p): p is string => p !== undefined);
  return set.length === 0 ? '' : ` with (${set.join(', ')})`;
}

// ---------------------------------------------------------------------------------------------
// External tables

/** Definition of the parquet external table that receives one table's backup. */
export interface ExternalTableSpec {
  readonly name: string;
  /** Same columns as the source table. */
  readonly columns: readonly ColumnSpec[];
  /**
   * Datetime column to partition by day (`<path>/yyyyMMdd/`). Without it the table is not
   * partitioned (tables with no datetime column).
   */
  readonly partitionColumn?: string;
  /** One or more storage locations; with several, the service spreads writes across them. */
  readonly storage: readonly StorageTarget[];
  readonly folder?: string;
  readonly docString?: string;
  /**
   * `namePrefix`: files are written with this prefix and, on read, only files whose name starts with
   * it are read. A whole file name selects exactly that file (used to read one backup artifact).
   */
  readonly namePrefix?: string;
}

/*
 * Computed partitions need a name; it must not collide with a column of the table, so the first of
 * Day, Day1, Day2... that is free is used. It is derived from the columns only, so reruns agree.
 */
function partitionName(columns: readonly ColumnSpec[]): string {
  const taken = new Set(columns.map((c) => c.name.toLowerCase()));
  let name = 'Day';
  for (let i = 1; taken.has(name.toLowerCase()); i++) name = `Day${i}`;
  return name;
}

/**
 * `.create-or-alter external table` (kind=storage, parquet), optionally partitioned by day on a
 * datetime column, with identity-based connection strings.
 */
export function createOrAlterExternalTable(spec: ExternalTableSpec): KustoCommand {
  const name = quoteName(spec.name, 'name');
  const columns = columnList(spec.columns, 'columns');
  let partition = '';
  if (spec.partitionColumn !== undefined) {
    const column = spec.columns.find((c) => c.name === validateName(spec.partitionColumn, 'partitionColumn'));
    if (!column)
      throw new ValidationError('partitionColumn', `'${spec.partitionColumn}' is not one of the columns`);
    if (columnType(column.type, 'partitionColumn') !== 'datetime') {
      throw new ValidationError('partitionColumn', `'${column.name}' must be a datetime column`);
    }
    const day = partitionName(spec.columns);
    partition =
      ` partition by (${day}:datetime = startofday(${quoteName(column.name, 'partitionColumn')}))` +
      ` pathformat = (datetime_pattern("yyyyMMdd", ${day}))`;
  }
  const connections = nonEmptyList(spec.storage, 'storage', 'storage location').map((s, i) =>
    obfuscatedLiteral(storageConnectionString(s, `storage[${i}]`), `storage[${i}]`),
  );
  const properties = withClause([
    spec.folder === undefined ? undefined : `folder=${textLiteral(spec.folder, 'folder')}`,
    spec.docString === undefined ? undefined : `docString=${textLiteral(spec.docString, 'docString')}`,
    spec.namePrefix === undefined
      ? undefined
      : `namePrefix=${stringLiteral(fileNamePrefix(spec.namePrefix))}`,
  ]);
  return command(
    'create-or-alter-external-table',
    `.create-or-alter external table ${name} ${columns} kind=storage${partition} dataformat=parquet (${connections.join(', ')})${properties}`,
    true,
  );
}

/** `.show external table X`: definition, connection strings (secrets masked), partitions, pathformat. */
export function showExternalTable(name: string): KustoCommand {
  return command('show-external-table', `.show external table ${quoteName(name, 'name')}`, false);
}

/** `.show external table X schema as json`: the external table's ordered columns. */
export function showExternalTableSchema(name: string): KustoCommand {
  return command(
    'show-external-table-schema',
    `.show external table ${quoteName(name, 'name')} schema as json`,
    false,
  );
}

/** A file-name prefix: non-empty, one path segment, at most 1024 characters. */
function fileNamePrefix(value: unknown, field = 'namePrefix'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 1024 || /[/\\]/.test(value)) {
    throw new ValidationError(field, 'must be a file name (1-1024 characters, no / or \\)');
  }
  return value;
}

/** `.drop external table X`: removes the definition only; the files in storage stay. */
export function dropExternalTable(name: string): KustoCommand {
  return command('drop-external-table', `.drop external table ${quoteName(name, 'name')}`, true);
}

// ---------------------------------------------------------------------------------------------
// Continuous export

/** A continuous export of one table to its external table. */
export interface ContinuousExportSpec {
  readonly name: string;
  /** Source (fact) table; it is also the whole query, optionally projected. */
  readonly table: string;
  readonly externalTable: string;
  /** Columns to project, in external-table order; omit to export the table as is. */
  readonly columns?: readonly string[];
  /** Must be more than one minute (service rule). */
  readonly intervalBetweenRunsMs: number;
  readonly forcedLatencyMs?: number;
  /** Bytes per artifact before compression, 100 MB to 1 GB (service range). */
  readonly sizeLimitBytes?: number;
  /** Required by the service when the external table uses `;impersonate`. */
  readonly managedIdentity?: string;
  readonly distributed?: boolean;
}

const MINUTE_MS = 60_000;
const MIN_SIZE_LIMIT = 100 * 1024 * 1024;
const MAX_SIZE_LIMIT = 1024 * 1024 * 1024;

/** The export query: the table, or the table projected to the given columns. Never a time filter. */
function tableQuery(table: string, columns: readonly string[] | undefined, field: string): string {
  const source = quoteName(table, field);
  if (columns === undefined) return source;
  return `${source} | project ${nonEmptyList(columns, 'columns', 'column')
    .map((c, i) => quoteName(c, `columns[${i}]`))
    .join(', ')}`;
}

/** `.create-or-alter continuous-export N over (T) to table X with (...) <| T [| project ...]`. */
export function createOrAlterContinuousExport(spec: ContinuousExportSpec): KustoCommand {
  const name = quoteName(spec.name, 'name');
  const table = quoteName(spec.table, 'table');
  const external = quoteName(spec.externalTable, 'externalTable');
  if (!(typeof spec.intervalBetweenRunsMs === 'number' && spec.intervalBetweenRunsMs > MINUTE_MS)) {
    throw new ValidationError('intervalBetweenRunsMs', 'must be more than one minute');
  }
  const properties = withClause([
    `intervalBetweenRuns=${timespanLiteral(spec.intervalBetweenRunsMs, 'intervalBetweenRunsMs')}`,
    spec.forcedLatencyMs === undefined
      ? undefined
      : `forcedLatency=${timespanLiteral(spec.forcedLatencyMs, 'forcedLatencyMs')}`,
    spec.sizeLimitBytes === undefined
      ? undefined
      : `sizeLimit=${integerLiteral(spec.sizeLimitBytes, 'sizeLimitBytes', MIN_SIZE_LIMIT, MAX_SIZE_LIMIT)}`,
    spec.managedIdentity === undefined
      ? undefined
      : `managedIdentity=${stringLiteral(managedIdentity(spec.managedIdentity, 'managedIdentity'))}`,
    spec.distributed === undefined
      ? undefined
      : `distributed=${boolLiteral(spec.distributed, 'distributed')}`,
  ]);
  const query = tableQuery(spec.table, spec.columns, 'table');
  return command(
    'create-or-alter-continuous-export',
    `.create-or-alter continuous-export ${name} over (${table}) to table ${external}${properties} <| ${query}`,
    true,
  );
}

/** `.show continuous-exports`: every export of the database in one call. */
export function showContinuousExports(): KustoCommand {
  return command('show-continuous-exports', '.show continuous-exports', false);
}

/** `.show continuous-export X`. */
export function showContinuousExport(name: string): KustoCommand {
  return command('show-continuous-export', `.show continuous-export ${quoteName(name, 'name')}`, false);
}

/** `.show continuous-export X failures`. */
export function showContinuousExportFailures(name: string): KustoCommand {
  return command(
    'show-continuous-export-failures',
    `.show continuous-export ${quoteName(name, 'name')} failures`,
    false,
  );
}

/** `.show continuous-export X exported-artifacts`, optionally only artifacts newer than `since`. */
export function showExportedArtifacts(name: string, since?: Date): KustoCommand {
  const filter = since === undefined ? '' : ` | where Timestamp > ${datetimeLiteral(since, 'since')}`;
  return command(
    'show-exported-artifacts',
    `.show continuous-export ${quoteName(name, 'name')} exported-artifacts${filter}`,
    false,
  );
}

/** `.enable continuous-export X`. */
export function enableContinuousExport(name: string): KustoCommand {
  return command('enable-continuous-export', `.enable continuous-export ${quoteName(name, 'name')}`, true);
}

/** `.disable continuous-export X`. */
export function disableContinuousExport(name: string): KustoCommand {
  return command('disable-continuous-export', `.disable continuous-export ${quoteName(name, 'name')}`, true);
}

/** `.drop continuous-export X`. */
export function dropContinuousExport(name: string): KustoCommand {
  return command('drop-continuous-export', `.drop continuous-export ${quoteName(name, 'name')}`, true);
}

// ---------------------------------------------------------------------------------------------
// Historical export

/** Which rows of the table a historical chunk exports (all below the export's start cursor). */
export type ExportChunkRange =
  /** Rows ingested in `[from, to)`. */
  | { readonly from: Date; readonly to: Date }
  /** Rows without an ingestion time (ingested before the IngestionTime policy was enabled). */
  | { readonly nullIngestionTime: true };

/** One historical export chunk. */
export interface ExportChunkSpec {
  readonly table: string;
  readonly externalTable: string;
  /** The continuous export's `StartCursor`: the chunk stops exactly where the export begins. */
  readonly cursor: string;
  readonly range: ExportChunkRange;
  /** Bytes per artifact; the service's default applies when omitted. */
  readonly sizeLimitBytes?: number;
  /** `false` runs the export on one node, for chunks that failed for memory. */
  readonly distributed?: boolean;
}

/**
 * `.export async to table X <| T | where cursor_before_or_at('c') and <ingestion-time range>`.
 * Returns one row with the `OperationId`.
 */
export function exportChunkAsync(spec: ExportChunkSpec): KustoCommand {
  const table = quoteName(spec.table, 'table');
  const external = quoteName(spec.externalTable, 'externalTable');
  const cursor = stringLiteral(validateCursor(spec.cursor, 'cursor'));
  const range = spec.range;
  let timeFilter: string;
  if (range && 'nullIngestionTime' in range && range.nullIngestionTime === true) {
    timeFilter = 'isnull(ingestion_time())';
  } else if (range && 'from' in range) {
    const from = datetimeLiteral(range.from, 'range.from');
    const to = datetimeLiteral(range.to, 'range.to');
    if (range.from.getTime() >= range.to.getTime())
      throw new ValidationError('range', 'from must be before to');
    timeFilter = `ingestion_time() >= ${from} and ingestion_time() < ${to}`;
  } else {
    throw new ValidationError('range', 'must be { from, to } or { nullIngestionTime: true }');
  }
  const properties = withClause([
    spec.sizeLimitBytes === undefined
      ? undefined
      : `sizeLimit=${integerLiteral(spec.sizeLimitBytes, 'sizeLimitBytes', 1, MAX_SIZE_LIMIT)}`,
    spec.distributed === undefined
      ? undefined
      : `distributed=${boolLiteral(spec.distributed, 'distributed')}`,
  ]);
  return command(
    'export-chunk',
    `.export async to table ${external}${properties} <| ${table} | where cursor_before_or_at(${cursor}) and ${timeFilter}`,
    true,
  );
}

/**
 * Query for chunk planning: rows per ingestion day below the cursor (the null-ingestion-time rows
 * form their own group).
 */
export function countByIngestionDay(table: string, cursor: string): KustoCommand {
  return command(
    'count-by-ingestion-day',
    `${quoteName(table, 'table')} | where cursor_before_or_at(${stringLiteral(validateCursor(cursor, 'cursor'))})` +
      ' | summarize count() by bin(ingestion_time(), 1d)',
    false,
  );
}

/**
 * `print Cursor = cursor_current()`: the database's current cursor. Read only; used to preview the
 * historical export of a table whose continuous export (and so its StartCursor) does not exist yet.
 */
export function currentCursor(): KustoCommand {
  return command('current-cursor', 'print Cursor = cursor_current()', false);
}

/** Which source rows a verification count includes. */
export interface SourceCountOptions {
  /**
   * Only rows ingested at or before this time, plus rows without an ingestion time (ingested while
   * the IngestionTime policy was off, which the historical export covers): the rows the backup
   * already holds when this is the export's `ExportedTo`.
   */
  readonly ingestedAtOrBefore?: Date;
}

function ingestedFilter(options: SourceCountOptions): string {
  return options.ingestedAtOrBefore === undefined
    ? ''
    : ` | where ingestion_time() <= ${datetimeLiteral(options.ingestedAtOrBefore, 'ingestedAtOrBefore')} or isnull(ingestion_time())`;
}

/** Query for verification: source rows per day of a datetime column. */
export function countBySourceDay(
  table: string,
  column: string,
  options: SourceCountOptions = {},
): KustoCommand {
  return command(
    'count-by-source-day',
    `${quoteName(table, 'table')}${ingestedFilter(options)} | summarize count() by bin(${quoteName(column, 'column')}, 1d)`,
    false,
  );
}

/** Query for verification of a table without a datetime column: its source rows (one `count_`). */
export function countSourceRows(table: string, options: SourceCountOptions = {}): KustoCommand {
  return command(
    'count-source-rows',
    `${quoteName(table, 'table')}${ingestedFilter(options)} | summarize count()`,
    false,
  );
}

/** What {@link countLedgerMatches} reads. */
export interface LedgerMatchSpec {
  /** The backed-up table the predicates were validated for. */
  readonly table: string;
  /** Columns to read from the files: the partition column and every column a predicate uses. */
  readonly columns: readonly ColumnSpec[];
  /** The parquet files to read (one storage target per file, path ending with the file name). */
  readonly files: readonly StorageTarget[];
  /** Deletion predicates; a row matching any of them counts once. */
  readonly predicates: readonly SimplePredicate[];
  /** Count per day of this datetime column; one total when omitted. */
  readonly partitionColumn?: string;
}

/** Most files one {@link countLedgerMatches} reads (keeps the command text well below service limits). */
export const MAX_FILES_PER_LEDGER_MATCH = 500;

/**
 * Query for verification: how many rows of exactly these backup files the deletion ledger removes,
 * per day: `externaldata (cols) [files] with (format='parquet') | where (P1) or (P2) | summarize
 * count() by bin(col, 1d)`. `externaldata` reads only the listed files, so orphans and partial files
 * next to them in the folder are not counted.
 */
export function countLedgerMatches(spec: LedgerMatchSpec): KustoCommand {
  const columns = columnList(spec.columns, 'columns');
  const files = nonEmptyList(spec.files, 'files', 'file');
  if (files.length > MAX_FILES_PER_LEDGER_MATCH)
    throw new ValidationError('files', `must list at most ${MAX_FILES_PER_LEDGER_MATCH} files`);
  const uris = files.map((f, i) =>
    obfuscatedLiteral(storageConnectionString(f, `files[${i}]`), `files[${i}]`),
  );
  const condition = nonEmptyList(spec.predicates, 'predicates', 'predicate')
    .map((p) => `(${predicateFor(spec.table, p)})`)
    .join(' or ');
  let by = '';
  if (spec.partitionColumn !== undefined) {
    const name = validateName(spec.partitionColumn, 'partitionColumn');
    if (!spec.columns.some((c) => c.name === name))
      throw new ValidationError('partitionColumn', `'${name}' is not one of the columns`);
    by = ` by bin(${quoteName(name, 'partitionColumn')}, 1d)`;
  }
  return command(
    'count-ledger-matches',
    `externaldata ${columns} [${uris.join(', ')}] with (format='parquet') | where ${condition} | summarize count()${by}`,
    false,
  );
}

// ---------------------------------------------------------------------------------------------
// Operations and capacity

/** Most ids polled in one `.show operations` (keeps the command text well below service limits). */
export const MAX_OPERATIONS_PER_POLL = 1000;

/** `.show operations (id1, id2, ...)`: the latest state of many operations in one call. */
export function showOperations(operationIds: readonly string[]): KustoCommand {
  if (nonEmptyList(operationIds, 'operationIds', 'operation id').length > MAX_OPERATIONS_PER_POLL) {
    throw new ValidationError('operationIds', `must list at most ${MAX_OPERATIONS_PER_POLL} ids`);
  }
  const ids = [...new Set(operationIds.map((id, i) => validateGuid(id, `operationIds[${i}]`)))];
  return command('show-operations', `.show operations (${ids.join(', ')})`, false);
}

/** `.show operation X details`: the result of a completed async operation. */
export function showOperationDetails(operationId: string): KustoCommand {
  return command(
    'show-operation-details',
    `.show operation ${validateGuid(operationId, 'operationId')} details`,
    false,
  );
}

/** `.show capacity`, optionally only one resource (e.g. `DataExport`). */
export function showCapacity(resource?: string): KustoCommand {
  const filter =
    resource === undefined ? '' : ` | where Resource == ${stringLiteral(validateName(resource, 'resource'))}`;
  return command('show-capacity', `.show capacity${filter}`, false);
}

// ---------------------------------------------------------------------------------------------
// Schema

/** `.show tables`. */
export function showTables(): KustoCommand {
  return command('show-tables', '.show tables', false);
}

/** `.show table T schema as json`. */
export function showTableSchema(table: string): KustoCommand {
  return command('show-table-schema', `.show table ${quoteName(table, 'table')} schema as json`, false);
}

/** `.show database [D] schema as json` (the request's database when `database` is omitted). */
export function showDatabaseSchemaJson(database?: string): KustoCommand {
  const name = database === undefined ? '' : ` ${quoteName(database, 'database')}`;
  return command('show-database-schema-json', `.show database${name} schema as json`, false);
}

/** `.show database [D] schema as csl script`: the schema snapshot kept beside the data. */
export function showDatabaseSchemaScript(database?: string): KustoCommand {
  const name = database === undefined ? '' : ` ${quoteName(database, 'database')}`;
  return command('show-database-schema-script', `.show database${name} schema as csl script`, false);
}

/** `.alter table T policy ingestiontime true`: required for cursors and continuous export. */
export function enableIngestionTimePolicy(table: string): KustoCommand {
  return command(
    'enable-ingestion-time-policy',
    `.alter table ${quoteName(table, 'table')} policy ingestiontime true`,
    true,
  );
}

/** `.show table T policy ingestiontime`: whether `ingestion_time()` is recorded for new rows. */
export function showIngestionTimePolicy(table: string): KustoCommand {
  return command(
    'show-ingestion-time-policy',
    `.show table ${quoteName(table, 'table')} policy ingestiontime`,
    false,
  );
}

/** `.create-merge table T (cols)`: creates the table or adds missing columns. */
export function createMergeTable(table: string, columns: readonly ColumnSpec[]): KustoCommand {
  return command(
    'create-merge-table',
    `.create-merge table ${quoteName(table, 'table')} ${columnList(columns, 'columns')}`,
    true,
  );
}

/** `.create table T (cols)`. */
export function createTable(table: string, columns: readonly ColumnSpec[]): KustoCommand {
  return command(
    'create-table',
    `.create table ${quoteName(table, 'table')} ${columnList(columns, 'columns')}`,
    true,
  );
}

/** `.move extents all from table S to table T`: publishes a staged restore atomically. */
export function moveExtents(fromTable: string, toTable: string): KustoCommand {
  return command(
    'move-extents',
    `.move extents all from table ${quoteName(fromTable, 'fromTable')} to table ${quoteName(toTable, 'toTable')}`,
    true,
  );
}

/** `.drop table T [ifexists]`. */
export function dropTable(table: string, options: { readonly ifExists?: boolean } = {}): KustoCommand {
  const suffix = options.ifExists === true ? ' ifexists' : '';
  return command('drop-table', `.drop table ${quoteName(table, 'table')}${suffix}`, true);
}

/** `.rename table A to B`. */
export function renameTable(table: string, newName: string): KustoCommand {
  return command(
    'rename-table',
    `.rename table ${quoteName(table, 'table')} to ${quoteName(newName, 'newName')}`,
    true,
  );
}

/** `.clear table T data`. */
export function clearTableData(table: string): KustoCommand {
  return command('clear-table-data', `.clear table ${quoteName(table, 'table')} data`, true);
}

// ---------------------------------------------------------------------------------------------
// Deletes and purges

function predicateFor(table: string, predicate: SimplePredicate): string {
  if (!isSimplePredicate(predicate) || predicate.table !== table) {
    throw new ValidationError('predicate', `must come from parseSimplePredicate for table '${table}'`);
  }
  return predicate.text;
}

/** `.delete table T records <| T | where P` (soft delete). */
export function deleteRecords(table: string, predicate: SimplePredicate): KustoCommand {
  const name = quoteName(table, 'table');
  const condition = predicateFor(table, predicate);
  return command('delete-records', `.delete table ${name} records <| ${name} | where ${condition}`, true);
}

/** `.purge table T records in database D with (noregrets='true') <| where P`, served by the DM endpoint. */
export function purgeRecords(database: string, table: string, predicate: SimplePredicate): KustoCommand {
  const name = quoteName(table, 'table');
  const db = quoteName(database, 'database');
  const condition = predicateFor(table, predicate);
  return command(
    'purge-records',
    `.purge table ${name} records in database ${db} with (noregrets='true') <| where ${condition}`,
    true,
    'dm',
  );
}

/**
 * Query for scrubbing: how many rows an external table holds and how many of them match the predicate
 * (`external_table('X') | summarize Total = count(), Matching = countif(P)`). A row for which the
 * predicate is null is not counted as matching, as `.delete`/`.purge` do not remove it.
 */
export function countMatchingRows(externalTable: string, predicate: SimplePredicate): KustoCommand {
  const source = stringLiteral(validateName(externalTable, 'externalTable'));
  const condition = predicateFor(externalTable, predicate);
  return command(
    'count-matching-rows',
    `external_table(${source}) | summarize Total = count(), Matching = countif(${condition})`,
    false,
  );
}

/** What {@link exportRowsNotMatching} reads and where it writes. */
export interface ScrubExportSpec {
  /** External table to read (typically one backup artifact, selected with `namePrefix`). */
  readonly externalTable: string;
  /** Rows for which this is true are left out; it must be validated for `externalTable`. */
  readonly predicate: SimplePredicate;
  /** Folder the new parquet files are written to. */
  readonly destination: StorageTarget;
  /** Prefix of the new files' names. */
  readonly namePrefix: string;
}

/**
 * `.export to parquet (<folder>) with (namePrefix=..., distributed=false) <| external_table('X') |
 * where not(coalesce((P), false))`: copies every row except those the predicate selects. `coalesce`
 * keeps rows whose predicate is null, exactly the rows `.delete`/`.purge` keep. Answers
 * `Path, NumRecords[, SizeInBytes]` per file written (none when no row is left).
 */
export function exportRowsNotMatching(spec: ScrubExportSpec): KustoCommand {
  const source = stringLiteral(validateName(spec.externalTable, 'externalTable'));
  const condition = predicateFor(spec.externalTable, spec.predicate);
  const folder = obfuscatedLiteral(storageConnectionString(spec.destination, 'destination'), 'destination');
  const prefix = stringLiteral(fileNamePrefix(spec.namePrefix));
  return command(
    'export-rows-not-matching',
    `.export to parquet (${folder}) with (namePrefix=${prefix}, distributed=false)` +
      ` <| external_table(${source}) | where not(coalesce((${condition}), false))`,
    true,
  );
}

// ---------------------------------------------------------------------------------------------
// Monitoring

/**
 * `.export to csv (<folder>) with (namePrefix=..., includeHeaders='none', distributed=false) <| print
 * Probe = 'adx-backup storage probe'`: a one-row test write with the backup's own storage auth, which
 * tells whether the cluster can write to a backup container again (a continuous export disabled by
 * storage failures is re-enabled only then). Answers `Path, NumRecords[, SizeInBytes]`.
 */
export function probeStorageWrite(destination: StorageTarget, namePrefix: string): KustoCommand {
  const folder = obfuscatedLiteral(storageConnectionString(destination, 'destination'), 'destination');
  return command(
    'probe-storage-write',
    `.export to csv (${folder}) with (namePrefix=${stringLiteral(fileNamePrefix(namePrefix))},` +
      ` includeHeaders='none', distributed=false) <| print Probe = 'adx-backup storage probe'`,
    true,
  );
}

// ---------------------------------------------------------------------------------------------
// Ingestion

/** Filters for `.show ingestion failures`. */
export interface IngestionFailuresFilter {
  /** Only failures after this time. */
  readonly since?: Date;
  /** Only failures of this table. */
  readonly table?: string;
}

/** `.show ingestion failures`, optionally filtered by time and table. */
export function showIngestionFailures(filter: IngestionFailuresFilter = {}): KustoCommand {
  const conditions: string[] = [];
  if (filter.since !== undefined) conditions.push(`FailedOn > ${datetimeLiteral(filter.since, 'since')}`);
  if (filter.table !== undefined)
    conditions.push(`Table == ${stringLiteral(validateName(filter.table, 'table'))}`);
  const where = conditions.length === 0 ? '' : ` | where ${conditions.join(' and ')}`;
  return command('show-ingestion-failures', `.show ingestion failures${where}`, false);
}

/** `.get ingestion resources` (DM endpoint): queues and temporary storage for queued ingestion. */
export function getIngestionResources(): KustoCommand {
  return command('get-ingestion-resources', '.get ingestion resources', false, 'dm');
}

/** `.get kusto identity token` (DM endpoint): the authorization context every queued message carries. */
export function getKustoIdentityToken(): KustoCommand {
  return command('get-kusto-identity-token', '.get kusto identity token', false, 'dm');
}

/**
 * `.show table T extents where tags has 'x' | summarize Extents = count(), RowCount = sum(RowCount),
 * DeletedRowCount = sum(DeletedRowCount)`: how many extents carry a tag and their rows, in one row
 * (a restore finds what it already moved into a target this way; 100,000 extent rows are not sent).
 */
export function summarizeTaggedExtents(table: string, tag: string): KustoCommand {
  if (typeof tag !== 'string' || tag.length === 0 || tag.length > 1024 || /[\r\n]/.test(tag))
    throw new ValidationError('tag', 'must be 1-1024 characters on one line');
  return command(
    'summarize-tagged-extents',
    `.show table ${quoteName(table, 'table')} extents where tags has ${stringLiteral(tag)}` +
      ' | summarize Extents = count(), RowCount = sum(RowCount), DeletedRowCount = sum(DeletedRowCount)',
    false,
  );
}
