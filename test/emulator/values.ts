/**
 * Kusto scalar types and their in-memory representation inside the emulator.
 *
 * Representation (chosen for simplicity; limits are listed in the emulator README):
 * - bool: boolean; int, long, real, decimal: number (long beyond 2^53 loses precision);
 * - string, guid: string; dynamic: any JSON value (object, array, number, string, boolean);
 * - datetime: epoch milliseconds as a number (fractions kept down to about 1 microsecond);
 * - timespan: milliseconds as a number.
 * Every type is nullable; null is the Kusto null.
 */

export type KType =
  'bool' | 'int' | 'long' | 'real' | 'decimal' | 'string' | 'datetime' | 'timespan' | 'guid' | 'dynamic';

export type KValue = null | boolean | number | string | KDynamic;
export type KDynamic = { readonly [k: string]: unknown } | readonly unknown[];

export interface Column {
  readonly name: string;
  readonly type: KType;
}

export const ALL_TYPES: readonly KType[] = [
  'bool',
  'int',
  'long',
  'real',
  'decimal',
  'string',
  'datetime',
  'timespan',
  'guid',
  'dynamic',
];

const ALIASES: Record<string, KType> = {
  bool: 'bool',
  boolean: 'bool',
  int: 'int',
  int32: 'int',
  long: 'long',
  int64: 'long',
  real: 'real',
  double: 'real',
  decimal: 'decimal',
  string: 'string',
  datetime: 'datetime',
  date: 'datetime',
  timespan: 'timespan',
  time: 'timespan',
  guid: 'guid',
  uniqueid: 'guid',
  dynamic: 'dynamic',
};

/** Normalises a type name as written in a schema (`int64`, `double`, `date`...) to a KType, or undefined. */
export function parseType(name: string): KType | undefined {
  return ALIASES[name.trim().toLowerCase()];
}

/** v1 `DataType` (.NET-ish) names per the reference §1.0. */
export const DATA_TYPE: Record<KType, string> = {
  bool: 'Boolean',
  int: 'Int32',
  long: 'Int64',
  real: 'Double',
  decimal: 'SqlDecimal',
  string: 'String',
  datetime: 'DateTime',
  timespan: 'TimeSpan',
  guid: 'Guid',
  dynamic: 'Object',
};

/** `System.*` names used in schema JSON (`.show table T schema as json`). */
export const SYSTEM_TYPE: Record<KType, string> = {
  bool: 'System.Boolean',
  int: 'System.Int32',
  long: 'System.Int64',
  real: 'System.Double',
  decimal: 'System.Data.SqlTypes.SqlDecimal',
  string: 'System.String',
  datetime: 'System.DateTime',
  timespan: 'System.TimeSpan',
  guid: 'System.Guid',
  dynamic: 'System.Object',
};

const MS_PER_DAY = 86_400_000;

/** Formats a datetime as ISO-8601 with 7 fractional digits and `Z`, as Kusto does. */
export function formatDatetime(ms: number): string {
  const whole = Math.floor(ms);
  const frac = ms - whole; // sub-millisecond part
  const iso = new Date(whole).toISOString(); // yyyy-mm-ddThh:mm:ss.mmmZ
  // A double near today's epoch resolves ~0.24 microseconds, so the 100 ns digit is noise: round to
  // whole microseconds (the precision the emulator promises) and print the last digit as 0.
  const micros = Math.min(Math.round(frac * 1000), 999);
  return `${iso.slice(0, 23)}${String(micros).padStart(3, '0')}0Z`;
}

/** Formats a timespan as `[-][d.]hh:mm:ss[.fffffff]`. */
export function formatTimespan(ms: number): string {
  const neg = ms < 0;
  let rest = Math.abs(ms);
  const days = Math.floor(rest / MS_PER_DAY);
  rest -= days * MS_PER_DAY;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  rest -= s * 1000;
  const ticks = Math.round(rest * 10_000);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const frac = ticks > 0 ? `.${String(ticks).padStart(7, '0')}` : '';
  return `${neg ? '-' : ''}${days > 0 ? `${days}.` : ''}${p2(h)}:${p2(m)}:${p2(s)}${frac}`;
}

/** Parses an ISO-8601 (or Kusto `yyyy-MM-dd[ hh:mm:ss[.f]]`) datetime string to epoch ms; undefined if invalid. */
export function parseDatetime(text: string): number | undefined {
  const t = text.trim();
  const m =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(
      t,
    );
  if (!m) {
    const d = Date.parse(t);
    return Number.isNaN(d) ? undefined : d;
  }
  const [, y, mo, d, h = '0', mi = '0', s = '0', f = '', tz] = m;
  let ms = Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +s);
  if (f) ms += Number(`0.${f}`) * 1000;
  if (tz && tz.toUpperCase() !== 'Z') {
    const sign = tz.startsWith('-') ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return ms;
}

/** Parses a Kusto timespan: `[-][d.]hh:mm[:ss[.f]]` or a literal such as `5m`, `1.5h`, `2d`, `100ms`. */
export function parseTimespan(text: string): number | undefined {
  const t = text.trim();
  const lit =
    /^(-?\d+(?:\.\d+)?)\s*(d|day|days|h|hr|hrs|hour|hours|m|min|minute|minutes|s|sec|second|seconds|ms|milli|millis|millisecond|milliseconds|microsecond|microseconds|tick|ticks)$/i.exec(
      t,
    );
  if (lit) {
    const n = Number(lit[1]);
    const u = lit[2]!.toLowerCase();
    const mult = u.startsWith('d')
      ? MS_PER_DAY
      : u.startsWith('h')
        ? 3_600_000
        : u === 'ms' || u.startsWith('milli')
          ? 1
          : u.startsWith('micro')
            ? 0.001
            : u.startsWith('tick')
              ? 0.0001
              : u.startsWith('m')
                ? 60_000
                : 1000;
    return n * mult;
  }
  const m = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/.exec(t);
  if (!m) return undefined;
  const [, neg, d = '0', h, mi, s = '0', f = ''] = m;
  const ms =
    +d * MS_PER_DAY + +h! * 3_600_000 + +mi! * 60_000 + +s * 1000 + (f ? Number(`0.${f}`) * 1000 : 0);
  return neg ? -ms : ms;
}

/** Renders a value for the JSON wire format (v1/v2 rows): datetimes and timespans as strings. */
export function toWire(value: KValue, type: KType): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'datetime':
      return typeof value === 'number' ? formatDatetime(value) : value;
    case 'timespan':
      return typeof value === 'number' ? formatTimespan(value) : value;
    case 'decimal':
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
    default:
      return value;
  }
}

/** Converts a loosely typed input (CSV/JSON field, parquet cell, literal text) to a value of `type`; null when not convertible. */
export function coerce(input: unknown, type: KType): KValue {
  if (input === null || input === undefined) return null;
  switch (type) {
    case 'bool':
      if (typeof input === 'boolean') return input;
      if (typeof input === 'number') return input !== 0;
      if (typeof input === 'string') {
        const s = input.trim().toLowerCase();
        return s === 'true' || s === '1' ? true : s === 'false' || s === '0' ? false : null;
      }
      return null;
    case 'int':
    case 'long': {
      if (typeof input === 'bigint') return Number(input);
      if (typeof input === 'string' && input.trim() === '') return null;
      const n = typeof input === 'number' ? input : Number(input);
      return Number.isFinite(n) ? Math.trunc(n) : null;
    }
    case 'real':
    case 'decimal': {
      if (typeof input === 'bigint') return Number(input);
      if (typeof input === 'string' && input.trim() === '') return null;
      const n = typeof input === 'number' ? input : Number(input);
      return Number.isNaN(n) ? null : n;
    }
    case 'string':
      if (typeof input === 'string') return input;
      if (typeof input === 'number' || typeof input === 'boolean' || typeof input === 'bigint')
        return String(input);
      return JSON.stringify(input) ?? null;
    case 'guid':
      return typeof input === 'string' && input.trim() !== '' ? input.trim().toLowerCase() : null;
    case 'datetime':
      if (input instanceof Date) return input.getTime();
      if (typeof input === 'number') return input;
      if (typeof input === 'bigint') return Number(input) / 1000; // microseconds
      if (typeof input === 'string') return input.trim() === '' ? null : (parseDatetime(input) ?? null);
      return null;
    case 'timespan':
      if (typeof input === 'number') return input;
      if (typeof input === 'string') return input.trim() === '' ? null : (parseTimespan(input) ?? null);
      return null;
    case 'dynamic':
      if (typeof input === 'string') {
        try {
          return JSON.parse(input) as KValue;
        } catch {
          return input;
        }
      }
      return input as KValue;
  }
}

/** Formats a value as CSV/text the way Kusto renders it (ISO datetimes, c-format timespans). */
export function toText(value: KValue, type: KType): string {
  if (value === null) return '';
  if (type === 'datetime' && typeof value === 'number') return formatDatetime(value);
  if (type === 'timespan' && typeof value === 'number') return formatTimespan(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
