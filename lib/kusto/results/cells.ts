/**
 * Cell access for the result parsers: columns are found by name, so extra columns and any order are
 * fine; a missing required column or a malformed cell is a PermanentError naming it, because
 * guessing would misreport a cluster's state.
 */
import { PermanentError } from '../../errors';
import { asRecord, lenientJson } from '../json';
import { redact } from '../redact';
import type { ResultTable } from '../types';

const DATETIME =
  /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const TIMESPAN = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/;

/**
 * Parses a Kusto datetime (ISO-8601, up to 7 fractional digits, `T` or space separated, UTC when
 * no zone is given) to a Date. Digits below the millisecond are truncated, never rounded, so a
 * value never moves past the instant Kusto reported.
 */
export function parseKustoDateTime(value: string): Date | undefined {
  const m = DATETIME.exec(value.trim());
  if (!m) return undefined;
  const [, day, time = '00:00:00', fraction = '', zone = 'Z'] = m;
  const hms = time.length === 5 ? `${time}:00` : time;
  const ms = fraction.slice(0, 3).padEnd(3, '0');
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const date = new Date(`${day}T${hms}.${ms}${offset}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Parses a Kusto timespan `[-][d.]hh:mm:ss[.fffffff]` to milliseconds (sub-ms digits kept as a fraction). */
export function parseKustoTimespan(value: string): number | undefined {
  const m = TIMESPAN.exec(value.trim());
  if (!m) return undefined;
  const [, sign, days = '0', hours = '0', minutes = '0', seconds = '0', fraction = ''] = m;
  const whole = ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60 + Number(seconds);
  // Ticks (100 ns) as an integer keep the 7 digits exact; dividing once avoids float drift.
  const ms = whole * 1000 + Number(fraction.padEnd(7, '0')) / 10_000;
  return sign ? -ms : ms;
}

/** A short, redacted rendering of a value for error messages: cells may hold SAS URLs. */
export function preview(value: unknown): string {
  // JSON.stringify(undefined) is undefined, and a schema cell may be missing entirely.
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return redact(text.length > 80 ? `${text.slice(0, 80)}...` : text);
}

/** Typed cell access for one row; `undefined` means the column is absent or the cell is null. */
export class Row {
  constructor(
    private readonly source: string,
    private readonly index: ReadonlyMap<string, number>,
    private readonly cells: readonly unknown[],
    private readonly rowNumber: number,
  ) {}

  /** The cell as sent. */
  raw(column: string): unknown {
    const at = this.index.get(column);
    return at === undefined ? undefined : (this.cells[at] ?? undefined);
  }

  private bad(column: string, expected: string, value: unknown): PermanentError {
    return new PermanentError(
      `${this.source}: row ${this.rowNumber}, column '${column}': expected ${expected}, got ${preview(value)}`,
    );
  }

  /** Strings never come back null from Kusto; treat null as empty. */
  str(column: string): string {
    const v = this.raw(column);
    if (v === undefined) return '';
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
    return JSON.stringify(v) ?? '';
  }

  /** Like {@link Row.str}, but undefined when the column is absent. */
  optStr(column: string): string | undefined {
    return this.index.has(column) ? this.str(column) : undefined;
  }

  /** Booleans arrive as true/false or as 0/1 (reference §1.0). */
  bool(column: string): boolean | undefined {
    const v = this.raw(column);
    if (v === undefined) return undefined;
    if (typeof v === 'boolean') return v;
    if (v === 0 || v === 1) return v === 1;
    if (typeof v === 'string') {
      const s = v.trim().toLowerCase();
      if (s === 'true' || s === '1') return true;
      if (s === 'false' || s === '0') return false;
    }
    throw this.bad(column, 'a bool', v);
  }

  /** A number, from a JSON number or numeric text. */
  long(column: string): number | undefined {
    const v = this.raw(column);
    if (v === undefined) return undefined;
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (!Number.isFinite(n)) throw this.bad(column, 'a number', v);
    return n;
  }

  /** A datetime (see {@link parseKustoDateTime}); empty text counts as null. */
  date(column: string): Date | undefined {
    const v = this.raw(column);
    if (v === undefined || v === '') return undefined;
    if (v instanceof Date) return v;
    const d = typeof v === 'string' ? parseKustoDateTime(v) : undefined;
    if (!d) throw this.bad(column, 'a datetime', v);
    return d;
  }

  /** Like {@link Row.date}, for columns that may not be null. */
  requiredDate(column: string): Date {
    const d = this.date(column);
    if (!d) throw new PermanentError(`${this.source}: column '${column}' is null`);
    return d;
  }

  /** A timespan in milliseconds (see {@link parseKustoTimespan}); empty text counts as null. */
  timespanMs(column: string): number | undefined {
    const v = this.raw(column);
    if (v === undefined || v === '') return undefined;
    if (typeof v === 'number') return v;
    const ms = typeof v === 'string' ? parseKustoTimespan(v) : undefined;
    if (ms === undefined) throw this.bad(column, 'a timespan', v);
    return ms;
  }

  /** The cell's JSON, which must be valid: for cells the parser cannot do without. */
  json(column: string): unknown {
    const v = this.raw(column);
    const parsed = lenientJson(v);
    if (parsed === undefined || parsed === null)
      throw new PermanentError(`${this.source}: column '${column}' is not valid JSON (${preview(v)})`);
    return parsed;
  }

  /** The cell's JSON object; empty when absent or unparsable, since such cells are informational. */
  jsonObject(column: string): Record<string, unknown> {
    return asRecord(lenientJson(this.raw(column))) ?? {};
  }

  /** The strings of the cell's JSON array; empty when absent or unparsable. */
  stringArray(column: string): string[] {
    const parsed = lenientJson(this.raw(column));
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
  }
}

/** Column lookup: exact name first, then case-insensitive (some tools re-case projected names). */
function resolve(found: ReadonlyMap<string, number>, wanted: string): number | undefined {
  const exact = found.get(wanted);
  if (exact !== undefined) return exact;
  const lower = wanted.toLowerCase();
  for (const [name, i] of found) if (name.toLowerCase() === lower) return i;
  return undefined;
}

/**
 * Rows of `table` as {@link Row}s over the canonical column names in `required` and `optional`.
 * Fails before reading any row when a required column is missing, even for an empty table.
 */
export function rowsOf(
  table: ResultTable,
  source: string,
  required: readonly string[],
  optional: readonly string[] = [],
): Row[] {
  // The first of several same-named columns wins.
  const found = new Map<string, number>();
  table.columns.forEach((c, i) => {
    if (!found.has(c.name)) found.set(c.name, i);
  });
  const index = new Map<string, number>();
  const missing: string[] = [];
  for (const name of required) {
    const at = resolve(found, name);
    if (at === undefined) missing.push(name);
    else index.set(name, at);
  }
  if (missing.length > 0) {
    throw new PermanentError(
      `${source}: result has no column ${missing.map((m) => `'${m}'`).join(', ')} (columns: ${table.columns.map((c) => c.name).join(', ') || 'none'})`,
    );
  }
  for (const name of optional) {
    const at = resolve(found, name);
    if (at !== undefined) index.set(name, at);
  }
  return table.rows.map((cells, i) => new Row(source, index, cells, i));
}
