/**
 * Compiles scalar expression nodes of the official parser's tree into closures over rows. The tree
 * is walked once per operator; rows only run the closures.
 */
import { kustoLanguage } from '../../../lib/kusto/language';
import type { KType, KValue } from '../values';
import { constant, EMPTY_ROW, type CompileContext, type Compiled } from './context';
import { scalarFunction } from './functions';
import { isLiteral, literalValue, nameOf } from './literals';
import {
  arithmetic,
  categoryOf,
  comparerFor,
  str,
  stringify,
  termMatch,
  truth,
  type ArithmeticOp,
} from './ops';
import { kindOf, listItems, part, semanticError, textOf, unsupported, type SyntaxElement } from './syntax';
import type { Row } from './types';

type Handler = (node: SyntaxElement, ctx: CompileContext) => Compiled;

/** Compiles a scalar expression against the context's columns; throws KustoError for semantic errors and unsupported syntax. */
export function compileScalar(node: SyntaxElement, ctx: CompileContext): Compiled {
  const kind = kindOf(node);
  if (isLiteral(node) && kind !== 'ParenthesizedExpression') {
    const literal = literalValue(node);
    return constant(literal.value, literal.type, kind === 'NullLiteralExpression');
  }
  const handler = HANDLERS[kind];
  if (!handler) throw unsupported(`The expression '${textOf(node)}' (${kind})`);
  return handler(node, ctx);
}

/** Combines two operands; folds to a constant when both are constant. */
function binary(
  left: Compiled,
  right: Compiled,
  type: KType,
  fn: (a: KValue, b: KValue) => KValue,
): Compiled {
  const l = left.eval;
  const r = right.eval;
  if (left.constant && right.constant) return constant(fn(l(EMPTY_ROW), r(EMPTY_ROW)), type);
  if (right.constant) {
    const b = r(EMPTY_ROW);
    return { type, constant: false, eval: (row) => fn(l(row), b) };
  }
  return { type, constant: false, eval: (row) => fn(l(row), r(row)) };
}

function operands(node: SyntaxElement, ctx: CompileContext): [Compiled, Compiled] {
  return [compileScalar(part(node, 'Left'), ctx), compileScalar(part(node, 'Right'), ctx)];
}

function operatorText(node: SyntaxElement): string {
  return String((node.Operator as SyntaxElement | null)?.Text ?? kindOf(node));
}

function nameReference(node: SyntaxElement, ctx: CompileContext): Compiled {
  const name = nameOf(node);
  const index = ctx.index.get(name);
  if (index !== undefined) {
    return { type: ctx.columns[index]!.type, constant: false, eval: (row) => row.values[index] ?? null };
  }
  const binding = ctx.scope.lets.get(name);
  if (binding?.kind === 'scalar') return constant(binding.value, binding.type);
  if (binding)
    throw semanticError(
      `'${ctx.operator}' operator: '${name}' is a tabular expression and cannot be used as a scalar.`,
    );
  // Outside dynamic literals the parser reads a bare `null` as a name.
  if (name === 'null') return constant(null, 'dynamic', true);
  throw semanticError(`'${ctx.operator}' operator: Failed to resolve scalar expression named '${name}'`);
}

function unaryMinus(node: SyntaxElement, ctx: CompileContext): Compiled {
  const inner = compileScalar(part(node, 'Expression'), ctx);
  const category = categoryOf(inner.type);
  if (category !== 'number' && category !== 'timespan' && category !== 'dynamic') {
    throw semanticError(`Cannot apply unary '-' to a value of type ${inner.type}.`, 'SEM0002');
  }
  const e = inner.eval;
  const negate = (v: KValue): KValue => (typeof v === 'number' ? -v : null);
  return inner.constant
    ? constant(negate(e(EMPTY_ROW)), inner.type)
    : { type: inner.type, constant: false, eval: (row) => negate(e(row)) };
}

function arithmeticHandler(op: ArithmeticOp): Handler {
  return (node, ctx) => {
    const [left, right] = operands(node, ctx);
    const { type, fn } = arithmetic(op, left.type, right.type);
    return binary(left, right, type, (a, b) =>
      typeof a === 'number' && typeof b === 'number' ? fn(a, b) : null,
    );
  };
}

type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

function comparisonHandler(op: CompareOp): Handler {
  return (node, ctx) => {
    const [left, right] = operands(node, ctx);
    const cmp = comparerFor(left.type, right.type, op);
    const test: (a: KValue, b: KValue) => KValue = (() => {
      switch (op) {
        case '==':
          return cmp.eq;
        case '!=':
          return (a, b) => {
            const e = cmp.eq(a, b);
            return e === null ? null : !e;
          };
        case '<':
          return (a, b) => {
            const o = cmp.order(a, b);
            return o === null ? null : o < 0;
          };
        case '<=':
          return (a, b) => {
            const o = cmp.order(a, b);
            return o === null ? null : o <= 0;
          };
        case '>':
          return (a, b) => {
            const o = cmp.order(a, b);
            return o === null ? null : o > 0;
          };
        case '>=':
          return (a, b) => {
            const o = cmp.order(a, b);
            return o === null ? null : o >= 0;
          };
      }
    })();
    return binary(left, right, 'bool', test);
  };
}

function caseInsensitiveEquality(negate: boolean): Handler {
  return (node, ctx) => {
    const [left, right] = operands(node, ctx);
    for (const side of [left, right]) {
      const c = categoryOf(side.type);
      if (c !== 'string' && c !== 'guid' && c !== 'dynamic') {
        throw semanticError(
          `'${operatorText(node)}' needs string operands, got ${left.type} and ${right.type}.`,
          'SEM0002',
        );
      }
    }
    return binary(left, right, 'bool', (a, b) => (str(a).toLowerCase() === str(b).toLowerCase()) !== negate);
  };
}

function expectBool(c: Compiled, what: string): void {
  const category = categoryOf(c.type);
  if (category !== 'bool' && category !== 'dynamic')
    throw semanticError(`${what} expects a bool operand, got ${c.type}.`, 'SEM0002');
}

function logical(isAnd: boolean): Handler {
  return (node, ctx) => {
    const [left, right] = operands(node, ctx);
    expectBool(left, isAnd ? "'and'" : "'or'");
    expectBool(right, isAnd ? "'and'" : "'or'");
    const l = left.eval;
    const r = right.eval;
    const decisive = !isAnd; // false decides 'and', true decides 'or'
    const fn = (row: Row): KValue => {
      const a = truth(l(row));
      if (a === decisive) return decisive;
      const b = truth(r(row));
      if (b === decisive) return decisive;
      return a === null || b === null ? null : !decisive;
    };
    return left.constant && right.constant
      ? constant(fn(EMPTY_ROW), 'bool')
      : { type: 'bool', constant: false, eval: fn };
  };
}

/** Set key of a value for `in`: numbers of any numeric type match each other, strings optionally case-folded. */
function inKey(value: KValue, caseInsensitive: boolean): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return `s:${caseInsensitive ? value.toLowerCase() : value}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value}:${String(value)}`;
  return `j:${JSON.stringify(value)}`;
}

function inHandler(negate: boolean, caseInsensitive: boolean): Handler {
  return (node, ctx) => {
    const left = compileScalar(part(node, 'Left'), ctx);
    const listNode = part(node, 'Right');
    const items = listItems(listNode.Expressions as SyntaxElement | null);
    const constantKeys = new Set<string>();
    const dynamicItems: Compiled[] = [];
    const addValue = (v: KValue): void => {
      if (Array.isArray(v)) for (const x of v) addValue(x as KValue);
      else {
        const key = inKey(v, caseInsensitive);
        if (key !== null) constantKeys.add(key);
      }
    };
    for (const item of items) {
      const sub = ctx.scope.subqueries.get(item);
      if (sub?.kind === 'list') for (const v of sub.values) addValue(v);
      else {
        const compiled = compileScalar(item, ctx);
        if (compiled.constant) addValue(compiled.eval(EMPTY_ROW));
        else dynamicItems.push(compiled);
      }
    }
    const isString = categoryOf(left.type) === 'string';
    const l = left.eval;
    return {
      type: 'bool',
      constant: false,
      eval: (row) => {
        const v = l(row);
        const key = inKey(isString ? str(v) : v, caseInsensitive);
        if (key === null) return negate;
        let found = constantKeys.has(key);
        for (let i = 0; !found && i < dynamicItems.length; i++) {
          const other = dynamicItems[i]!.eval(row);
          found = Array.isArray(other)
            ? other.some((x) => inKey(x as KValue, caseInsensitive) === key)
            : inKey(other, caseInsensitive) === key;
        }
        return found !== negate;
      },
    };
  };
}

function betweenHandler(negate: boolean): Handler {
  return (node, ctx) => {
    const left = compileScalar(part(node, 'Left'), ctx);
    const couple = part(node, 'Right');
    const low = compileScalar(part(couple, 'First'), ctx);
    let high = compileScalar(part(couple, 'Second'), ctx);
    if (left.type === 'datetime' && high.type === 'timespan') {
      // `between (start .. 1d)` means up to start + 1d.
      high = binary(low, high, 'datetime', (a, b) =>
        typeof a === 'number' && typeof b === 'number' ? a + b : null,
      );
    }
    const lowCmp = comparerFor(left.type, low.type, 'between');
    const highCmp = comparerFor(left.type, high.type, 'between');
    const l = left.eval;
    const lo = low.eval;
    const hi = high.eval;
    return {
      type: 'bool',
      constant: false,
      eval: (row) => {
        const v = l(row);
        const a = lowCmp.order(v, lo(row));
        const b = highCmp.order(v, hi(row));
        if (a === null || b === null) return null;
        return (a >= 0 && b <= 0) !== negate;
      },
    };
  };
}

interface StringOp {
  readonly cs: boolean;
  readonly negate: boolean;
  readonly test: (hay: string, needle: string) => boolean;
}

const contains = (h: string, n: string): boolean => h.includes(n);
const startsWith = (h: string, n: string): boolean => h.startsWith(n);
const endsWith = (h: string, n: string): boolean => h.endsWith(n);
const has = (h: string, n: string): boolean => termMatch(h, n, 'whole');
const hasPrefix = (h: string, n: string): boolean => termMatch(h, n, 'prefix');
const hasSuffix = (h: string, n: string): boolean => termMatch(h, n, 'suffix');

function stringOps(base: string, test: StringOp['test']): Record<string, StringOp> {
  return {
    [`${base}Expression`]: { cs: false, negate: false, test },
    [`${base}CsExpression`]: { cs: true, negate: false, test },
    [`Not${base}Expression`]: { cs: false, negate: true, test },
    [`Not${base}CsExpression`]: { cs: true, negate: true, test },
  };
}

const STRING_OPS: Record<string, StringOp> = {
  ...stringOps('Has', has),
  ...stringOps('HasPrefix', hasPrefix),
  ...stringOps('HasSuffix', hasSuffix),
  ...stringOps('Contains', contains),
  ...stringOps('StartsWith', startsWith),
  ...stringOps('EndsWith', endsWith),
};

function stringOpHandler(op: StringOp): Handler {
  return (node, ctx) => {
    const [left, right] = operands(node, ctx);
    const lt = left.type;
    const rt = right.type;
    const fold = op.cs ? (s: string): string => s : (s: string): string => s.toLowerCase();
    const l = left.eval;
    if (right.constant) {
      const needle = fold(stringify(right.eval(EMPTY_ROW), rt));
      return {
        type: 'bool',
        constant: false,
        eval: (row) => op.test(fold(stringify(l(row), lt)), needle) !== op.negate,
      };
    }
    const r = right.eval;
    return {
      type: 'bool',
      constant: false,
      eval: (row) => op.test(fold(stringify(l(row), lt)), fold(stringify(r(row), rt))) !== op.negate,
    };
  };
}

function matchesRegex(node: SyntaxElement, ctx: CompileContext): Compiled {
  const [left, right] = operands(node, ctx);
  if (!right.constant) throw unsupported(`A non-constant regular expression in '${textOf(node)}'`);
  const re = new RegExp(str(right.eval(EMPTY_ROW)));
  const l = left.eval;
  return { type: 'bool', constant: false, eval: (row) => re.test(stringify(l(row), left.type)) };
}

function hasAnyAll(all: boolean): Handler {
  return (node, ctx) => {
    const left = compileScalar(part(node, 'Left'), ctx);
    const list = part(node, 'Right');
    const needles: string[] = [];
    for (const item of listItems(list.Expressions as SyntaxElement | null)) {
      const c = compileScalar(item, ctx);
      if (!c.constant) throw unsupported(`A non-constant value in '${textOf(node)}'`);
      const v = c.eval(EMPTY_ROW);
      for (const x of Array.isArray(v) ? (v as KValue[]) : [v])
        needles.push(stringify(x, c.type).toLowerCase());
    }
    const l = left.eval;
    return {
      type: 'bool',
      constant: false,
      eval: (row) => {
        const hay = stringify(l(row), left.type).toLowerCase();
        return all ? needles.every((n) => has(hay, n)) : needles.some((n) => has(hay, n));
      },
    };
  };
}

/** Whether the parser's built-in symbol tables know `name` as a scalar or aggregate function. */
function builtinKind(name: string): 'scalar' | 'aggregate' | undefined {
  const globals = kustoLanguage().GlobalState.Default;
  if (globals.GetAggregate(name)) return 'aggregate';
  if (globals.GetFunction(name)) return 'scalar';
  return undefined;
}

function functionCall(node: SyntaxElement, ctx: CompileContext): Compiled {
  const name = nameOf(part(node, 'Name'));
  const argNodes = listItems((part(node, 'ArgumentList').Expressions as SyntaxElement | null) ?? null);
  const fn = scalarFunction(name);
  if (!fn) {
    const builtin = builtinKind(name);
    if (builtin === 'aggregate') {
      throw semanticError(
        `'${ctx.operator}' operator: the aggregation function '${name}' is only allowed in summarize.`,
        'SEM0134',
      );
    }
    if (builtin === 'scalar') throw unsupported(`The function '${name}'`);
    throw semanticError(`Unknown function: '${name}'.`, 'SEM0260');
  }
  const args = argNodes.map((a) => {
    if (kindOf(a) === 'StarExpression') throw unsupported(`'*' as an argument of '${name}'`);
    return compileScalar(a, ctx);
  });
  return fn({ name, args, argNodes, ctx, node });
}

function subqueryValue(node: SyntaxElement, ctx: CompileContext): Compiled {
  const sub = ctx.scope.subqueries.get(node);
  if (sub?.kind !== 'scalar') throw unsupported(`The subquery '${textOf(node)}' in this position`);
  return constant(sub.value, sub.type);
}

function dynamicAccess(
  read: (value: unknown, key: KValue) => unknown,
  selectorOf: (node: SyntaxElement, ctx: CompileContext) => Compiled,
): Handler {
  return (node, ctx) => {
    const target = compileScalar(part(node, 'Expression'), ctx);
    if (target.type !== 'dynamic') {
      throw semanticError(
        `'${textOf(node)}': member access needs a dynamic value, got ${target.type}.`,
        'SEM0002',
      );
    }
    const selector = selectorOf(part(node, 'Selector'), ctx);
    return binary(target, selector, 'dynamic', (v, key) => {
      const out = v === null || typeof v !== 'object' ? undefined : read(v, key);
      return out === undefined ? null : (out as KValue);
    });
  };
}

const readProperty = (v: unknown, key: KValue): unknown => {
  if (Array.isArray(v)) {
    if (typeof key !== 'number') return undefined;
    return v[key < 0 ? v.length + key : key];
  }
  return typeof key === 'string' ? (v as Record<string, unknown>)[key] : undefined;
};

const HANDLERS: Record<string, Handler> = {
  NameReference: nameReference,
  ParenthesizedExpression: (node, ctx) => compileScalar(part(node, 'Expression'), ctx),
  UnaryMinusExpression: unaryMinus,
  UnaryPlusExpression: (node, ctx) => compileScalar(part(node, 'Expression'), ctx),
  AddExpression: arithmeticHandler('+'),
  SubtractExpression: arithmeticHandler('-'),
  MultiplyExpression: arithmeticHandler('*'),
  DivideExpression: arithmeticHandler('/'),
  ModuloExpression: arithmeticHandler('%'),
  EqualExpression: comparisonHandler('=='),
  NotEqualExpression: comparisonHandler('!='),
  LessThanExpression: comparisonHandler('<'),
  LessThanOrEqualExpression: comparisonHandler('<='),
  GreaterThanExpression: comparisonHandler('>'),
  GreaterThanOrEqualExpression: comparisonHandler('>='),
  EqualTildeExpression: caseInsensitiveEquality(false),
  BangTildeExpression: caseInsensitiveEquality(true),
  AndExpression: logical(true),
  OrExpression: logical(false),
  InExpression: inHandler(false, false),
  InCsExpression: inHandler(false, true),
  NotInExpression: inHandler(true, false),
  NotInCsExpression: inHandler(true, true),
  BetweenExpression: betweenHandler(false),
  NotBetweenExpression: betweenHandler(true),
  MatchesRegexExpression: matchesRegex,
  HasAnyExpression: hasAnyAll(false),
  HasAllExpression: hasAnyAll(true),
  FunctionCallExpression: functionCall,
  ToScalarExpression: subqueryValue,
  PathExpression: dynamicAccess(readProperty, (selector) => constant(nameOf(selector), 'string')),
  ElementExpression: dynamicAccess(readProperty, (selector, ctx) =>
    compileScalar(part(selector, 'Expression'), ctx),
  ),
  ...Object.fromEntries(Object.entries(STRING_OPS).map(([kind, op]) => [kind, stringOpHandler(op)])),
};
