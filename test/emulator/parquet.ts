/**
 * Parquet encoding of Kusto rows, for export artifacts, external tables and parquet ingestion.
 *
 * Type mapping (every column OPTIONAL, codec SNAPPY):
 *
 * | Kusto    | parquet physical / logical                         |
 * |----------|----------------------------------------------------|
 * | bool     | BOOLEAN                                            |
 * | int      | INT32                                              |
 * | long     | INT64                                              |
 * | real     | DOUBLE                                             |
 * | decimal  | DOUBLE (the emulator keeps decimals as numbers)    |
 * | string   | BYTE_ARRAY UTF8 (STRING)                           |
 * | guid     | BYTE_ARRAY UTF8 (STRING), lower-case text          |
 * | datetime | INT64 TIMESTAMP_MICROS, isAdjustedToUTC            |
 * | timespan | INT64 ticks (100 ns), no logical type              |
 * | dynamic  | BYTE_ARRAY UTF8 holding the JSON text              |
 *
 * Timespan, guid, decimal and dynamic have no exact parquet counterpart, so every written file also
 * carries the Kusto schema in its key-value metadata (`kusto.schema`, cslschema form
 * `a:int,b:timespan`); a reader that finds it restores those types exactly. Files written by other
 * tools are mapped from their parquet physical/logical types (see `kustoTypeOf`).
 */
import { parquetMetadata, parquetRead } from 'hyparquet';
import type { FileMetaData, SchemaElement } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { coerce, parseType } from './values';
import type { Column, KType, KValue } from './values';

/** Key-value metadata key holding the Kusto schema of a file written by `writeParquet`. */
export const KUSTO_SCHEMA_KEY = 'kusto.schema';

/** Kusto's default `parquetRowGroupSize` (reference §1.4). */
export const DEFAULT_ROW_GROUP_SIZE = 100_000;

/** Ticks (100 ns) per millisecond: timespans are stored as ticks. */
const TICKS_PER_MS = 10_000;

/** Options of `writeParquet`. */
export interface ParquetWriteOptions {
  /** Rows per row group (default 100,000, as Kusto's `parquetRowGroupSize`). */
  readonly rowGroupSize?: number;
}

function schemaElement(column: Column): SchemaElement {
  const base = { name: column.name, repetition_type: 'OPTIONAL' as const };
  switch (column.type) {
    case 'bool':
      return { ...base, type: 'BOOLEAN' };
    case 'int':
      return { ...base, type: 'INT32' };
    case 'long':
    case 'timespan':
      return { ...base, type: 'INT64' };
    case 'real':
    case 'decimal':
      return { ...base, type: 'DOUBLE' };
    case 'datetime':
      return {
        ...base,
        type: 'INT64',
        converted_type: 'TIMESTAMP_MICROS',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' },
      };
    case 'string':
    case 'guid':
    case 'dynamic':
      return { ...base, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } };
  }
}

/** Converts one in-memory value to what the writer expects for the column's parquet type. */
function toParquet(value: KValue, type: KType): unknown {
  if (value === null || value === undefined) return null;
  // Values normally already have the column's type; coerce defends against loosely typed rows.
  const v = typeof value === 'object' && type !== 'dynamic' ? coerce(value, type) : value;
  if (v === null) return null;
  switch (type) {
    case 'bool':
      return typeof v === 'boolean' ? v : coerce(v, 'bool');
    case 'int': {
      const n = typeof v === 'number' ? Math.trunc(v) : coerce(v, 'int');
      return n === null ? null : Number(n) | 0;
    }
    case 'long': {
      const n = typeof v === 'number' ? v : coerce(v, 'long');
      return typeof n === 'number' && Number.isFinite(n) ? BigInt(Math.trunc(n)) : null;
    }
    case 'real':
    case 'decimal':
      return typeof v === 'number' ? v : coerce(v, 'real');
    case 'datetime': {
      const ms = typeof v === 'number' ? v : coerce(v, 'datetime');
      return typeof ms === 'number' && Number.isFinite(ms) ? BigInt(Math.round(ms * 1000)) : null;
    }
    case 'timespan': {
      const ms = typeof v === 'number' ? v : coerce(v, 'timespan');
      return typeof ms === 'number' && Number.isFinite(ms) ? BigInt(Math.round(ms * TICKS_PER_MS)) : null;
    }
    case 'string':
      return typeof v === 'string' ? v : coerce(v, 'string');
    case 'guid':
      return typeof v === 'string' ? v.toLowerCase() : coerce(v, 'guid');
    case 'dynamic':
      return JSON.stringify(v);
  }
}

/**
 * One column's values for the writer. Columns without nulls go into typed arrays, which the writer
 * handles several times faster and with far less garbage than arrays of boxed values.
 */
function columnValues(
  type: KType,
  rows: readonly (readonly KValue[])[],
  c: number,
): unknown[] | Int32Array | BigInt64Array | Float64Array {
  const values = new Array<unknown>(rows.length);
  let hasNull = false;
  for (let r = 0; r < rows.length; r++) {
    const v = toParquet(rows[r]![c] ?? null, type);
    if (v === null) hasNull = true;
    values[r] = v;
  }
  if (hasNull) return values;
  switch (type) {
    case 'int':
      return Int32Array.from(values as number[]);
    case 'long':
    case 'datetime':
    case 'timespan':
      return BigInt64Array.from(values as bigint[]);
    case 'real':
    case 'decimal':
      return Float64Array.from(values as number[]);
    default:
      return values;
  }
}

/** Renders a schema as cslschema text (`a:int,b:string`). */
function cslSchema(columns: readonly Column[]): string {
  return columns.map((c) => `${c.name}:${c.type}`).join(',');
}

/**
 * Encodes rows as a parquet file (SNAPPY, all columns OPTIONAL, Kusto schema in the footer).
 * Rows hold values in `columns` order; missing cells are written as null.
 */
export function writeParquet(
  columns: readonly Column[],
  rows: readonly (readonly KValue[])[],
  options: ParquetWriteOptions = {},
): Uint8Array {
  const schema: SchemaElement[] = [
    { name: 'root', num_children: columns.length },
    ...columns.map(schemaElement),
  ];
  const columnData = columns.map((column, c) => ({
    name: column.name,
    data: columnValues(column.type, rows, c) as never,
  }));
  const buffer = parquetWriteBuffer({
    columnData,
    schema,
    codec: 'SNAPPY',
    rowGroupSize: Math.max(1, options.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE),
    kvMetadata: [{ key: KUSTO_SCHEMA_KEY, value: cslSchema(columns) }],
  });
  return new Uint8Array(buffer);
}

/**
 * Copies bytes into a fresh ArrayBuffer of this module's realm: hyparquet checks `instanceof
 * ArrayBuffer`, which fails for buffers created in another realm (Jest sandboxes, Node Buffers pooled
 * in larger allocations).
 */
function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}

/** Maps a top-level parquet schema element (and whether it has children) to a Kusto type. */
export function kustoTypeOf(element: SchemaElement): KType {
  if (element.num_children !== undefined && element.num_children > 0) return 'dynamic'; // struct, list, map
  const logical = element.logical_type?.type;
  const converted = element.converted_type;
  if (logical === 'TIMESTAMP' || logical === 'DATE' || converted === 'DATE') return 'datetime';
  if (converted === 'TIMESTAMP_MICROS' || converted === 'TIMESTAMP_MILLIS') return 'datetime';
  if (logical === 'TIME' || converted === 'TIME_MILLIS' || converted === 'TIME_MICROS') return 'timespan';
  if (logical === 'DECIMAL' || converted === 'DECIMAL') return 'decimal';
  if (logical === 'UUID') return 'guid';
  if (logical === 'JSON' || converted === 'JSON' || logical === 'BSON' || logical === 'VARIANT')
    return 'dynamic';
  switch (element.type) {
    case 'BOOLEAN':
      return 'bool';
    case 'INT32':
      // Unsigned 32-bit values do not fit Kusto's int.
      return converted === 'UINT_32' ||
        (logical === 'INTEGER' && !element.logical_type.isSigned && element.logical_type.bitWidth === 32)
        ? 'long'
        : 'int';
    case 'INT64':
      return 'long';
    case 'INT96':
      return 'datetime';
    case 'FLOAT':
    case 'DOUBLE':
      return 'real';
    default:
      return 'string';
  }
}

/** Reads the Kusto schema a file carries in its key-value metadata, if it is consistent with the file. */
function declaredSchema(metadata: FileMetaData, names: readonly string[]): Map<string, KType> | undefined {
  const entry = metadata.key_value_metadata?.find((kv) => kv.key === KUSTO_SCHEMA_KEY);
  if (!entry?.value) return undefined;
  const types = new Map<string, KType>();
  for (const pair of entry.value.split(',')) {
    const at = pair.lastIndexOf(':');
    const type = parseType(pair.slice(at + 1));
    if (at <= 0 || !type) return undefined;
    types.set(pair.slice(0, at), type);
  }
  return names.every((n) => types.has(n)) ? types : undefined;
}

/** Top-level columns of a file: direct children of the root schema element, with their Kusto types. */
function topLevelColumns(metadata: FileMetaData): { column: Column; element: SchemaElement }[] {
  const schema = metadata.schema;
  const out: { name: string; element: SchemaElement }[] = [];
  // The schema is a depth-first flattening; skip over each column's descendants.
  let i = 1;
  const skip = (index: number): number => {
    const element = schema[index]!;
    let next = index + 1;
    for (let k = 0; k < (element.num_children ?? 0); k++) next = skip(next);
    return next;
  };
  while (i < schema.length) {
    const element = schema[i]!;
    out.push({ name: element.name, element });
    i = skip(i);
  }
  const declared = declaredSchema(
    metadata,
    out.map((c) => c.name),
  );
  return out.map(({ name, element }) => ({
    column: { name, type: declared?.get(name) ?? kustoTypeOf(element) },
    element,
  }));
}

/** JSON-safe copy of a decoded nested value (bigints become numbers, dates epoch-ms numbers). */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = plain(v);
    return out;
  }
  return value;
}

/** Converts a decoded cell to the emulator's representation of `type`. */
function fromParquet(value: unknown, type: KType, element: SchemaElement | undefined): KValue {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'timespan':
      if (typeof value === 'bigint') {
        // Our files store ticks; TIME logical types from other writers carry their own unit.
        const unit = element?.logical_type?.type === 'TIME' ? element.logical_type.unit : undefined;
        const perMs =
          unit === 'NANOS'
            ? 1_000_000
            : unit === 'MICROS' || element?.converted_type === 'TIME_MICROS'
              ? 1000
              : TICKS_PER_MS;
        return Number(value) / perMs;
      }
      if (typeof value === 'number' && element?.converted_type === 'TIME_MILLIS') return value;
      return coerce(value, 'timespan');
    case 'dynamic':
      if (typeof value === 'string') return coerce(value, 'dynamic');
      return plain(value) as KValue;
    case 'guid':
      return typeof value === 'string' ? value.toLowerCase() : coerce(plain(value), 'guid');
    case 'string':
      if (typeof value === 'string') return value;
      return coerce(plain(value), 'string');
    default:
      return coerce(typeof value === 'object' && !(value instanceof Date) ? plain(value) : value, type);
  }
}

/** Parsers that keep datetimes as epoch-ms numbers (sub-millisecond fractions kept) instead of Date objects. */
const PARSERS = {
  timestampFromMilliseconds: (v: bigint): number => Number(v),
  timestampFromMicroseconds: (v: bigint): number => Number(v) / 1000,
  timestampFromNanoseconds: (v: bigint): number => Number(v) / 1_000_000,
  dateFromDays: (days: number): number => days * 86_400_000,
};

/**
 * Decodes a parquet file into Kusto columns and rows. Files written by `writeParquet` round-trip
 * exactly; other files are mapped from their parquet types (nested columns become dynamic).
 */
export async function readParquet(bytes: Uint8Array): Promise<{ columns: Column[]; rows: KValue[][] }> {
  const file = ownBuffer(bytes);
  const metadata = parquetMetadata(file);
  const top = topLevelColumns(metadata);
  const columns = top.map((t) => t.column);
  const count = Number(metadata.num_rows);
  const data: unknown[][] = columns.map(() => new Array<unknown>(count).fill(null));
  const index = new Map(columns.map((c, i) => [c.name, i] as const));
  if (count > 0 && columns.length > 0) {
    await parquetRead({
      file,
      metadata,
      parsers: PARSERS,
      // Columnar chunks avoid building a row object per row (hundreds of ms per million rows).
      onChunk: ({ columnName, columnData, rowStart }) => {
        const c = index.get(columnName);
        if (c === undefined) return;
        const target = data[c]!;
        for (let k = 0; k < columnData.length && rowStart + k < count; k++)
          target[rowStart + k] = columnData[k];
      },
    });
  }
  const converted = top.map(({ column, element }, c) =>
    data[c]!.map((v) => fromParquet(v, column.type, element)),
  );
  const rows: KValue[][] = new Array<KValue[]>(count);
  for (let r = 0; r < count; r++) {
    const row = new Array<KValue>(columns.length);
    for (let c = 0; c < columns.length; c++) row[c] = converted[c]![r] ?? null;
    rows[r] = row;
  }
  return { columns, rows };
}

/** Number of rows of a parquet file, read from its footer only. */
export function readParquetRowCount(bytes: Uint8Array): number {
  // Only the footer is needed: slice the tail so large files are not copied whole.
  const length = bytes.byteLength;
  if (length < 12) throw new Error('parquet file invalid (too short)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, length);
  const footerLength = view.getUint32(length - 8, true);
  const tail = bytes.subarray(Math.max(0, length - footerLength - 8));
  const metadata = parquetMetadata(ownBuffer(tail));
  return Number(metadata.num_rows);
}
