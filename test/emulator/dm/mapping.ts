/**
 * Inline ingestion mappings (`ingestionMapping`): which source field feeds which table column.
 * Accepts what the SDKs send (`{"Column","DataType","Properties":{"Ordinal"|"Path"|"Field"|
 * "ConstValue"|"Transform"}}`, reference §3.5) and the older flat form (`{"column","Ordinal","path"}`).
 */
import { permanent } from './errors';
import { asText } from './text';

/** One mapped column. */
export interface MappingEntry {
  readonly column: string;
  /** CSV-like formats: zero-based field position. */
  readonly ordinal?: number;
  /** JSON / parquet: property path segments below the record (`$.a.b` → `['a','b']`; `$` → `[]`). */
  readonly path?: readonly string[];
  /** A constant for every row. */
  readonly constValue?: string;
  /** `DateTimeFromUnixSeconds` / `...Milliseconds` / `...Microseconds` / `...Nanoseconds`. */
  readonly transform?: string;
}

/** Property lookup ignoring case, because mappings come in both Pascal and camel case. */
function prop(obj: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(obj).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : obj[key];
}

const asObject = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/**
 * Splits a JSON path (`$.a.b`, `$['a b'].c`, `$["x"]`, `$`) into segments.
 * Throws `BadRequest_InvalidMapping` for anything else (array indexes, wildcards).
 */
export function jsonPathSegments(path: string): string[] {
  const p = path.trim();
  if (!p.startsWith('$')) throw permanent('BadRequest_InvalidMapping', `Invalid JSON path '${path}'.`);
  const segments: string[] = [];
  let i = 1;
  while (i < p.length) {
    if (p[i] === '.') {
      const m = /^[^.[]+/.exec(p.slice(i + 1));
      if (!m) throw permanent('BadRequest_InvalidMapping', `Invalid JSON path '${path}'.`);
      segments.push(m[0]);
      i += 1 + m[0].length;
    } else if (p[i] === '[') {
      const m = /^\[\s*(['"])((?:\\.|(?!\1).)*)\1\s*\]/.exec(p.slice(i));
      if (!m) throw permanent('BadRequest_InvalidMapping', `Unsupported JSON path '${path}'.`);
      segments.push(m[2]!.replace(/\\(.)/g, '$1'));
      i += m[0].length;
    } else {
      throw permanent('BadRequest_InvalidMapping', `Invalid JSON path '${path}'.`);
    }
  }
  return segments;
}

/** Reads a path from a parsed record; undefined when any segment is missing. */
export function readPath(record: unknown, path: readonly string[]): unknown {
  let current = record;
  for (const segment of path) {
    const obj = asObject(current);
    if (!obj) return undefined;
    current = obj[segment];
  }
  return current;
}

/**
 * Parses an inline mapping given as a JSON string or an already parsed array.
 * Throws `BadRequest_InvalidMapping` when it is not a list of column mappings.
 */
export function parseMapping(value: unknown): MappingEntry[] {
  let list = value;
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value);
    } catch {
      throw permanent('BadRequest_InvalidMapping', 'Failed to parse ingestion mapping: not valid JSON.');
    }
  }
  if (!Array.isArray(list))
    throw permanent('BadRequest_InvalidMapping', 'Ingestion mapping must be a JSON array.');
  return list.map((raw, index) => {
    const entry = asObject(raw);
    const column = entry ? prop(entry, 'Column') : undefined;
    if (!entry || typeof column !== 'string' || column === '') {
      throw permanent('BadRequest_InvalidMapping', `Ingestion mapping entry ${index} has no column name.`);
    }
    // Properties may be nested (current form) or flat (legacy form).
    const props = asObject(prop(entry, 'Properties')) ?? entry;
    const ordinal = prop(props, 'Ordinal');
    const path = prop(props, 'Path') ?? prop(props, 'Field');
    const constValue = prop(props, 'ConstValue');
    const transform = prop(props, 'Transform');
    const out: {
      column: string;
      ordinal?: number;
      path?: string[];
      constValue?: string;
      transform?: string;
    } = { column };
    if (ordinal !== undefined && ordinal !== null && ordinal !== '') {
      const n = Number(ordinal);
      if (!Number.isInteger(n) || n < 0) {
        throw permanent(
          'BadRequest_InvalidMapping',
          `Invalid ordinal '${asText(ordinal)}' for column '${column}'.`,
        );
      }
      out.ordinal = n;
    }
    if (typeof path === 'string' && path !== '')
      out.path = path.startsWith('$') ? jsonPathSegments(path) : [path];
    if (constValue !== undefined && constValue !== null) out.constValue = asText(constValue);
    if (typeof transform === 'string' && transform !== '') out.transform = transform;
    return out;
  });
}

const UNIX_SCALE: Record<string, number> = {
  datetimefromunixseconds: 1000,
  datetimefromunixmilliseconds: 1,
  datetimefromunixmicroseconds: 0.001,
  datetimefromunixnanoseconds: 0.000001,
};

/** Applies a mapping transform to a source value (unknown transforms leave the value as is). */
export function applyTransform(value: unknown, transform: string | undefined): unknown {
  if (!transform || value === null || value === undefined) return value;
  const scale = UNIX_SCALE[transform.toLowerCase()];
  if (scale === undefined) return value;
  const n = typeof value === 'bigint' ? Number(value) : Number(value);
  return Number.isFinite(n) ? n * scale : null;
}
