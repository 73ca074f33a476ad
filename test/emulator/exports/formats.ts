/**
 * Export artifact encodings (parquet, csv, tsv, json) and the reverse, for reading external tables.
 * Text formats follow Kusto's rendering: ISO datetimes with 7 fractional digits, `[d.]hh:mm:ss`
 * timespans, dynamic values as JSON text, null as an empty field.
 */
import { gzipSync } from 'node:zlib';
import { readParquet, writeParquet } from '../parquet';
import { DELIMITERS, parseDelimited } from '../dm/delimited';
import { decompress, utf8Text } from '../dm/decode';
import { parseJsonRecords } from '../dm/jsonRecords';
import { KustoError } from '../kustoError';
import { coerce, toText, toWire, type Column, type KValue } from '../values';

/** Formats an export can write (reference §1.4: CSV/TSV/JSON/Parquet only). */
export type ExportFormat = 'parquet' | 'csv' | 'tsv' | 'json';

/** `includeHeaders` values, lower-cased. */
export type HeaderMode = 'none' | 'all' | 'firstfile';

/** Parses a data format name for export; a 400 for formats export does not support. */
export function exportFormat(name: string): ExportFormat {
  const lower = name.trim().toLowerCase();
  if (lower === 'parquet' || lower === 'csv' || lower === 'tsv' || lower === 'json') return lower;
  throw KustoError.badRequest(
    `Data format '${name}' is not supported for export; use csv, tsv, json or parquet.`,
  );
}

/** Parses `includeHeaders` (case-insensitive); defaults to none. */
export function headerMode(value: string | undefined): HeaderMode {
  const lower = (value ?? 'none').trim().toLowerCase();
  if (lower === 'all' || lower === 'firstfile' || lower === 'none') return lower;
  throw KustoError.badRequest(
    `Invalid includeHeaders value '${value ?? ''}': expected All, FirstFile or None.`,
  );
}

/** File extension of a format, with `.gz` when text output is compressed (parquet compresses internally). */
export function extensionOf(format: ExportFormat, compressed: boolean): string {
  return format === 'parquet' || !compressed ? format : `${format}.gz`;
}

/** Quotes a delimited field when it holds the delimiter, a quote or a line break (RFC 4180). */
function quoteField(text: string, delimiter: string): string {
  if (text.includes(delimiter) || text.includes('"') || text.includes('\n') || text.includes('\r')) {
    return `"${text.replace(/"/g, '""')}"`;
  }
  return text;
}

function delimited(
  columns: readonly Column[],
  rows: readonly (readonly KValue[])[],
  delimiter: string,
  header: boolean,
): string {
  const lines: string[] = [];
  if (header) lines.push(columns.map((c) => quoteField(c.name, delimiter)).join(delimiter));
  for (const row of rows) {
    lines.push(columns.map((c, i) => quoteField(toText(row[i] ?? null, c.type), delimiter)).join(delimiter));
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

function jsonLines(columns: readonly Column[], rows: readonly (readonly KValue[])[]): string {
  let out = '';
  for (const row of rows) {
    const record: Record<string, unknown> = {};
    columns.forEach((c, i) => {
      record[c.name] = toWire(row[i] ?? null, c.type);
    });
    out += `${JSON.stringify(record)}\n`;
  }
  return out;
}

/** Options for encoding one artifact. */
export interface EncodeOptions {
  readonly header: boolean;
  readonly compressed: boolean;
  readonly rowGroupSize?: number;
}

/** Encodes rows (in `columns` order) as one artifact file. */
export function encodeArtifact(
  format: ExportFormat,
  columns: readonly Column[],
  rows: readonly (readonly KValue[])[],
  options: EncodeOptions,
): Uint8Array {
  if (format === 'parquet') return writeParquet(columns, rows, { rowGroupSize: options.rowGroupSize });
  const text =
    format === 'json'
      ? jsonLines(columns, rows)
      : delimited(columns, rows, DELIMITERS[format] ?? ',', options.header);
  const bytes = new Uint8Array(Buffer.from(text, 'utf8'));
  return options.compressed ? new Uint8Array(gzipSync(bytes)) : bytes;
}

/**
 * Rough uncompressed size of a row in the text form, used to split artifacts at `sizeLimit`
 * (Kusto's limit is on the uncompressed size too).
 */
export function estimateRowBytes(row: readonly KValue[]): number {
  let size = 1;
  for (const value of row) {
    if (value === null) size += 1;
    else if (typeof value === 'string') size += value.length + 1;
    else if (typeof value === 'number') size += 9;
    else if (typeof value === 'boolean') size += 5;
    else size += JSON.stringify(value).length + 1;
  }
  return size;
}

function isParquet(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x41 && bytes[2] === 0x52 && bytes[3] === 0x31
  );
}

/**
 * Decodes one artifact into rows of `columns` (matched by name for parquet and json, by position for
 * delimited text). Parquet is recognised by its magic bytes and gzip is undone whatever the
 * table's format says, as Kusto detects compression on read. Throws a 400 for a corrupt file.
 */
export async function decodeArtifact(
  format: string,
  bytes: Uint8Array,
  columns: readonly Column[],
  skipHeader: boolean,
  name: string,
): Promise<KValue[][]> {
  if (bytes.length === 0) return [];
  try {
    const data = await decompress(bytes);
    if (isParquet(data) || format.toLowerCase() === 'parquet') {
      const file = await readParquet(data);
      const index = columns.map((c) => file.columns.findIndex((f) => f.name === c.name));
      return file.rows.map((row) =>
        columns.map((c, i) => coerce(index[i]! >= 0 ? row[index[i]!] : null, c.type)),
      );
    }
    const text = utf8Text(data);
    if (format.toLowerCase().includes('json')) {
      return parseJsonRecords(text).map((record) =>
        columns.map((c) => coerce(record[c.name] ?? null, c.type)),
      );
    }
    const records = parseDelimited(text, DELIMITERS[format.toLowerCase()] ?? ',');
    return (skipHeader ? records.slice(1) : records).map((fields) =>
      columns.map((c, i) => coerce(fields[i] ?? null, c.type)),
    );
  } catch (error) {
    throw KustoError.badRequest(
      `Failed to read external data artifact '${name}': ${(error as Error).message}`,
    );
  }
}
