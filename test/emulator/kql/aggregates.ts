/**
 * Aggregation functions for `summarize`. Each call compiles its arguments once and hands out one
 * accumulator per group.
 */
import type { Column, KType, KValue } from '../values';
import type { CompileContext, Compiled } from './context';
import { compileScalar } from './expressions';
import { nameOf } from './literals';
import { categoryOf, sortOrder, str, truth } from './ops';
import { kindOf, listItems, part, semanticError, textOf, unsupported, type SyntaxElement } from './syntax';
import type { Row } from './types';

/** Per-group state of one aggregation. */
export interface Accumulator {
  add(row: Row): void;
  result(): KValue[];
}

/** A compiled aggregation call: its output columns (arg_max yields several) and an accumulator factory. */
export interface AggregateCall {
  readonly columns: Column[];
  newAccumulator(): Accumulator;
}

interface AggregateArgs {
  readonly fn: string;
  readonly argNodes: readonly SyntaxElement[];
  readonly ctx: CompileContext;
  /** Name given with `name = agg(...)`, if any. */
  readonly outName: string | undefined;
  /** Names of the by-columns (excluded from `arg_max(x, *)`). */
  readonly byNames: ReadonlySet<string>;
  readonly node: SyntaxElement;
}

type AggregateFactory = (a: AggregateArgs) => AggregateCall;

/** First input column referenced by an expression; Kusto derives default column names from it. */
export function firstColumnName(node: SyntaxElement, ctx: CompileContext): string | undefined {
  if (kindOf(node) === 'NameReference') {
    const name = nameOf(node);
    if (ctx.index.has(name)) return name;
  }
  for (let i = 0; i < node.ChildCount; i++) {
    const child = node.GetChild(i);
    if (!child || child.IsToken) continue;
    const found = firstColumnName(child, ctx);
    if (found !== undefined) return found;
  }
  return undefined;
}

function args(a: AggregateArgs, min: number, max = min): Compiled[] {
  const n = a.argNodes.length;
  if (n < min || n > max) {
    throw semanticError(
      `The aggregation '${a.fn}' expects ${min === max ? min : `${min} to ${max}`} argument(s): '${textOf(a.node)}'.`,
      'SEM0219',
    );
  }
  return a.argNodes.map((node) => compileScalar(node, a.ctx));
}

function defaultName(a: AggregateArgs, prefix: string): string {
  const first = a.argNodes[0];
  return a.outName ?? `${prefix}_${first ? (firstColumnName(first, a.ctx) ?? '') : ''}`;
}

function single(
  type: KType,
  name: string,
  make: () => { add(row: Row): void; value(): KValue },
): AggregateCall {
  return {
    columns: [{ name, type }],
    newAccumulator: () => {
      const acc = make();
      return { add: (row) => acc.add(row), result: () => [acc.value()] };
    },
  };
}

function sumType(type: KType): KType {
  if (type === 'int' || type === 'long') return 'long';
  if (type === 'timespan' || type === 'decimal') return type;
  return 'real';
}

function sum(
  a: AggregateArgs,
  value: Compiled,
  predicate: Compiled | undefined,
  prefix: string,
): AggregateCall {
  const c = categoryOf(value.type);
  if (c !== 'number' && c !== 'timespan' && c !== 'dynamic')
    throw semanticError(`'${a.fn}' needs a numeric argument, got ${value.type}.`, 'SEM0219');
  const e = value.eval;
  const p = predicate?.eval;
  return single(sumType(value.type), defaultName(a, prefix), () => {
    let total: number | null = null;
    return {
      add: (row) => {
        if (p && p(row) !== true) return;
        const v = e(row);
        if (typeof v === 'number') total = (total ?? 0) + v;
      },
      value: () => total,
    };
  });
}

function extreme(a: AggregateArgs, sign: 1 | -1): AggregateCall {
  const [value] = args(a, 1);
  const e = value!.eval;
  const order = sortOrder(value!.type);
  return single(value!.type, defaultName(a, sign > 0 ? 'max' : 'min'), () => {
    let best: KValue = null;
    return {
      add: (row) => {
        const v = e(row);
        if (v !== null && (best === null || order(v, best) * sign > 0)) best = v;
      },
      value: () => best,
    };
  });
}

/** arg_max / arg_min: the row with the extreme value, projected to the listed columns (`*` = all but the by-columns). */
function argExtreme(a: AggregateArgs, sign: 1 | -1): AggregateCall {
  if (a.argNodes.length < 2)
    throw semanticError(
      `'${a.fn}' expects an expression and at least one column or '*': '${textOf(a.node)}'.`,
      'SEM0219',
    );
  const [byNode, ...rest] = a.argNodes;
  const by = compileScalar(byNode!, a.ctx);
  const byColumn =
    kindOf(byNode!) === 'NameReference' && a.ctx.index.has(nameOf(byNode!)) ? nameOf(byNode!) : undefined;
  const byName =
    a.outName ?? byColumn ?? `${sign > 0 ? 'max' : 'min'}_${firstColumnName(byNode!, a.ctx) ?? ''}`;
  const outputs: { name: string; compiled: Compiled }[] = [];
  for (const node of rest) {
    if (kindOf(node) === 'StarExpression') {
      a.ctx.columns.forEach((column, index) => {
        if (a.byNames.has(column.name) || column.name === byColumn) return;
        outputs.push({
          name: column.name,
          compiled: { type: column.type, constant: false, eval: (row) => row.values[index] ?? null },
        });
      });
    } else if (kindOf(node) === 'SimpleNamedExpression') {
      outputs.push({
        name: nameOf(part(node, 'Name')),
        compiled: compileScalar(part(node, 'Expression'), a.ctx),
      });
    } else {
      outputs.push({
        name: firstColumnName(node, a.ctx) ?? textOf(node),
        compiled: compileScalar(node, a.ctx),
      });
    }
  }
  const e = by.eval;
  const order = sortOrder(by.type);
  const evals = outputs.map((o) => o.compiled.eval);
  return {
    columns: [
      { name: byName, type: by.type },
      ...outputs.map((o) => ({ name: o.name, type: o.compiled.type })),
    ],
    newAccumulator: () => {
      let best: KValue = null;
      let bestRow: Row | undefined;
      return {
        add: (row) => {
          const v = e(row);
          if (v === null) return;
          if (bestRow === undefined || best === null || order(v, best) * sign > 0) {
            best = v;
            bestRow = row;
          }
        },
        result: () => [best, ...evals.map((ev) => (bestRow ? ev(bestRow) : null))],
      };
    },
  };
}

function distinctKey(v: KValue): unknown {
  return v !== null && typeof v === 'object' ? `j:${JSON.stringify(v)}` : v;
}

function collect(a: AggregateArgs, prefix: string, unique: boolean): AggregateCall {
  const [value] = args(a, 1, 2);
  const e = value!.eval;
  return single('dynamic', defaultName(a, prefix), () => {
    const items: unknown[] = [];
    const seen = new Set<unknown>();
    return {
      add: (row) => {
        const v = e(row);
        if (v === null) return;
        if (unique) {
          const key = distinctKey(v);
          if (seen.has(key)) return;
          seen.add(key);
        }
        items.push(v);
      },
      value: () => items,
    };
  });
}

function takeAny(a: AggregateArgs, prefix: string): AggregateCall {
  const compiled = args(a, 1, 64);
  const names = a.argNodes.map(
    (n, i) => (i === 0 && a.outName) || `${prefix}_${firstColumnName(n, a.ctx) ?? ''}`,
  );
  return {
    columns: compiled.map((c, i) => ({ name: names[i]!, type: c.type })),
    newAccumulator: () => {
      let first: Row | undefined;
      return {
        add: (row) => {
          first ??= row;
        },
        result: () => compiled.map((c) => (first ? c.eval(first) : null)),
      };
    },
  };
}

const AGGREGATES: Record<string, AggregateFactory> = {
  count: (a) => {
    args(a, 0);
    return single('long', a.outName ?? 'count_', () => {
      let n = 0;
      return {
        add: () => {
          n++;
        },
        value: () => n,
      };
    });
  },
  countif: (a) => {
    const [p] = args(a, 1);
    const e = p!.eval;
    return single('long', a.outName ?? 'countif_', () => {
      let n = 0;
      return {
        add: (row) => {
          if (truth(e(row)) === true) n++;
        },
        value: () => n,
      };
    });
  },
  sum: (a) => sum(a, args(a, 1)[0]!, undefined, 'sum'),
  sumif: (a) => {
    const [value, predicate] = args(a, 2);
    return sum(a, value!, predicate, 'sumif');
  },
  min: (a) => extreme(a, -1),
  max: (a) => extreme(a, 1),
  avg: (a) => {
    const [value] = args(a, 1);
    const c = categoryOf(value!.type);
    if (c !== 'number' && c !== 'timespan' && c !== 'dynamic')
      throw semanticError(`'avg' needs a numeric argument, got ${value!.type}.`, 'SEM0219');
    const e = value!.eval;
    return single(c === 'timespan' ? 'timespan' : 'real', defaultName(a, 'avg'), () => {
      let total = 0;
      let n = 0;
      return {
        add: (row) => {
          const v = e(row);
          if (typeof v === 'number') {
            total += v;
            n++;
          }
        },
        value: () => (n === 0 ? null : total / n),
      };
    });
  },
  dcount: (a) => {
    const [value] = args(a, 1, 2);
    const e = value!.eval;
    const isString = categoryOf(value!.type) === 'string';
    return single('long', defaultName(a, 'dcount'), () => {
      const seen = new Set<unknown>();
      return {
        add: (row) => {
          const v = e(row);
          if (isString) seen.add(str(v));
          else if (v !== null) seen.add(distinctKey(v));
        },
        value: () => seen.size,
      };
    });
  },
  arg_max: (a) => argExtreme(a, 1),
  arg_min: (a) => argExtreme(a, -1),
  make_list: (a) => collect(a, 'list', false),
  make_set: (a) => collect(a, 'set', true),
  take_any: (a) => takeAny(a, 'any'),
  any: (a) => takeAny(a, 'any'),
};

/** Whether the emulator implements the aggregation `name`. */
export function isAggregate(name: string): boolean {
  return Object.hasOwn(AGGREGATES, name);
}

/** Names of the implemented aggregations (for documentation and tests). */
export function aggregateNames(): string[] {
  return Object.keys(AGGREGATES).sort();
}

/**
 * Compiles one summarize aggregation: `agg(...)` or `name = agg(...)`. Expressions over aggregates
 * (`count() * 2`) are not supported.
 */
export function compileAggregate(
  node: SyntaxElement,
  ctx: CompileContext,
  byNames: ReadonlySet<string>,
): AggregateCall {
  let outName: string | undefined;
  let call = node;
  if (kindOf(node) === 'SimpleNamedExpression') {
    outName = nameOf(part(node, 'Name'));
    call = part(node, 'Expression');
  }
  if (kindOf(call) !== 'FunctionCallExpression')
    throw unsupported(`The summarize aggregate '${textOf(node)}' (only plain aggregation calls)`);
  const fn = nameOf(part(call, 'Name'));
  const factory = AGGREGATES[fn];
  if (!factory) throw unsupported(`The aggregation function '${fn}'`);
  const argNodes = listItems(part(call, 'ArgumentList').Expressions as SyntaxElement | null);
  return factory({ fn, argNodes, ctx, outName, byNames, node: call });
}
