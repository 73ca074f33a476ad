/**
 * Decoding of `.ingest inline` data into typed rows: delimited formats (csv, tsv, psv, scsv, sohsv;
 * RFC 4180 quoting, fields mapped to columns by position) and JSON (`json` = one object per line,
 * `multijson` = objects or an array spanning lines; properties mapped to columns by name).
 */
import { KustoError } from '../kustoError';
import { coerce, type Column, type KValue } from '../values';

const SEPARATORS: Readonly<Record<string, string>> = {
  csv: ',',
  tsv: '\t',
  tsve: '\t',
  psv: '|',
  scsv: ';',
  sohsv: '\u0001',
};

/** Splits delimited text into records of raw fields (quotes removed, `""` unescaped). */
export function parseDelimited(text: string, separator: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false;
  const endField = (): void => {
    record.push(field);
    field = '';
    fieldStarted = false;
  };
  const endRecord = (): void => {
    endField();
    // A blank line is no record.
    if (!(record.length === 1 && record[0] === '')) records.push(record);
    record = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
      continue;
    }
    if (ch === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (ch === separator) endField();
    else if (ch === '\n') endRecord();
    else if (ch === '\r' && text[i + 1] === '\n') continue;
    else {
      field += ch;
      fieldStarted = true;
    }
  }
  if (quoted) throw KustoError.badRequest('Stream has a malformed CSV format: closing quote missing.');
  if (field !== '' || record.length > 0) endRecord();
  return records;
}

function jsonRecords(text: string, multi: boolean): unknown[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  if (multi) {
    try {
      const whole = JSON.parse(trimmed) as unknown;
      return Array.isArray(whole) ? whole : [whole];
    } catch {
      // Concatenated objects: fall through to one object per line.
    }
  }
  return trimmed
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        throw KustoError.badRequest(`Stream has a malformed JSON format: '${line.slice(0, 80)}'.`);
      }
    });
}

/**
 * Rows for `columns` from inline data in `format` (case-insensitive; default csv). Missing trailing
 * fields are null; surplus fields are ignored; values are converted to the column types (a value that
 * does not convert becomes null, as Kusto does).
 */
export function parseInlineData(
  text: string,
  format: string,
  columns: readonly Column[],
  ignoreFirstRecord = false,
): KValue[][] {
  const fmt = format.toLowerCase();
  if (fmt === 'json' || fmt === 'multijson' || fmt === 'singlejson') {
    const records = jsonRecords(text, fmt !== 'json');
    return records.slice(ignoreFirstRecord ? 1 : 0).map((rec) => {
      const obj =
        rec && typeof rec === 'object' && !Array.isArray(rec) ? (rec as Record<string, unknown>) : {};
      return columns.map((c) => coerce(obj[c.name] ?? null, c.type));
    });
  }
  const separator = SEPARATORS[fmt];
  if (separator === undefined)
    throw KustoError.badRequest(
      `Data format '${format}' is not supported by the emulator for inline ingestion.`,
    );
  const records = parseDelimited(text, separator);
  return records
    .slice(ignoreFirstRecord ? 1 : 0)
    .map((fields) => columns.map((c, i) => coerce(fields[i] ?? null, c.type)));
}
