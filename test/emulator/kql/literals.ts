/**
 * Decoding of literal and name nodes of the official parser's syntax tree into emulator values.
 *
 * Values are read from the literal's own token text rather than from the parser's `LiteralValue`,
 * because the Bridge.NET build loses precision there (sub-millisecond datetimes, `time(1.00:00:00)`
 * reads as zero, `real(nan)` and hex longs read as 0). Strings are the exception: the parser decodes
 * escapes, verbatim (`@'..'`) and obfuscated (`h'..'`) forms correctly.
 */
import { KustoError } from '../kustoError';
import {
  formatDatetime,
  formatTimespan,
  parseDatetime,
  parseTimespan,
  type KType,
  type KValue,
} from '../values';
import { kindOf, listItems, textOf, type SyntaxElement } from './syntax';

/** A decoded literal: its value (null for typed nulls such as `int(null)`) and Kusto type. */
export interface Literal {
  readonly value: KValue;
  readonly type: KType;
}

const LITERAL_TYPES: Readonly<Record<string, KType>> = {
  StringLiteralExpression: 'string',
  CompoundStringLiteralExpression: 'string',
  BooleanLiteralExpression: 'bool',
  IntLiteralExpression: 'int',
  LongLiteralExpression: 'long',
  RealLiteralExpression: 'real',
  DecimalLiteralExpression: 'decimal',
  DateTimeLiteralExpression: 'datetime',
  TimespanLiteralExpression: 'timespan',
  GuidLiteralExpression: 'guid',
  NullLiteralExpression: 'dynamic',
  DynamicExpression: 'dynamic',
};

/** Whether a node is a literal that `literalValue` decodes (negated numbers included). */
export function isLiteral(node: SyntaxElement): boolean {
  const kind = kindOf(node);
  if (kind in LITERAL_TYPES) return true;
  if (kind === 'UnaryMinusExpression' || kind === 'ParenthesizedExpression') {
    const inner = node.Expression as SyntaxElement | null;
    return !!inner && isLiteral(inner);
  }
  return false;
}

/** Text of a literal token; typed forms such as `datetime(...)` are stripped to what is inside the parentheses. */
function innerText(node: SyntaxElement): string {
  const token = node.GetChild(0);
  const text = (token?.Text ?? textOf(node)).trim();
  const open = text.indexOf('(');
  if (open < 0 || !text.endsWith(')')) return text;
  let inner = text.slice(open + 1, -1).trim();
  // datetime("2024-01-01") and guid('...') are accepted spellings too.
  if (inner.length >= 2 && (inner[0] === '"' || inner[0] === "'") && inner.endsWith(inner[0]))
    inner = inner.slice(1, -1);
  return inner;
}

function invalid(node: SyntaxElement, type: string): KustoError {
  return KustoError.badRequest(`Syntax error: '${textOf(node)}' is not a valid ${type} literal.`);
}

function decodeNumber(node: SyntaxElement, type: KType): number | null {
  const text = innerText(node);
  const lower = text.toLowerCase();
  if (lower === 'null') return null;
  if (type === 'real' || type === 'decimal') {
    if (lower === 'nan') return NaN;
    if (lower === 'inf' || lower === '+inf') return Infinity;
    if (lower === '-inf') return -Infinity;
  }
  // Longs beyond 2^53 lose precision, like every long in the emulator.
  const value = /^[+-]?0x[0-9a-f]+$/i.test(text) ? Number(BigInt(text)) : Number(text);
  if (Number.isNaN(value)) throw invalid(node, type);
  return type === 'int' || type === 'long' ? Math.trunc(value) : value;
}

/**
 * Decodes a literal expression node: strings (all quoting forms), bool, int, long, real, decimal,
 * datetime, timespan (`5m`, `time(1.02:00:00)`), guid, typed nulls (`int(null)`), `null`,
 * `dynamic(...)` (to its JSON value), negated numbers and parenthesised literals.
 * Throws a 400 KustoError for anything else.
 */
export function literalValue(node: SyntaxElement): Literal {
  const kind = kindOf(node);
  switch (kind) {
    case 'StringLiteralExpression':
    case 'CompoundStringLiteralExpression':
      return { value: String(node.LiteralValue ?? ''), type: 'string' };
    case 'BooleanLiteralExpression': {
      const text = innerText(node).toLowerCase();
      if (text === 'null') return { value: null, type: 'bool' };
      if (text !== 'true' && text !== 'false') throw invalid(node, 'bool');
      return { value: text === 'true', type: 'bool' };
    }
    case 'IntLiteralExpression':
    case 'LongLiteralExpression':
    case 'RealLiteralExpression':
    case 'DecimalLiteralExpression': {
      const type = LITERAL_TYPES[kind]!;
      return { value: decodeNumber(node, type), type };
    }
    case 'DateTimeLiteralExpression': {
      const text = innerText(node);
      if (text.toLowerCase() === 'null') return { value: null, type: 'datetime' };
      const ms = parseDatetime(text);
      if (ms === undefined) throw invalid(node, 'datetime');
      return { value: ms, type: 'datetime' };
    }
    case 'TimespanLiteralExpression': {
      const text = innerText(node);
      if (text.toLowerCase() === 'null') return { value: null, type: 'timespan' };
      const ms = parseTimespan(text);
      if (ms === undefined) throw invalid(node, 'timespan');
      return { value: ms, type: 'timespan' };
    }
    case 'GuidLiteralExpression': {
      const text = innerText(node).toLowerCase();
      return { value: text === 'null' ? null : text, type: 'guid' };
    }
    case 'NullLiteralExpression':
      return { value: null, type: 'dynamic' };
    case 'DynamicExpression': {
      const inner = childrenNodes(node)[0];
      return { value: inner ? (jsonValue(inner) as KValue) : null, type: 'dynamic' };
    }
    case 'UnaryMinusExpression': {
      const inner = literalValue(node.Expression as SyntaxElement);
      if (typeof inner.value !== 'number') throw invalid(node, 'numeric');
      return { value: -inner.value, type: inner.type };
    }
    case 'ParenthesizedExpression':
      return literalValue(node.Expression as SyntaxElement);
    default:
      throw KustoError.badRequest(`Expected a literal value, found '${textOf(node)}' (${kind}).`);
  }
}

/** Non-token children (the value inside `dynamic( ... )`). */
function childrenNodes(node: SyntaxElement): SyntaxElement[] {
  const out: SyntaxElement[] = [];
  for (let i = 0; i < node.ChildCount; i++) {
    const c = node.GetChild(i);
    if (c && !c.IsToken) out.push(c);
  }
  return out;
}

/** JSON value of the content of a `dynamic(...)` literal. */
function jsonValue(node: SyntaxElement): unknown {
  const kind = kindOf(node);
  if (kind === 'JsonObjectExpression') {
    const out: Record<string, unknown> = {};
    for (const pair of listItems(childrenNodes(node)[0])) {
      const name = pair.GetChild(0);
      const value = pair.GetChild(2);
      if (!name || !value)
        throw KustoError.badRequest(`Syntax error: invalid dynamic property '${textOf(pair)}'.`);
      out[String(name.ValueText)] = jsonValue(value);
    }
    return out;
  }
  if (kind === 'JsonArrayExpression') return listItems(childrenNodes(node)[0]).map(jsonValue);
  const literal = literalValue(node);
  // Inside dynamic values Kusto keeps datetimes and timespans as their text form.
  if (literal.type === 'datetime' && typeof literal.value === 'number') return formatDatetime(literal.value);
  if (literal.type === 'timespan' && typeof literal.value === 'number') return formatTimespan(literal.value);
  return literal.value;
}

/**
 * Plain name of a NameReference, NameDeclaration, BracketedName (`['my table']`), TokenName,
 * WildcardedName (`Col*`), name token or string literal.
 */
export function nameOf(node: SyntaxElement): string {
  if (node.IsToken) return String(node.ValueText ?? node.Text);
  switch (kindOf(node)) {
    case 'NameReference':
    case 'NameDeclaration':
    case 'TokenName':
    case 'WildcardedName': {
      const inner = node.GetChild(0);
      if (!inner) break;
      return nameOf(inner);
    }
    case 'BracketedName':
    case 'BracketedExpression': {
      const inner = childrenNodes(node)[0];
      if (!inner) break;
      return nameOf(inner);
    }
    case 'StringLiteralExpression':
    case 'CompoundStringLiteralExpression':
      return String(node.LiteralValue ?? '');
    default:
      break;
  }
  throw KustoError.badRequest(`Expected a name, found '${textOf(node)}' (${kindOf(node)}).`);
}
