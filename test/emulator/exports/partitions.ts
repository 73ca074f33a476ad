/**
 * External-table partitions (reference §1.11): the partition value of a row, the folder path a
 * pathformat renders for it, and how `.show external table` renders partitions and pathformat.
 */
import {
  binValue,
  formatDatetimePattern,
  startOfDay,
  startOfMonth,
  startOfWeek,
  startOfYear,
} from '../kql/datetimes';
import type { PartitionSpec, PathFormatPart } from '../state';
import { formatTimespan, type Column, type KValue } from '../values';

/** Folder used for rows whose partition value is null or invalid (reference §1.6). */
export const DEFAULT_PARTITION = '__DEFAULT_PARTITION__';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/**
 * A partition's value for one row, or null (→ `__DEFAULT_PARTITION__`). `row` holds values in
 * `columns` order. Virtual partitions have no value on export.
 */
export function partitionValue(
  spec: PartitionSpec,
  columns: readonly Column[],
  row: readonly KValue[],
): KValue {
  if (spec.column === undefined) return null;
  const index = columns.findIndex((c) => c.name === spec.column);
  const value = index >= 0 ? (row[index] ?? null) : null;
  if (value === null) return null;
  switch (spec.fn) {
    case 'identity':
      if (spec.type === 'string')
        return typeof value === 'string' ? (value === '' ? null : value) : JSON.stringify(value);
      return value;
    case 'hash':
      return stableHash(typeof value === 'string' ? value : JSON.stringify(value), spec.arg ?? 1);
    default:
      return typeof value === 'number' && Number.isFinite(value) ? datetimeFloor(spec, value) : null;
  }
}

function datetimeFloor(spec: PartitionSpec, ms: number): number | null {
  switch (spec.fn) {
    case 'startofday':
      return startOfDay(ms);
    case 'startofweek':
      return startOfWeek(ms);
    case 'startofmonth':
      return startOfMonth(ms);
    case 'startofyear':
      return startOfYear(ms);
    case 'bin':
      return binValue(ms, spec.arg ?? DAY, true);
    default:
      return ms;
  }
}

/**
 * Non-negative hash modulo `mod` (FNV-1a 64 over the UTF-8 text). Deterministic, but not the values
 * Kusto's `hash()` produces: files land in `mod` buckets, not in Kusto's exact bucket numbers.
 */
export function stableHash(text: string, mod: number): number {
  let h = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= BigInt(byte);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return Number(h % BigInt(Math.max(1, Math.trunc(mod))));
}

/** The default datetime rendering of a partition when the pathformat does not give one (docs table). */
export function defaultDatetimePattern(spec: PartitionSpec): string {
  switch (spec.fn) {
    case 'startofyear':
      return 'yyyy';
    case 'startofmonth':
      return 'yyyy/MM';
    case 'bin': {
      const size = spec.arg ?? DAY;
      if (size >= DAY) return 'yyyy/MM/dd';
      if (size >= HOUR) return 'yyyy/MM/dd/HH';
      if (size >= MINUTE) return 'yyyy/MM/dd/HH/mm';
      return 'yyyy/MM/dd/HH/mm/ss';
    }
    default:
      return 'yyyy/MM/dd';
  }
}

/**
 * Formats a datetime with a `datetime_pattern` format: .NET custom format specifiers where quoted
 * text (`'year='`, `"x"`) and `\c` are literal, or the braced form where only `{...}` holds
 * specifiers (`year={yyyy}/month={MM}`).
 */
export function formatPathDatetime(ms: number, pattern: string): string {
  let out = '';
  if (pattern.includes('{')) {
    for (let i = 0; i < pattern.length;) {
      const open = pattern.indexOf('{', i);
      if (open < 0) {
        out += pattern.slice(i);
        break;
      }
      const close = pattern.indexOf('}', open);
      if (close < 0) {
        out += pattern.slice(i);
        break;
      }
      out += pattern.slice(i, open) + formatDatetimePattern(ms, pattern.slice(open + 1, close));
      i = close + 1;
    }
    return out;
  }
  let spec = '';
  const flush = (): void => {
    if (spec) out += formatDatetimePattern(ms, spec);
    spec = '';
  };
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === "'" || ch === '"') {
      flush();
      const end = pattern.indexOf(ch, i + 1);
      out += end < 0 ? pattern.slice(i + 1) : pattern.slice(i + 1, end);
      i = end < 0 ? pattern.length : end;
    } else if (ch === '\\' && i + 1 < pattern.length) {
      flush();
      out += pattern[i + 1]!;
      i += 1;
    } else {
      spec += ch;
    }
  }
  flush();
  return out;
}

/** Renders one partition value as a folder name part. */
function renderValue(spec: PartitionSpec, value: KValue, datetimePattern?: string): string {
  if (value === null) return DEFAULT_PARTITION;
  if (spec.type === 'datetime') {
    return typeof value === 'number'
      ? formatPathDatetime(value, datetimePattern ?? defaultDatetimePattern(spec))
      : DEFAULT_PARTITION;
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The folder path (relative to the connection string) a pathformat renders for partition values.
 * Without a pathformat, partitions are rendered in declaration order separated by `/` (docs default).
 */
export function renderPartitionPath(
  table: {
    readonly partitions: readonly PartitionSpec[];
    readonly pathFormat: readonly PathFormatPart[] | null;
  },
  values: ReadonlyMap<string, KValue>,
): string {
  const byName = new Map(table.partitions.map((p) => [p.name, p] as const));
  if (!table.pathFormat) {
    return table.partitions.map((p) => renderValue(p, values.get(p.name) ?? null)).join('/');
  }
  return table.pathFormat
    .map((part) => {
      if (part.kind === 'literal') return part.text;
      const spec = byName.get(part.partition);
      return spec
        ? renderValue(spec, values.get(spec.name) ?? null, part.datetimePattern)
        : DEFAULT_PARTITION;
    })
    .join('');
}

/** `PathFormat` as `.show external table` renders it, e.g. `"customer_id=" CustomerId "/dt=" datetime_pattern("yyyyMMdd",Date)`. */
export function renderPathFormatText(pathFormat: readonly PathFormatPart[] | null): string {
  if (!pathFormat) return '';
  return pathFormat
    .map((part) => {
      if (part.kind === 'literal') return JSON.stringify(part.text);
      if (part.datetimePattern !== undefined)
        return `datetime_pattern(${JSON.stringify(part.datetimePattern)},${part.partition})`;
      return part.partition;
    })
    .join(' ');
}

const FUNCTION_NAMES: Readonly<Record<string, string>> = {
  startofday: 'StartOfDay',
  startofweek: 'StartOfWeek',
  startofmonth: 'StartOfMonth',
  startofyear: 'StartOfYear',
  bin: 'Bin',
};

/**
 * `Partitions` as `.show external table` renders it (docs sample:
 * `{"Mod":10,"Name":"CustomerId","ColumnName":"CustomerName","Ordinal":0}`,
 * `{"Function":"StartOfDay","Name":"Date","ColumnName":"Timestamp","Ordinal":1}`). The keys for `bin`
 * (`BinValue`) and for virtual columns (`ColumnType`) are unconfirmed.
 */
export function partitionsJson(partitions: readonly PartitionSpec[]): Record<string, unknown>[] {
  return partitions.map((p, ordinal) => {
    if (p.column === undefined) return { Name: p.name, ColumnType: p.type, Ordinal: ordinal };
    if (p.fn === 'hash') return { Mod: p.arg ?? 1, Name: p.name, ColumnName: p.column, Ordinal: ordinal };
    if (p.fn === 'identity') return { Name: p.name, ColumnName: p.column, Ordinal: ordinal };
    const out: Record<string, unknown> = {
      Function: FUNCTION_NAMES[p.fn],
      Name: p.name,
      ColumnName: p.column,
    };
    if (p.fn === 'bin') out.BinValue = formatTimespan(p.arg ?? DAY);
    out.Ordinal = ordinal;
    return out;
  });
}
