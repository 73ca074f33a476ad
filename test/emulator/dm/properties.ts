/**
 * Ingestion properties, from a queue message's `AdditionalProperties` or a `.ingest ... with (...)`
 * clause, normalised. Names match case-insensitively; values may arrive as strings (what the SDKs
 * send) or already typed (literals, lists), so both are accepted.
 */
import { parseDatetime } from '../values';
import { permanent } from './errors';
import { parseMapping } from './mapping';
import { asText } from './text';
import type { MappingEntry } from './mapping';

/** Formats the emulator can read. */
export const SUPPORTED_FORMATS = [
  'csv',
  'tsv',
  'tsve',
  'scsv',
  'psv',
  'sohsv',
  'txt',
  'raw',
  'json',
  'multijson',
  'singlejson',
  'parquet',
] as const;
/** A format the emulator can read. */
export type IngestionFormat = (typeof SUPPORTED_FORMATS)[number];

/** Ingestion properties after validation. */
export interface IngestionOptions {
  readonly format: IngestionFormat;
  readonly ignoreFirstRecord: boolean;
  /** Extent creation time (epoch ms), when given. */
  readonly creationTime: number | undefined;
  /** Extent tags, with their `ingest-by:` / `drop-by:` prefixes. */
  readonly tags: readonly string[];
  /** Skip the ingestion when an extent of the table carries `ingest-by:<any of these>`. */
  readonly ingestIfNotExists: readonly string[];
  readonly mapping: readonly MappingEntry[] | undefined;
  readonly mappingReference: string | undefined;
  readonly authorizationContext: string | undefined;
}

function lookup(bag: Readonly<Record<string, unknown>>, ...names: string[]): unknown {
  const wanted = names.map((n) => n.toLowerCase());
  for (const [key, value] of Object.entries(bag)) {
    if (wanted.includes(key.toLowerCase()) && value !== undefined && value !== null) return value;
  }
  return undefined;
}

const malformed = (name: string, why: string): Error =>
  permanent('BadRequest_MalformedIngestionProperty', `Ingestion property '${name}' is malformed: ${why}.`);

/** A list of strings from a JSON-array string, an array, or (when `plainAllowed`) a single string. */
function stringList(name: string, value: unknown, plainAllowed: boolean): string[] {
  if (value === undefined) return [];
  let list = value;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === '') return [];
    try {
      list = JSON.parse(text);
    } catch {
      if (!plainAllowed) throw malformed(name, 'expected a JSON array of strings');
      return [text];
    }
    if (typeof list === 'string' && plainAllowed) return [list];
  }
  if (!Array.isArray(list) || list.some((t) => typeof t !== 'string')) {
    throw malformed(name, 'expected a JSON array of strings');
  }
  return list as string[];
}

function bool(name: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value === 'boolean') return value;
  const s = asText(value).trim().toLowerCase();
  if (s === 'true') return true;
  if (s === 'false' || s === '') return false;
  throw malformed(name, `expected true or false, got '${asText(value)}'`);
}

/** Parses and validates a property bag. Throws a permanent IngestionError for malformed values. */
export function parseIngestionOptions(bag: Readonly<Record<string, unknown>>): IngestionOptions {
  const formatValue = lookup(bag, 'format');
  const format = formatValue === undefined ? 'csv' : asText(formatValue).trim().toLowerCase();
  if (!(SUPPORTED_FORMATS as readonly string[]).includes(format)) {
    throw permanent('BadRequest_FormatNotSupported', `Format '${format}' is not supported.`);
  }

  let creationTime: number | undefined;
  const created = lookup(bag, 'creationTime');
  if (created !== undefined) {
    creationTime =
      created instanceof Date
        ? created.getTime()
        : typeof created === 'number'
          ? created
          : parseDatetime(asText(created));
    if (creationTime === undefined || Number.isNaN(creationTime)) {
      throw malformed('creationTime', `'${asText(created)}' is not a datetime`);
    }
  }

  const inlineMapping = lookup(bag, 'ingestionMapping');
  const reference = lookup(bag, 'ingestionMappingReference', 'mappingReference');
  if (inlineMapping !== undefined && reference !== undefined) {
    throw permanent(
      'BadRequest_DuplicateMapping',
      'Ingestion properties include both ingestionMapping and ingestionMappingReference.',
    );
  }
  const context = lookup(bag, 'authorizationContext');

  return {
    format: format as IngestionFormat,
    ignoreFirstRecord: bool('ignoreFirstRecord', lookup(bag, 'ignoreFirstRecord')),
    creationTime,
    tags: stringList('tags', lookup(bag, 'tags'), false),
    ingestIfNotExists: stringList('ingestIfNotExists', lookup(bag, 'ingestIfNotExists'), true),
    mapping: inlineMapping === undefined ? undefined : parseMapping(inlineMapping),
    mappingReference: reference === undefined ? undefined : asText(reference),
    authorizationContext: typeof context === 'string' ? context : undefined,
  };
}

/** Kusto's spelling of a format in `IngestionProperties` (`Format=Csv`). */
export function formatDisplayName(format: string): string {
  const names: Record<string, string> = { multijson: 'MultiJson', singlejson: 'SingleJson', tsve: 'TsvE' };
  return names[format] ?? format.charAt(0).toUpperCase() + format.slice(1);
}
