/**
 * Reads the records of a downloaded source in the format the ingestion names: positional fields
 * (delimited text), named properties (JSON) or typed columns (parquet). Mapping onto the table
 * happens separately (`project.ts`), right before the extent is written.
 */
import { readParquet } from '../parquet';
import type { Column, KValue } from '../values';
import { decompress, utf8Text } from './decode';
import { DELIMITERS, parseDelimited, parseLines } from './delimited';
import { permanent } from './errors';
import { parseJsonRecords } from './jsonRecords';
import type { IngestionOptions } from './properties';

/** The records of one source. */
export type SourceData =
  | { readonly kind: 'fields'; readonly records: readonly (readonly string[])[] }
  | { readonly kind: 'objects'; readonly records: readonly Readonly<Record<string, unknown>>[] }
  | {
      readonly kind: 'typed';
      readonly columns: readonly Column[];
      readonly rows: readonly (readonly KValue[])[];
    };

/** Number of records in a source. */
export function recordCount(data: SourceData): number {
  return data.kind === 'typed' ? data.rows.length : data.records.length;
}

/**
 * Decompresses and parses blob bytes. Throws a permanent IngestionError for an empty blob, a
 * corrupt archive, unparsable data or no records at all (`Stream_NoDataToIngest`).
 */
export async function readSource(bytes: Uint8Array, options: IngestionOptions): Promise<SourceData> {
  const data = await decompress(bytes);
  let source: SourceData;
  switch (options.format) {
    case 'parquet': {
      let parsed: { columns: Column[]; rows: KValue[][] };
      try {
        parsed = await readParquet(data);
      } catch (error) {
        throw permanent(
          'BadRequest_InvalidBlob',
          `Blob is invalid: not a parquet file (${(error as Error).message}).`,
        );
      }
      source = { kind: 'typed', columns: parsed.columns, rows: parsed.rows };
      break;
    }
    case 'json':
    case 'multijson':
    case 'singlejson':
      source = { kind: 'objects', records: parseJsonRecords(utf8Text(data)) };
      break;
    case 'txt':
      source = { kind: 'fields', records: parseLines(utf8Text(data)) };
      break;
    case 'raw':
      source = { kind: 'fields', records: [[utf8Text(data)]] };
      break;
    default: {
      const records = parseDelimited(utf8Text(data), DELIMITERS[options.format] ?? ',');
      source = { kind: 'fields', records: options.ignoreFirstRecord ? records.slice(1) : records };
    }
  }
  if (recordCount(source) === 0) throw permanent('Stream_NoDataToIngest', 'Found no data to ingest.');
  return source;
}
