/**
 * Textual renderings of schemas: table schema JSON and cslschema (reference §1.9), the database
 * schema JSON (§1.12) and the database CSL script (one statement per row: tables, external tables,
 * continuous exports).
 */
import type {
  ContinuousExport,
  Database,
  ExternalTable,
  PartitionSpec,
  PathFormatPart,
  Table,
} from '../state';
import { formatTimespan, SYSTEM_TYPE, type Column } from '../values';
import { valueText } from './nodes';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A name as Kusto prints it: bare when it is a plain identifier, else `['...']`. */
export function quoteName(name: string): string {
  if (IDENTIFIER.test(name)) return name;
  return `['${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}

/** A string literal in double quotes with Kusto escapes. */
export function quoteString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
}

const orderedColumns = (columns: readonly Column[]): { Name: string; Type: string; CslType: string }[] =>
  columns.map((c) => ({ Name: c.name, Type: SYSTEM_TYPE[c.type], CslType: c.type }));

/** `.show table T schema as json` Schema value: `{"Name":..,"OrderedColumns":[{"Name","Type","CslType"}]}`. */
export function tableSchemaJson(table: Table): string {
  return JSON.stringify({ Name: table.name, OrderedColumns: orderedColumns(table.columns) });
}

/** cslschema: `Col:type` pairs joined by commas, no spaces. */
export function cslSchema(columns: readonly Column[]): string {
  return columns.map((c) => `${quoteName(c.name)}:${c.type}`).join(',');
}

/** Which entity kinds `.show database schema as json with (...)` includes. */
export interface SchemaJsonOptions {
  readonly tables: boolean;
  readonly externalTables: boolean;
}

/** `.show database schema as json` DatabaseSchema value (reference §1.12). */
export function databaseSchemaJson(
  db: Database,
  version: { major: number; minor: number },
  opts: SchemaJsonOptions,
): string {
  const tables: Record<string, unknown> = {};
  if (opts.tables) {
    for (const t of db.tables.values()) {
      tables[t.name] = { Name: t.name, DefaultColumn: null, OrderedColumns: orderedColumns(t.columns) };
    }
  }
  const externalTables: Record<string, unknown> = {};
  if (opts.externalTables) {
    for (const t of db.externalTables.values()) {
      externalTables[t.name] = {
        Name: t.name,
        Folder: t.folder,
        DocString: t.docString,
        OrderedColumns: orderedColumns(t.columns),
      };
    }
  }
  return JSON.stringify({
    Databases: {
      [db.name]: {
        Name: db.name,
        Tables: tables,
        ExternalTables: externalTables,
        PrettyName: null,
        MajorVersion: version.major,
        MinorVersion: version.minor,
        Functions: {},
      },
    },
  });
}

/** Column list as written in create commands: `(a:long, b:string)`. */
function columnDefinitions(columns: readonly Column[]): string {
  return `(${columns.map((c) => `${quoteName(c.name)}:${c.type}`).join(', ')})`;
}

/** `with (...)` clause from name/value pairs; empty values are left out. */
function withClause(props: readonly [string, unknown][]): string {
  const parts = props
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${k} = ${typeof v === 'string' ? quoteString(v) : valueText(v)}`);
  return parts.length > 0 ? ` with (${parts.join(', ')})` : '';
}

/** `.create-merge table T (cols) [with (folder = "..", docstring = "..")]`. */
export function createMergeTableScript(table: Table): string {
  return `.create-merge table ${quoteName(table.name)} ${columnDefinitions(table.columns)}${withClause([
    ['folder', table.folder],
    ['docstring', table.docString],
  ])}`;
}

/** Timespan as a Kusto literal (`1d`, `6h`, `30m`, `10s`, `250ms`). */
function timespanLiteral(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'm'],
    [1000, 's'],
  ];
  for (const [size, unit] of units) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

function partitionScript(p: PartitionSpec): string {
  const head = `${quoteName(p.name)}:${p.type}`;
  if (p.column === undefined) return head;
  const column = quoteName(p.column);
  switch (p.fn) {
    case 'identity':
      return `${head} = ${column}`;
    case 'bin':
      return `${head} = bin(${column}, ${timespanLiteral(p.arg ?? 86_400_000)})`;
    case 'hash':
      return `${head} = hash(${column}, ${p.arg ?? 1})`;
    default:
      return `${head} = ${p.fn}(${column})`;
  }
}

function pathFormatScript(parts: readonly PathFormatPart[]): string {
  return parts
    .map((p) =>
      p.kind === 'literal'
        ? quoteString(p.text)
        : p.datetimePattern !== undefined
          ? `datetime_pattern(${quoteString(p.datetimePattern)}, ${quoteName(p.partition)})`
          : quoteName(p.partition),
    )
    .join(' ');
}

/**
 * Hides secrets in a storage connection string the way Kusto shows them (`*******`): SAS query
 * strings and account keys. `;impersonate` and `;managed_identity=...` carry none.
 */
export function maskConnectionString(value: string): string {
  const q = value.indexOf('?');
  if (q >= 0) return `${value.slice(0, q)}?*******`;
  const semi = value.indexOf(';');
  if (semi < 0) return value;
  const auth = value.slice(semi + 1).toLowerCase();
  if (auth === 'impersonate' || auth.startsWith('managed_identity=')) return value;
  return `${value.slice(0, semi)};*******`;
}

/** Multi-line `.create-or-alter external table ...` statement (the shape schema tools parse). */
export function externalTableScript(t: ExternalTable): string {
  const lines = [
    `.create-or-alter external table ${quoteName(t.name)} ${columnDefinitions(t.columns)}`,
    `kind = ${t.kind}`,
  ];
  if (t.partitions.length > 0) lines.push(`partition by (${t.partitions.map(partitionScript).join(', ')})`);
  if (t.pathFormat && t.pathFormat.length > 0) lines.push(`pathformat = (${pathFormatScript(t.pathFormat)})`);
  lines.push(
    `dataformat = ${t.dataFormat}`,
    '(',
    t.connectionStrings.map((c) => `h@${quoteString(maskConnectionString(c))}`).join(',\n'),
    ')',
  );
  const props: [string, unknown][] = [
    ['folder', t.folder],
    ['docString', t.docString],
    ...Object.entries(t.properties).filter(([k]) => !['folder', 'docstring'].includes(k.toLowerCase())),
  ];
  const clause = withClause(props);
  if (clause) lines.push(clause.trim());
  return lines.join('\n');
}

function property(props: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(props).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : props[key];
}

/**
 * `.create-or-alter continuous-export N to table X with (forcedLatency=time(..), intervalBetweenRuns=time(..),
 * sizeLimit=.., distributed=.., managedIdentity='..') <| Q` (reference §1.1 note).
 */
export function continuousExportScript(e: ContinuousExport): string {
  const parts: string[] = [];
  if (e.forcedLatency !== null) parts.push(`forcedLatency=time(${formatTimespan(e.forcedLatency)})`);
  parts.push(`intervalBetweenRuns=time(${formatTimespan(e.intervalBetweenRuns)})`);
  parts.push(`sizeLimit=${valueText(property(e.properties, 'sizeLimit') ?? 104857600)}`);
  parts.push(`distributed=${valueText(property(e.properties, 'distributed') ?? true)}`);
  const identity = property(e.properties, 'managedIdentity');
  if (identity !== undefined && identity !== null) parts.push(`managedIdentity='${valueText(identity)}'`);
  return `.create-or-alter continuous-export ${quoteName(e.name)} to table ${quoteName(e.externalTableName)} with (${parts.join(', ')}) <| ${e.query}`;
}

/** Rows of `.show database schema as csl script`: tables, then external tables, then continuous exports. */
export function databaseScript(db: Database): string[] {
  return [
    ...[...db.tables.values()].map(createMergeTableScript),
    ...[...db.externalTables.values()].map(externalTableScript),
    ...[...db.continuousExports.values()].map(continuousExportScript),
  ];
}
