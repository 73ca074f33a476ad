/**
 * `.export [async] to table X [with (...)] <| query` (reference §1.6) and the storage form
 * `.export [async] [compressed] to csv|tsv|json|parquet (connection strings) [with (...)] <| query`.
 * Sync forms answer with the artifacts; async forms answer with an OperationId and run in the
 * background (see operations.ts), both limited by the export capacity.
 */
import { childrenOf } from '../../../lib/kusto/language';
import { isName, queryInput } from '../commands/nodes';
import type { CommandInvocation, CommandRegistry, CommandResult } from '../commands/registry';
import type { EmulatorCore } from '../core';
import { nameOf } from '../kql/literals';
import { kindOf } from '../kql/syntax';
import { KustoError } from '../kustoError';
import { EXPORT_TO_STORAGE, EXPORT_TO_TABLE, OPERATION_ID } from '../schemas';
import type { ExternalTable } from '../state';
import { requireDatabase } from '../tables';
import type { KValue } from '../values';
import { activityOf, hasExportCapacity } from './activity';
import { tableProperty } from './externalTables';
import { exportFormat, headerMode } from './formats';
import {
  EXPORT_TO_STORAGE_OPERATION,
  EXPORT_TO_TABLE_OPERATION,
  exportThrottled,
  startOperation,
} from './operations';
import { alignRows, externalTableNotFound, runQuery, schemaMismatch, schemaMismatchError } from './query';
import {
  clause,
  numberProperty,
  propertyEntries,
  propertyMap,
  stringLiterals,
  tokenText,
  valueText,
} from './syntax';
import { ExportWriteError, writeArtifacts, type ExportDestination, type WriteOptions } from './writer';

/** Where an external table's exports go. */
export function destinationOf(table: ExternalTable): ExportDestination {
  const str = (name: string): string | undefined => {
    const v = tableProperty(table, name);
    return v === undefined || v === null ? undefined : valueText(v);
  };
  const compressed = tableProperty(table, 'compressed');
  return {
    connectionStrings: table.connectionStrings,
    format: exportFormat(table.dataFormat),
    columns: table.columns,
    partitions: table.partitions,
    pathFormat: table.pathFormat,
    compressed: compressed === true || valueText(compressed).toLowerCase() === 'true',
    includeHeaders: headerMode(str('includeHeaders')),
    namePrefix: str('namePrefix') ?? '',
    fileExtension: str('fileExtension'),
  };
}

/** Write options from `with (...)` properties (`sizeLimit`, `parquetRowGroupSize`). */
export function writeOptionsOf(props: ReadonlyMap<string, KValue>): WriteOptions {
  return {
    sizeLimit: numberProperty(props, 'sizeLimit'),
    parquetRowGroupSize: numberProperty(props, 'parquetRowGroupSize'),
  };
}

/** Runs a write, turning a failed write into its Kusto error. */
async function write(core: EmulatorCore, dest: ExportDestination, rows: KValue[][], options: WriteOptions) {
  try {
    return await writeArtifacts(core, dest, rows, options);
  } catch (error) {
    throw error instanceof ExportWriteError ? error.kustoError : error;
  }
}

/** Exports a query's result to an external table; the result rows of the synchronous command. */
export async function exportToTable(
  core: EmulatorCore,
  database: string,
  tableName: string,
  queryText: string,
  props: ReadonlyMap<string, KValue>,
): Promise<CommandResult> {
  const db = requireDatabase(core, database);
  const table = db.externalTables.get(tableName);
  if (!table) throw externalTableNotFound(tableName);
  const relation = await runQuery(queryText, core.queryEnv(database));
  const why = schemaMismatch(relation.columns, table);
  if (why) throw schemaMismatchError(table, relation.columns, why);
  const artifacts = await write(
    core,
    destinationOf(table),
    alignRows(relation, table.columns),
    writeOptionsOf(props),
  );
  return {
    columns: EXPORT_TO_TABLE,
    rows: artifacts.map((a) => [table.name, a.path, a.numRecords, a.sizeInBytes]),
  };
}

/** Runs a synchronous export inside the capacity: 429 when none is free. */
async function withSyncCapacity(
  core: EmulatorCore,
  commandType: string,
  work: () => Promise<CommandResult>,
): Promise<CommandResult> {
  if (!hasExportCapacity(core.state)) throw exportThrottled(commandType, core.state.capacity.exportTotal);
  const activity = activityOf(core.state);
  activity.sync += 1;
  try {
    return await work();
  } finally {
    activity.sync -= 1;
  }
}

function queryOf(inv: CommandInvocation): string {
  const input = queryInput(inv.body, inv.text);
  if (!input || input.text.trim() === '')
    throw KustoError.badRequest("Syntax error: expected a query after '<|'.");
  return input.text.trim();
}

function propsOf(inv: CommandInvocation): ReadonlyMap<string, KValue> {
  return propertyMap(propertyEntries(clause(inv.body, 'with')));
}

function exportTableCommand(inv: CommandInvocation, async: boolean): CommandResult | Promise<CommandResult> {
  requireDatabase(inv.core, inv.database);
  const nameNode = childrenOf(inv.body).find(isName);
  if (!nameNode) throw KustoError.badRequest('Syntax error: expected an external table name.');
  const tableName = nameOf(nameNode);
  const query = queryOf(inv);
  const props = propsOf(inv);
  const work = (): Promise<CommandResult> => exportToTable(inv.core, inv.database, tableName, query, props);
  if (!async) return withSyncCapacity(inv.core, EXPORT_TO_TABLE_OPERATION, work);
  const id = startOperation(inv.core, inv.database, EXPORT_TO_TABLE_OPERATION, work);
  return { columns: OPERATION_ID, rows: [[id]] };
}

/** `.export [async] [compressed] to <format> (...)`: everything is read from the body's tokens and nodes. */
function exportStorageCommand(inv: CommandInvocation): CommandResult | Promise<CommandResult> {
  const children = childrenOf(inv.body);
  const words = children.map((c) => tokenText(c));
  const toAt = words.indexOf('to');
  const formatWord = words[toAt + 1];
  if (toAt < 0 || !formatWord)
    throw KustoError.badRequest('Syntax error: expected `.export ... to <format> (...)`.');
  if (formatWord === 'sql' || formatWord === 'table') {
    throw KustoError.badRequest(`'.export to ${formatWord}' in this form is not supported by the emulator.`);
  }
  const format = exportFormat(formatWord);
  const async = words.slice(0, toAt).includes('async');
  const compressed = words.slice(0, toAt).includes('compressed');
  const list = children.slice(toAt + 2).find((c) => !c.IsToken && kindOf(c) === 'List');
  const connectionStrings = list ? stringLiterals(list) : [];
  if (connectionStrings.length === 0)
    throw KustoError.badRequest('An export to storage needs at least one storage connection string.');
  const query = queryOf(inv);
  const props = propsOf(inv);
  const prefix = props.get('nameprefix');
  const extension = props.get('fileextension');
  const core = inv.core;
  const database = inv.database;
  requireDatabase(core, database);
  const work = async (): Promise<CommandResult> => {
    const relation = await runQuery(query, core.queryEnv(database));
    const dest: ExportDestination = {
      connectionStrings,
      format,
      columns: relation.columns,
      partitions: [],
      pathFormat: null,
      compressed,
      includeHeaders: headerMode(props.get('includeheaders') as string | undefined),
      namePrefix: typeof prefix === 'string' && prefix !== '' ? `${prefix}_` : '',
      fileExtension: typeof extension === 'string' && extension !== '' ? extension : undefined,
    };
    const rows = relation.rows.map((r) => r.values);
    const artifacts = await write(core, dest, rows, writeOptionsOf(props));
    return { columns: EXPORT_TO_STORAGE, rows: artifacts.map((a) => [a.path, a.numRecords, a.sizeInBytes]) };
  };
  if (!async) return withSyncCapacity(core, EXPORT_TO_STORAGE_OPERATION, work);
  const id = startOperation(core, database, EXPORT_TO_STORAGE_OPERATION, work);
  return { columns: OPERATION_ID, rows: [[id]] };
}

/** Registers the `.export` commands. */
export function registerExportToCommands(registry: CommandRegistry): void {
  registry.add(
    {
      pattern: ['export', 'to', 'table', '$name'],
      mutating: true,
      run: (inv) => exportTableCommand(inv, false),
    },
    {
      pattern: ['export', 'async', 'to', 'table', '$name'],
      mutating: true,
      run: (inv) => exportTableCommand(inv, true),
    },
    // Storage forms differ only in keywords and the format word; one handler reads them all.
    { pattern: ['export'], mutating: true, run: exportStorageCommand },
  );
}
