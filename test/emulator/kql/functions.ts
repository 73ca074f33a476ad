/**
 * Scalar functions. Each entry receives its compiled arguments and returns a compiled expression;
 * calls whose arguments are all constant are folded once at compile time unless the function reads
 * the row (`ingestion_time()`, cursor predicates).
 */
import { KustoError } from '../kustoError';
import { coerce, parseDatetime, parseTimespan, type KType, type KValue } from '../values';
import { constant, EMPTY_ROW, queryCursor, queryNow, type CompileContext, type Compiled } from './context';
import {
  binValue,
  formatDatetimePattern,
  startOfDay,
  startOfMonth,
  startOfWeek,
  startOfYear,
  TICK_ORIGIN_MS,
} from './datetimes';
import { nameOf } from './literals';
import { categoryOf, str, stringify, truth } from './ops';
import { semanticError, textOf, type SyntaxElement } from './syntax';
import type { Row } from './types';

/** One call site: the compiled arguments plus what some functions need to look at. */
export interface FunctionCall {
  readonly name: string;
  readonly args: readonly Compiled[];
  readonly argNodes: readonly SyntaxElement[];
  readonly ctx: CompileContext;
  readonly node: SyntaxElement;
}

type ScalarFunction = (call: FunctionCall) => Compiled;

function arity(call: FunctionCall, min: number, max = min): void {
  const n = call.args.length;
  if (n < min || n > max) {
    const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw semanticError(
      `The function '${call.name}' expects ${expected} argument(s), got ${n}: '${textOf(call.node)}'.`,
      'SEM0219',
    );
  }
}

function expectCategory(call: FunctionCall, index: number, ...categories: string[]): void {
  const arg = call.args[index];
  if (!arg || arg.nullLiteral) return;
  const category = categoryOf(arg.type);
  if (category !== 'dynamic' && !categories.includes(category)) {
    throw semanticError(
      `The function '${call.name}' expects argument ${index + 1} of type ${categories.join(' or ')}, got ${arg.type}.`,
      'SEM0219',
    );
  }
}

/** Builds the call: folds constants when `pure`, otherwise evaluates the arguments per row. */
function build(
  call: FunctionCall,
  type: KType,
  impl: (values: KValue[], row: Row) => KValue,
  pure = true,
): Compiled {
  const evals = call.args.map((a) => a.eval);
  if (pure && call.args.every((a) => a.constant)) {
    return constant(
      impl(
        evals.map((e) => e(EMPTY_ROW)),
        EMPTY_ROW,
      ),
      type,
    );
  }
  if (evals.length === 1) {
    const e0 = evals[0]!;
    return { type, eval: (row) => impl([e0(row)], row), constant: false };
  }
  return {
    type,
    eval: (row) =>
      impl(
        evals.map((e) => e(row)),
        row,
      ),
    constant: false,
  };
}

/** Result type of branches (iff/case/coalesce): the first one that is not a bare null, widened to real when numbers mix. */
function branchType(branches: readonly Compiled[]): KType {
  const typed = branches.filter((b) => !b.nullLiteral);
  const first = typed[0]?.type ?? 'dynamic';
  if (typed.some((b) => b.type === 'real') && typed.every((b) => categoryOf(b.type) === 'number'))
    return 'real';
  if (typed.some((b) => b.type === 'long') && typed.every((b) => b.type === 'int' || b.type === 'long'))
    return 'long';
  return first;
}

const num = (v: KValue): number | null => (typeof v === 'number' ? v : null);

/** Ticks (100 ns) for tolong()/toreal() of datetimes and timespans. */
function toNumber(value: KValue, type: KType): number | null {
  if (value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') {
    if (type === 'timespan') return value * 10_000;
    if (type === 'datetime') return (value + TICK_ORIGIN_MS) * 10_000;
    return value;
  }
  if (typeof value === 'string') {
    const t = value.trim();
    if (t === '') return null;
    const n = Number(t);
    return Number.isNaN(n) ? null : n;
  }
  return null;
}

function toDatetime(value: KValue, type: KType): KValue {
  if (value === null) return null;
  if (type === 'datetime') return value;
  if (typeof value === 'string') return parseDatetime(value) ?? null;
  return null;
}

function toTimespan(value: KValue, type: KType): KValue {
  if (value === null) return null;
  if (type === 'timespan') return value;
  if (typeof value === 'string') return parseTimespan(value) ?? null;
  if (typeof value === 'number') return value / 10_000; // numbers are ticks
  return null;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parseCursor(value: KValue, fn: string): bigint | null {
  const text = str(value).trim();
  if (text === '') return null; // '' is the cursor before any data
  if (!/^\d+$/.test(text)) throw KustoError.badRequest(`${fn}(): '${text}' is not a valid database cursor.`);
  return BigInt(text);
}

/** cursor_after / cursor_before_or_at: compares the row's hidden cursor with the argument. */
function cursorPredicate(after: boolean): ScalarFunction {
  return (call) => {
    arity(call, 1);
    const arg = call.args[0]!;
    const fixed = arg.constant ? parseCursor(arg.eval(EMPTY_ROW), call.name) : undefined;
    return {
      type: 'bool',
      constant: false,
      eval: (row) => {
        if (!row.meta) {
          throw KustoError.badRequest(
            `${call.name}(): can only be invoked on records of a table with the IngestionTime policy (the input has no database cursor).`,
          );
        }
        const bound = fixed !== undefined ? fixed : parseCursor(arg.eval(row), call.name);
        if (bound === null) return after;
        return after ? row.meta.cursor > bound : row.meta.cursor <= bound;
      },
    };
  };
}

function calendar(fn: (ms: number, offset: number) => number): ScalarFunction {
  return (call) => {
    arity(call, 1, 2);
    expectCategory(call, 0, 'datetime');
    return build(call, 'datetime', ([v, offset]) => {
      const ms = num(v ?? null);
      return ms === null ? null : fn(ms, num(offset ?? null) ?? 0);
    });
  };
}

function binCall(call: FunctionCall): Compiled {
  const [value, size] = call.args;
  const isDatetime = value!.type === 'datetime';
  if ((isDatetime || value!.type === 'timespan') && size!.type !== 'timespan' && !size!.nullLiteral) {
    throw semanticError(
      `The function '${call.name}' needs a timespan bin size for a ${value!.type} value.`,
      'SEM0219',
    );
  }
  const type: KType = value!.type === 'dynamic' ? 'real' : value!.type;
  return build(call, type, ([v, s]) => {
    const x = num(v ?? null);
    const n = num(s ?? null);
    return x === null || n === null ? null : binValue(x, n, isDatetime);
  });
}

function conversion(type: KType, convert: (value: KValue, from: KType) => KValue): ScalarFunction {
  return (call) => {
    arity(call, 1);
    const from = call.args[0]!.type;
    return build(call, type, ([v]) => convert(v ?? null, from));
  };
}

function stringFn(type: KType, fn: (s: string) => KValue): ScalarFunction {
  return (call) => {
    arity(call, 1);
    const from = call.args[0]!.type;
    return build(call, type, ([v]) => fn(stringify(v ?? null, from)));
  };
}

function datePart(fn: (d: Date) => number): ScalarFunction {
  return (call) => {
    arity(call, 1);
    expectCategory(call, 0, 'datetime');
    return build(call, 'int', ([v]) => (typeof v === 'number' ? fn(new Date(v)) : null));
  };
}

function extremum(pick: (a: number, b: number) => boolean): ScalarFunction {
  return (call) => {
    arity(call, 2, 64);
    return build(call, branchType(call.args), (values) => {
      let best: KValue = null;
      for (const v of values)
        if (v !== null && (best === null || pick(v as number, best as number))) best = v;
      return best;
    });
  };
}

const FUNCTIONS: Record<string, ScalarFunction> = {
  now: (call) => {
    arity(call, 0, 1);
    const now = queryNow(call.ctx.scope);
    return build(call, 'datetime', ([offset]) => now + (num(offset ?? null) ?? 0));
  },
  ago: (call) => {
    arity(call, 1);
    expectCategory(call, 0, 'timespan');
    const now = queryNow(call.ctx.scope);
    return build(call, 'datetime', ([span]) => (typeof span === 'number' ? now - span : null));
  },
  ingestion_time: (call) => {
    arity(call, 0);
    return { type: 'datetime', constant: false, eval: (row) => row.meta?.ingestionTime ?? null };
  },
  cursor_after: cursorPredicate(true),
  cursor_before_or_at: cursorPredicate(false),
  cursor_current: (call) => {
    arity(call, 0);
    return constant(String(queryCursor(call.ctx.scope)), 'string');
  },
  not: (call) => {
    arity(call, 1);
    expectCategory(call, 0, 'bool');
    return build(call, 'bool', ([v]) => {
      const b = truth(v ?? null);
      return b === null ? null : !b;
    });
  },
  isnull: (call) => {
    arity(call, 1);
    // Kusto strings are never null: isnull('') is false.
    if (categoryOf(call.args[0]!.type) === 'string') return constant(false, 'bool');
    return build(call, 'bool', ([v]) => v === null);
  },
  isnotnull: (call) => {
    arity(call, 1);
    if (categoryOf(call.args[0]!.type) === 'string') return constant(true, 'bool');
    return build(call, 'bool', ([v]) => v !== null);
  },
  isempty: (call) => {
    arity(call, 1);
    return build(call, 'bool', ([v]) => v === null || v === '');
  },
  isnotempty: (call) => {
    arity(call, 1);
    return build(call, 'bool', ([v]) => v !== null && v !== '');
  },
  iff: (call) => {
    arity(call, 3);
    expectCategory(call, 0, 'bool');
    const [c, a, b] = call.args.map((x) => x.eval) as [Compiled['eval'], Compiled['eval'], Compiled['eval']];
    const type = branchType(call.args.slice(1));
    if (call.args.every((x) => x.constant))
      return constant(c(EMPTY_ROW) === true ? a(EMPTY_ROW) : b(EMPTY_ROW), type);
    return { type, constant: false, eval: (row) => (c(row) === true ? a(row) : b(row)) };
  },
  case: (call) => {
    arity(call, 3, Infinity);
    if (call.args.length % 2 === 0)
      throw semanticError(
        `case() needs predicate/value pairs and an else value: '${textOf(call.node)}'.`,
        'SEM0219',
      );
    const evals = call.args.map((x) => x.eval);
    const type = branchType(call.args.filter((_, i) => i % 2 === 1 || i === call.args.length - 1));
    return {
      type,
      constant: false,
      eval: (row) => {
        for (let i = 0; i + 1 < evals.length; i += 2) if (evals[i]!(row) === true) return evals[i + 1]!(row);
        return evals[evals.length - 1]!(row);
      },
    };
  },
  coalesce: (call) => {
    arity(call, 2, 64);
    return build(call, branchType(call.args), (values) => values.find((v) => v !== null && v !== '') ?? null);
  },
  tostring: (call) => {
    arity(call, 1);
    const from = call.args[0]!.type;
    return build(call, 'string', ([v]) => (v === null || v === undefined ? '' : stringify(v, from)));
  },
  toint: conversion('int', (v, from) => {
    const n = toNumber(v, from);
    return n === null || !Number.isFinite(n) ? null : Math.trunc(n);
  }),
  tolong: conversion('long', (v, from) => {
    const n = toNumber(v, from);
    return n === null || !Number.isFinite(n) ? null : Math.trunc(n);
  }),
  toreal: conversion('real', toNumber),
  todouble: conversion('real', toNumber),
  todecimal: conversion('decimal', toNumber),
  tobool: conversion('bool', (v) => coerce(v, 'bool')),
  toguid: conversion('guid', (v) =>
    typeof v === 'string' && GUID.test(v.trim()) ? v.trim().toLowerCase() : null,
  ),
  todatetime: conversion('datetime', toDatetime),
  totimespan: conversion('timespan', toTimespan),
  totime: conversion('timespan', toTimespan),
  todynamic: conversion('dynamic', (v, from) => (from === 'string' ? coerce(v, 'dynamic') : v)),
  parse_json: conversion('dynamic', (v, from) => (from === 'string' ? coerce(v, 'dynamic') : v)),
  strlen: stringFn('long', (s) => Array.from(s).length),
  tolower: stringFn('string', (s) => s.toLowerCase()),
  toupper: stringFn('string', (s) => s.toUpperCase()),
  strcat: (call) => {
    arity(call, 1, 64);
    const types = call.args.map((a) => a.type);
    return build(call, 'string', (values) =>
      values.map((v, i) => (v === null ? '' : stringify(v, types[i]!))).join(''),
    );
  },
  substring: (call) => {
    arity(call, 2, 3);
    const from = call.args[0]!.type;
    return build(call, 'string', ([v, start, length]) => {
      const chars = Array.from(stringify(v ?? null, from));
      const s = Math.max(0, num(start ?? null) ?? 0);
      const n = length === undefined ? chars.length : Math.max(0, num(length) ?? 0);
      return chars.slice(s, s + n).join('');
    });
  },
  split: (call) => {
    arity(call, 2, 3);
    return build(call, 'dynamic', ([v, delim, index]) => {
      const parts = str(v ?? null).split(str(delim ?? null));
      if (index === undefined) return parts;
      const i = num(index);
      return i === null || i < 0 || i >= parts.length ? [] : [parts[i]!];
    });
  },
  replace_string: (call) => {
    arity(call, 3);
    return build(call, 'string', ([v, lookup, rewrite]) => {
      const needle = str(lookup ?? null);
      return needle === ''
        ? str(v ?? null)
        : str(v ?? null)
            .split(needle)
            .join(str(rewrite ?? null));
    });
  },
  indexof: (call) => {
    arity(call, 2, 3);
    return build(call, 'long', ([v, lookup, start]) =>
      str(v ?? null).indexOf(str(lookup ?? null), num(start ?? null) ?? 0),
    );
  },
  extract: (call) => {
    arity(call, 3);
    const pattern = call.args[0]!;
    const cached = pattern.constant ? new RegExp(str(pattern.eval(EMPTY_ROW))) : undefined;
    return build(call, 'string', ([re, group, text]) => {
      const m = (cached ?? new RegExp(str(re ?? null))).exec(str(text ?? null));
      return m ? (m[num(group ?? null) ?? 0] ?? null) : null;
    });
  },
  array_length: (call) => {
    arity(call, 1);
    return build(call, 'long', ([v]) => (Array.isArray(v) ? v.length : null));
  },
  startofday: calendar(startOfDay),
  startofweek: calendar(startOfWeek),
  startofmonth: calendar(startOfMonth),
  startofyear: calendar(startOfYear),
  endofday: calendar((ms, offset) => startOfDay(ms, offset + 1) - 0.0001),
  getyear: datePart((d) => d.getUTCFullYear()),
  getmonth: datePart((d) => d.getUTCMonth() + 1),
  dayofmonth: datePart((d) => d.getUTCDate()),
  hourofday: datePart((d) => d.getUTCHours()),
  bin: (call) => {
    arity(call, 2);
    return binCall(call);
  },
  floor: (call) => {
    arity(call, 1, 2);
    if (call.args.length === 2) return binCall(call);
    return build(call, call.args[0]!.type, ([v]) => (typeof v === 'number' ? Math.floor(v) : null));
  },
  round: (call) => {
    arity(call, 1, 2);
    return build(call, call.args[0]!.type, ([v, digits]) => {
      if (typeof v !== 'number') return null;
      const f = 10 ** (num(digits ?? null) ?? 0);
      return (Math.sign(v) * Math.round(Math.abs(v) * f)) / f;
    });
  },
  abs: (call) => {
    arity(call, 1);
    return build(call, call.args[0]!.type, ([v]) => (typeof v === 'number' ? Math.abs(v) : null));
  },
  max_of: extremum((a, b) => a > b),
  min_of: extremum((a, b) => a < b),
  format_datetime: (call) => {
    arity(call, 2);
    expectCategory(call, 0, 'datetime');
    return build(call, 'string', ([v, pattern]) =>
      typeof v === 'number' ? formatDatetimePattern(v, str(pattern ?? null)) : '',
    );
  },
  column_ifexists: (call) => {
    arity(call, 2);
    const name = nameOf(call.argNodes[0]!);
    const index = call.ctx.index.get(name);
    if (index === undefined) return call.args[1]!;
    const type = call.ctx.columns[index]!.type;
    return { type, constant: false, eval: (row) => row.values[index] ?? null };
  },
};

const ALIASES: Record<string, string> = {
  iif: 'iff',
  current_cursor: 'cursor_current',
  toboolean: 'tobool',
  toobject: 'todynamic',
};

/** The scalar function named `name`, if the emulator implements it. */
export function scalarFunction(name: string): ScalarFunction | undefined {
  return FUNCTIONS[ALIASES[name] ?? name];
}

/** Names of the implemented scalar functions (for documentation and tests). */
export function scalarFunctionNames(): string[] {
  return [...Object.keys(FUNCTIONS), ...Object.keys(ALIASES).filter((a) => FUNCTIONS[ALIASES[a]!])].sort();
}
