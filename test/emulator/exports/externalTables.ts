/**
 * Storage external tables (reference §1.11): `.create | .alter | .create-or-alter external table`,
 * `.drop external table`, `.show external tables`, `.show external table X [schema as json|csl |
 * cslschema]`. Definitions are read from the syntax tree; results follow `EXTERNAL_TABLE` and
 * `EXTERNAL_TABLE_FULL`, with connection-string secrets masked.
 */
import { childrenOf, type SyntaxElement } from '../../../lib/kusto/language';
import type { CommandInvocation, CommandRegistry, CommandResult } from '../commands/registry';
import { childNodes, columnList, isName } from '../commands/nodes';
import { literalValue, nameOf } from '../kql/literals';
import { kindOf, listItems, textOf } from '../kql/syntax';
import { KustoError } from '../kustoError';
import { EXTERNAL_TABLE, EXTERNAL_TABLE_FULL, TABLE_SCHEMA } from '../schemas';
import type { Database, ExternalTable, PartitionSpec, PathFormatPart } from '../state';
import { requireDatabase, touchSchema } from '../tables';
import { SYSTEM_TYPE, parseTimespan, type Column, type KValue } from '../values';
import { maskConnectionString, parseConnectionString } from './connectionStrings';
import { exportFormat, headerMode } from './formats';
import { partitionsJson, renderPathFormatText } from './partitions';
import {
  clause,
  leadingToken,
  leaves,
  propertyEntries,
  propertyMap,
  stringLiterals,
  tokenText,
  valueText,
} from './syntax';

const DATETIME_FUNCTIONS = new Set(['startofday', 'startofweek', 'startofmonth', 'startofyear', 'bin']);

/** Reads one `P:type [= expr]` partition declaration from its leaves. */
function parsePartition(item: SyntaxElement, columns: readonly Column[]): PartitionSpec {
  const seq = leaves(item);
  const bad = (why: string): KustoError =>
    KustoError.badRequest(`Invalid partition definition '${textOf(item)}': ${why}.`);
  const nameLeaf = seq[0];
  const typeText = tokenText(seq[2]);
  if (!nameLeaf || !isName(nameLeaf) || tokenText(seq[1]) !== ':' || !typeText)
    throw bad('expected Name:type');
  const name = nameOf(nameLeaf);
  if (typeText !== 'string' && typeText !== 'datetime' && typeText !== 'long')
    throw bad(`partition type must be string, datetime or long`);
  const type = typeText;
  if (seq.length === 3) {
    if (type === 'long') throw bad('a long partition must be hash(Column, N)');
    return { name, type, fn: 'identity' }; // virtual column
  }
  if (tokenText(seq[3]) !== '=') throw bad("expected '='");
  const rest = seq.slice(4);
  const columnOf = (leaf: SyntaxElement | undefined): Column => {
    if (!leaf || !isName(leaf)) throw bad('expected a column name');
    const column = columns.find((c) => c.name === nameOf(leaf));
    if (!column) throw bad(`column '${nameOf(leaf)}' is not in the table schema`);
    return column;
  };
  if (rest.length === 1) {
    const column = columnOf(rest[0]);
    if (type !== 'string' || column.type !== 'string')
      throw bad('a partition on a column as is must be string = string column');
    return { name, type, column: column.name, fn: 'identity' };
  }
  const fn = tokenText(rest[0]);
  if (tokenText(rest[1]) !== '(' || tokenText(rest[rest.length - 1]) !== ')')
    throw bad('expected a function call');
  const column = columnOf(rest[2]);
  const argLeaf = tokenText(rest[3]) === ',' ? rest[4] : undefined;
  const arg = argLeaf ? literalValue(argLeaf).value : undefined;
  if (fn === 'hash') {
    if (type !== 'long' || typeof arg !== 'number' || arg < 1)
      throw bad('expected P:long = hash(Column, N) with N > 0');
    return { name, type, column: column.name, fn: 'hash', arg };
  }
  if (fn && DATETIME_FUNCTIONS.has(fn)) {
    if (type !== 'datetime' || column.type !== 'datetime')
      throw bad(`${fn}() partitions are datetime partitions of a datetime column`);
    if (fn === 'bin') {
      const size = typeof arg === 'number' ? arg : typeof arg === 'string' ? parseTimespan(arg) : undefined;
      if (size === undefined || !(size > 0)) throw bad('bin() needs a positive timespan');
      return { name, type, column: column.name, fn: 'bin', arg: size };
    }
    return { name, type, column: column.name, fn: fn as PartitionSpec['fn'] };
  }
  throw bad(`unsupported partition function '${fn ?? textOf(rest[0]!)}'`);
}

/** Reads a pathformat clause: quoted separators, partition references and `datetime_pattern(fmt, P)`. */
function parsePathFormat(node: SyntaxElement, partitions: readonly PartitionSpec[]): PathFormatPart[] {
  const parts: PathFormatPart[] = [];
  const known = (name: string): string => {
    if (!partitions.some((p) => p.name === name))
      throw KustoError.badRequest(`Path format refers to unknown partition '${name}'.`);
    return name;
  };
  const visit = (n: SyntaxElement): void => {
    if (n.IsToken) return; // pathformat, '=', parentheses
    if (leadingToken(n) === 'datetime_pattern') {
      const seq = leaves(n);
      const patternLeaf = seq.find((l) => !l.IsToken && !isName(l));
      const nameLeaf = seq.find((l) => isName(l));
      const pattern = patternLeaf ? literalValue(patternLeaf).value : null;
      if (typeof pattern !== 'string' || !nameLeaf)
        throw KustoError.badRequest(`Invalid datetime_pattern in '${textOf(n)}'.`);
      parts.push({ kind: 'partition', partition: known(nameOf(nameLeaf)), datetimePattern: pattern });
      return;
    }
    if (isName(n)) {
      parts.push({ kind: 'partition', partition: known(nameOf(n)) });
      return;
    }
    if (kindOf(n).endsWith('LiteralExpression')) {
      const value = literalValue(n).value;
      parts.push({ kind: 'literal', text: valueText(value) });
      return;
    }
    for (const child of childrenOf(n)) visit(child);
  };
  for (const child of childrenOf(node)) visit(child);
  return parts;
}

/** The token that follows `keyword =` among a node's children. */
function valueAfter(children: readonly SyntaxElement[], keyword: string): string | undefined {
  const at = children.findIndex((c) => tokenText(c) === keyword);
  if (at < 0 || tokenText(children[at + 1]) !== '=') return undefined;
  const value = children[at + 2];
  return value ? (value.IsToken ? String(value.Text) : textOf(value)) : undefined;
}

/**
 * Builds an external table from the definition node (`external table X (...) kind=... ... (cs)
 * [with (...)]`). Validates kind, format, partitions, pathformat and connection strings.
 */
export function parseExternalTableDefinition(def: SyntaxElement): ExternalTable {
  const children = childrenOf(def);
  const nameNode = children.find(isName);
  if (!nameNode) throw KustoError.badRequest('Syntax error: expected an external table name.');
  const name = nameOf(nameNode);
  const columns = columnList(def);
  const kind = (valueAfter(children, 'kind') ?? '').toLowerCase();
  if (kind !== 'storage' && kind !== 'blob' && kind !== 'adl') {
    throw KustoError.badRequest(
      `External table kind '${kind}' is not supported by the emulator (storage, blob, adl).`,
    );
  }
  const dataFormatText = valueAfter(children, 'dataformat');
  if (!dataFormatText) throw KustoError.badRequest('Syntax error: expected dataformat=<format>.');
  const dataFormat = exportFormat(dataFormatText);
  // The connection strings are the parenthesised list after `dataformat = <format>`.
  const formatAt = children.findIndex((c) => tokenText(c) === 'dataformat');
  const csList = children.slice(formatAt + 3).find((c) => !c.IsToken && kindOf(c) === 'List');
  const connectionStrings = csList ? stringLiterals(csList) : [];
  if (connectionStrings.length === 0)
    throw KustoError.badRequest('An external table needs at least one storage connection string.');
  for (const cs of connectionStrings) parseConnectionString(cs);
  let partitions: PartitionSpec[] = [];
  let pathFormat: PathFormatPart[] | null = null;
  const partitionClause = clause(def, 'partition');
  if (partitionClause) {
    const list = childNodes(partitionClause, 'List')[0];
    partitions = listItems(list).map((item) => parsePartition(item, columns));
    const names = new Set<string>();
    for (const p of partitions) {
      if (names.has(p.name)) throw KustoError.badRequest(`Partition '${p.name}' is defined more than once.`);
      names.add(p.name);
    }
    const pathClause = clause(partitionClause, 'pathformat');
    if (pathClause) pathFormat = parsePathFormat(pathClause, partitions);
  }
  const entries = propertyEntries(clause(def, 'with'));
  const props = propertyMap(entries);
  headerMode(props.get('includeheaders') as string | undefined); // validates the value
  const properties: Record<string, unknown> = {};
  for (const e of entries) properties[e.name] = e.value;
  return {
    name,
    columns,
    kind,
    dataFormat,
    partitions,
    pathFormat,
    connectionStrings,
    properties,
    folder: typeof props.get('folder') === 'string' ? (props.get('folder') as string) : '',
    docString: typeof props.get('docstring') === 'string' ? (props.get('docstring') as string) : '',
  };
}

/** A property of a table by case-insensitive name. */
export function tableProperty(table: ExternalTable, name: string): unknown {
  const key = Object.keys(table.properties).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : table.properties[key];
}

const FORMAT_NAMES: Readonly<Record<string, string>> = {
  parquet: 'Parquet',
  csv: 'Csv',
  tsv: 'Tsv',
  json: 'Json',
};
const HEADER_NAMES: Readonly<Record<string, string>> = { none: 'None', all: 'All', firstfile: 'FirstFile' };

/** `Properties` JSON of `.show external table` (docs sample key order). */
export function propertiesJson(table: ExternalTable): string {
  const str = (name: string): string | null => {
    const v = tableProperty(table, name);
    return v === undefined || v === null ? null : valueText(v);
  };
  const compressed = tableProperty(table, 'compressed');
  return JSON.stringify({
    Format: FORMAT_NAMES[table.dataFormat] ?? table.dataFormat,
    Compressed: compressed === true || valueText(compressed).toLowerCase() === 'true',
    CompressionType: str('compressionType'),
    FileExtension: str('fileExtension'),
    IncludeHeaders: HEADER_NAMES[headerMode(str('includeHeaders') ?? undefined)],
    Encoding: str('encoding'),
    NamePrefix: str('namePrefix'),
  });
}

/** `Schema` of the full result: `[{"Name":"x","CslType":"long"}, ...]`. */
function schemaJson(table: ExternalTable): string {
  return JSON.stringify(table.columns.map((c) => ({ Name: c.name, CslType: c.type })));
}

/** One `EXTERNAL_TABLE` row. */
export function externalTableRow(table: ExternalTable): KValue[] {
  return [
    table.name,
    'Blob',
    table.folder,
    table.docString,
    propertiesJson(table),
    table.connectionStrings.map(maskConnectionString),
    partitionsJson(table.partitions),
    renderPathFormatText(table.pathFormat),
  ];
}

/** One `EXTERNAL_TABLE_FULL` row. */
export function externalTableFullRow(table: ExternalTable): KValue[] {
  return [table.name, 'Blob', table.folder, table.docString, schemaJson(table), propertiesJson(table)];
}

/** The external table, or a 400 naming it. */
export function requireExternalTable(db: Database, name: string): ExternalTable {
  const table = db.externalTables.get(name);
  if (!table) throw KustoError.notFound('External table', name);
  return table;
}

/** The definition node under `.create|.alter|.create-or-alter` (`external table ...`). */
function definitionNode(inv: CommandInvocation): SyntaxElement {
  const def = childNodes(inv.body).find((c) => leadingToken(c) === 'external');
  if (!def || tokenText(def.GetChild(1) ?? undefined) !== 'table') {
    throw KustoError.badRequest(`Command '${inv.shape.join(' ')}' is not supported by the emulator.`);
  }
  return def;
}

function defineExternalTable(
  inv: CommandInvocation,
  mode: 'create' | 'alter' | 'create-or-alter',
): CommandResult {
  const db = requireDatabase(inv.core, inv.database);
  const table = parseExternalTableDefinition(definitionNode(inv));
  const exists = db.externalTables.has(table.name);
  if (mode === 'create' && exists) throw KustoError.alreadyExists('External table', table.name);
  if (mode === 'alter' && !exists) throw KustoError.notFound('External table', table.name);
  if (db.tables.has(table.name)) {
    throw KustoError.badRequest(`An external table can't have the same name as a table: '${table.name}'.`);
  }
  if (tableProperty(table, 'dryRun') !== true) {
    db.externalTables.set(table.name, table);
    touchSchema(db);
  }
  return mode === 'create'
    ? { columns: EXTERNAL_TABLE, rows: [externalTableRow(table)] }
    : { columns: EXTERNAL_TABLE_FULL, rows: [externalTableFullRow(table)] };
}

/** The single name in a `... external table X ...` command. */
function tableName(inv: CommandInvocation): string {
  const node = childrenOf(inv.body).find(isName);
  if (!node) throw KustoError.badRequest('Syntax error: expected an external table name.');
  return nameOf(node);
}

/** Whether the command was followed by `ifexists` (the grammar leaves it as skipped tokens). */
function hasIfExists(inv: CommandInvocation): boolean {
  const holder = inv.command.Parent;
  if (!holder) return false;
  return childrenOf(holder)
    .filter((c) => kindOf(c) === 'SkippedTokens')
    .some((c) => leaves(c).some((l) => tokenText(l) === 'ifexists'));
}

function schemaAs(table: ExternalTable, database: string, form: 'json' | 'csl'): CommandResult {
  const schema =
    form === 'json'
      ? JSON.stringify({
          Name: table.name,
          Folder: table.folder,
          DocString: table.docString,
          OrderedColumns: table.columns.map((c) => ({
            Name: c.name,
            Type: SYSTEM_TYPE[c.type],
            CslType: c.type,
            DocString: '',
          })),
        })
      : table.columns.map((c) => `${c.name}:${c.type}`).join(',');
  return { columns: TABLE_SCHEMA, rows: [[table.name, schema, database, table.folder, table.docString]] };
}

/** Registers the external-table commands. */
export function registerExternalTableCommands(registry: CommandRegistry): void {
  registry.add(
    { pattern: ['create', '$node'], mutating: true, run: (inv) => defineExternalTable(inv, 'create') },
    { pattern: ['alter', '$node'], mutating: true, run: (inv) => defineExternalTable(inv, 'alter') },
    {
      pattern: ['create-or-alter', '$node'],
      mutating: true,
      run: (inv) => defineExternalTable(inv, 'create-or-alter'),
    },
    {
      pattern: ['drop', 'external', 'table', '$name'],
      mutating: true,
      run(inv) {
        const db = requireDatabase(inv.core, inv.database);
        const name = tableName(inv);
        const table = db.externalTables.get(name);
        if (!table) {
          if (hasIfExists(inv)) return { columns: EXTERNAL_TABLE_FULL, rows: [] };
          throw KustoError.notFound('External table', name);
        }
        db.externalTables.delete(name);
        touchSchema(db);
        return { columns: EXTERNAL_TABLE_FULL, rows: [externalTableFullRow(table)] };
      },
    },
    {
      pattern: ['show', 'external', 'tables'],
      mutating: false,
      run(inv) {
        const db = requireDatabase(inv.core, inv.database);
        return { columns: EXTERNAL_TABLE, rows: [...db.externalTables.values()].map(externalTableRow) };
      },
    },
    {
      pattern: ['show', 'external', 'table', '$name'],
      mutating: false,
      run(inv) {
        const db = requireDatabase(inv.core, inv.database);
        return {
          columns: EXTERNAL_TABLE,
          rows: [externalTableRow(requireExternalTable(db, tableName(inv)))],
        };
      },
    },
    {
      pattern: ['show', 'external', 'table', '$name', 'schema', 'as'],
      mutating: false,
      run(inv) {
        const db = requireDatabase(inv.core, inv.database);
        const form = inv.shape[6];
        if (form !== 'json' && form !== 'csl')
          throw KustoError.badRequest(`Unsupported schema format '${form ?? ''}'.`);
        return schemaAs(requireExternalTable(db, tableName(inv)), inv.database, form);
      },
    },
    {
      pattern: ['show', 'external', 'table', '$name', 'cslschema'],
      mutating: false,
      run(inv) {
        const db = requireDatabase(inv.core, inv.database);
        return schemaAs(requireExternalTable(db, tableName(inv)), inv.database, 'csl');
      },
    },
  );
}
