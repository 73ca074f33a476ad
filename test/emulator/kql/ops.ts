/**
 * Kusto value semantics over the emulator's representation: type categories, comparison, ordering,
 * arithmetic result types, string conversion and term matching (`has`). All checks that depend only
 * on static types run once at compile time; the returned functions run per row.
 */
import { parseDatetime, parseTimespan, toText, type KType, type KValue } from '../values';
import { semanticError } from './syntax';

/** Groups of types that compare and combine with each other. */
export type Category = 'number' | 'string' | 'datetime' | 'timespan' | 'bool' | 'guid' | 'dynamic';

const CATEGORY: Readonly<Record<KType, Category>> = {
  int: 'number',
  long: 'number',
  real: 'number',
  decimal: 'number',
  string: 'string',
  datetime: 'datetime',
  timespan: 'timespan',
  bool: 'bool',
  guid: 'guid',
  dynamic: 'dynamic',
};

/** Category of a type: the numeric types compare and combine with each other. */
export function categoryOf(type: KType): Category {
  return CATEGORY[type];
}

/** Kusto strings are never null: a missing string reads as empty. */
export function str(value: KValue): string {
  if (typeof value === 'string') return value;
  if (value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** A value of any type rendered as Kusto's `tostring()` renders it. */
export function stringify(value: KValue, type: KType): string {
  if (typeof value === 'string') return value;
  return toText(value, type);
}

/** Three-valued boolean view of a value (dynamic booleans included). */
export function truth(value: KValue): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function basicOrder(a: KValue, b: KValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const ja = JSON.stringify(a);
  const jb = JSON.stringify(b);
  return ja < jb ? -1 : ja > jb ? 1 : 0;
}

/** Reads a dynamic value as the other operand's category (dynamic strings holding datetimes...). */
function fromDynamic(value: KValue, category: Category): KValue {
  if (typeof value !== 'string') return value;
  if (category === 'datetime') return parseDatetime(value) ?? value;
  if (category === 'timespan') return parseTimespan(value) ?? value;
  if (category === 'guid') return value.toLowerCase();
  return value;
}

/** Equality and ordering between two operand types; null results mean "null" (Kusto null semantics). */
export interface Comparer {
  eq(a: KValue, b: KValue): boolean | null;
  order(a: KValue, b: KValue): number | null;
}

/** Comparer for `lt <op> rt`; throws a semantic error when Kusto would refuse to compare the types. */
export function comparerFor(lt: KType, rt: KType, op: string): Comparer {
  const lc = categoryOf(lt);
  const rc = categoryOf(rt);
  if (lc === 'string' && rc === 'string') {
    return {
      eq: (a, b) => str(a) === str(b),
      order: (a, b) => basicOrder(str(a), str(b)),
    };
  }
  if ((lc === 'guid' || lc === 'string') && (rc === 'guid' || rc === 'string')) {
    // Guids are compared with their text form; both sides are read lower-cased.
    const key = (v: KValue): string | null => (v === null ? null : str(v).toLowerCase());
    return {
      eq: (a, b) => {
        const x = key(a);
        const y = key(b);
        return x === null || y === null ? null : x === y;
      },
      order: (a, b) => {
        const x = key(a);
        const y = key(b);
        return x === null || y === null ? null : basicOrder(x, y);
      },
    };
  }
  if (lc === 'dynamic' || rc === 'dynamic') {
    const other = lc === 'dynamic' ? rc : lc;
    const norm = (v: KValue, c: Category): KValue => (c === 'dynamic' ? fromDynamic(v, other) : v);
    return {
      eq: (a, b) => {
        const x = norm(a, lc);
        const y = norm(b, rc);
        return x === null || y === null ? null : deepEqual(x, y);
      },
      order: (a, b) => {
        const x = norm(a, lc);
        const y = norm(b, rc);
        if (x === null || y === null || typeof x !== typeof y || typeof x === 'object') return null;
        return basicOrder(x, y);
      },
    };
  }
  if (lc !== rc) {
    throw semanticError(
      `Cannot compare values of types ${lt} and ${rt} with '${op}'. Try adding explicit casts.`,
    );
  }
  return {
    eq: (a, b) => (a === null || b === null ? null : a === b),
    order: (a, b) => (a === null || b === null ? null : basicOrder(a, b)),
  };
}

/** Total order over non-null values of one column type, for sorting. */
export function sortOrder(type: KType): (a: KValue, b: KValue) => number {
  return categoryOf(type) === 'string' ? (a, b) => basicOrder(str(a), str(b)) : basicOrder;
}

/** Whether a value is null for sorting purposes (strings are never null). */
export function isNullFor(type: KType): (v: KValue) => boolean {
  return categoryOf(type) === 'string' ? () => false : (v) => v === null;
}

/** Binary arithmetic operators. */
export type ArithmeticOp = '+' | '-' | '*' | '/' | '%';

/** Result type and per-value function of a binary arithmetic operator; null inputs are handled by the caller. */
export function arithmetic(
  op: ArithmeticOp,
  lt: KType,
  rt: KType,
): { type: KType; fn: (a: number, b: number) => number | null } {
  const lc = categoryOf(lt);
  const rc = categoryOf(rt);
  const fail = (): never => {
    throw semanticError(`Cannot apply operator '${op}' to values of types ${lt} and ${rt}.`, 'SEM0002');
  };
  const plain = (type: KType): { type: KType; fn: (a: number, b: number) => number | null } => ({
    type,
    fn: numeric(op, type),
  });
  if (lc === 'number' && rc === 'number') {
    const type: KType =
      lt === 'real' || rt === 'real'
        ? 'real'
        : lt === 'decimal' || rt === 'decimal'
          ? 'decimal'
          : lt === 'long' || rt === 'long'
            ? 'long'
            : 'int';
    return plain(type);
  }
  if (lc === 'dynamic' || rc === 'dynamic') {
    if (lc !== 'dynamic' && lc !== 'number') fail();
    if (rc !== 'dynamic' && rc !== 'number') fail();
    return plain('dynamic');
  }
  if (lc === 'datetime' && rc === 'datetime' && op === '-') return plain('timespan');
  if (lc === 'datetime' && rc === 'timespan' && (op === '+' || op === '-')) return plain('datetime');
  if (lc === 'timespan' && rc === 'datetime' && op === '+') return plain('datetime');
  if (lc === 'timespan' && rc === 'timespan') {
    if (op === '+' || op === '-' || op === '%') return plain('timespan');
    if (op === '/') return plain('real');
  }
  if (lc === 'timespan' && rc === 'number' && (op === '*' || op === '/')) return plain('timespan');
  if (lc === 'number' && rc === 'timespan' && op === '*') return plain('timespan');
  return fail();
}

function numeric(op: ArithmeticOp, type: KType): (a: number, b: number) => number | null {
  const integral = type === 'int' || type === 'long';
  switch (op) {
    case '+':
      return (a, b) => a + b;
    case '-':
      return (a, b) => a - b;
    case '*':
      return integral ? (a, b) => Math.trunc(a * b) : (a, b) => a * b;
    case '/':
      return integral ? (a, b) => (b === 0 ? null : Math.trunc(a / b)) : (a, b) => a / b;
    case '%':
      return integral ? (a, b) => (b === 0 ? null : a % b) : (a, b) => a % b;
  }
}

function isTermChar(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  const c = ch.charCodeAt(0);
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c > 127;
}

/**
 * Term matching behind `has`, `hasprefix` and `hassuffix`: `needle` must occur in `hay` on term
 * boundaries (terms are runs of letters and digits), at both ends, at the start, or at the end.
 */
export function termMatch(hay: string, needle: string, mode: 'whole' | 'prefix' | 'suffix'): boolean {
  if (needle === '') return true;
  const checkLeft = mode !== 'suffix' && isTermChar(needle[0]);
  const checkRight = mode !== 'prefix' && isTermChar(needle[needle.length - 1]);
  for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) {
    if (checkLeft && isTermChar(hay[at - 1])) continue;
    if (checkRight && isTermChar(hay[at + needle.length])) continue;
    return true;
  }
  return false;
}
