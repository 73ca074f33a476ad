/**
 * Delimited text (CSV and its tab/semicolon/pipe/SOH relatives, plus `txt` and `raw`) split into
 * records of fields. Quoting follows RFC 4180 as Kusto does: a field may be wrapped in double quotes,
 * a doubled quote inside is a literal quote, and quoted fields may span lines.
 */
import { permanent } from './errors';

/** Field separator per delimited format. */
export const DELIMITERS: Readonly<Record<string, string>> = {
  csv: ',',
  tsv: '\t',
  tsve: '\t',
  scsv: ';',
  psv: '|',
  sohsv: '\u0001',
};

/**
 * Splits text into records. Empty lines are skipped. Throws `Stream_ClosingQuoteMissing` when a
 * quoted field is not closed.
 */
export function parseDelimited(text: string, delimiter: string): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false; // inside a quoted field
  let wasQuoted = false; // current field started with a quote
  let line = 1;
  let quoteLine = 0;
  const endRecord = (): void => {
    fields.push(field);
    // A line with nothing on it is not a record (a trailing newline, a blank separator line).
    if (!(fields.length === 1 && fields[0] === '' && !wasQuoted)) records.push(fields);
    fields = [];
    field = '';
    wasQuoted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field === '' && !wasQuoted) {
      quoted = true;
      wasQuoted = true;
      quoteLine = line;
    } else if (c === delimiter) {
      fields.push(field);
      field = '';
      wasQuoted = false;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      line++;
      endRecord();
    } else {
      field += c;
    }
  }
  if (quoted) {
    throw permanent(
      'Stream_ClosingQuoteMissing',
      `Stream has a malformed CSV format: closing quote missing for the field starting on line ${quoteLine}.`,
    );
  }
  if (field !== '' || fields.length > 0 || wasQuoted) endRecord();
  return records;
}

/** `txt`: every non-empty line is a record with one field. */
export function parseLines(text: string): string[][] {
  return text
    .split(/\r?\n/)
    .filter((l) => l !== '')
    .map((l) => [l]);
}
