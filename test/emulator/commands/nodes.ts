/**
 * Readers over the syntax tree of a control command: names, `with (...)` properties, column lists,
 * the query after `<|` and inline data. Handlers use these instead of looking at the command text,
 * so whatever quoting the caller used (`T`, `['T']`, `"x"`, `h'x'`) is decoded by the parser.
 */
import { childrenOf, type SyntaxElement } from '../../../lib/kusto/language';
import { KustoError } from '../kustoError';
import { kindOf, listItems, textOf } from '../kql/syntax';
import { literalValue, nameOf } from '../kql/literals';
import { parseType, type Column, type KValue } from '../values';

/** Whether a node is a name (declaration or reference). */
export function isName(node: SyntaxElement): boolean {
  const kind = kindOf(node);
  return kind === 'NameDeclaration' || kind === 'NameReference';
}

/** Names below `node` in source order (a name's own parts are not descended into). */
export function namesIn(node: SyntaxElement): string[] {
  if (isName(node)) return [nameOf(node)];
  return childrenOf(node).flatMap(namesIn);
}

/** The first name below `node`, or a 400 naming what was expected. */
export function firstName(node: SyntaxElement, what: string): string {
  const name = namesIn(node)[0];
  if (name === undefined) throw KustoError.badRequest(`Syntax error: expected ${what} in '${textOf(node)}'.`);
  return name;
}

/** Lower-cased texts of the direct child tokens of a node (`['show', 'table', 'extents']`). */
export function childTokens(node: SyntaxElement): string[] {
  return childrenOf(node)
    .filter((c) => c.IsToken)
    .map((c) => String(c.Text).toLowerCase());
}

/** Whether a direct child token of `node` has this (lower-cased) text. */
export function hasToken(node: SyntaxElement, text: string): boolean {
  return childTokens(node).includes(text);
}

/** Direct child nodes (not tokens) of a given kind. */
export function childNodes(node: SyntaxElement, kind?: string): SyntaxElement[] {
  return childrenOf(node).filter((c) => !c.IsToken && (kind === undefined || kindOf(c) === kind));
}

/** Whether a node starts with a token of this (lower-cased) text. */
function startsWith(node: SyntaxElement, text: string): boolean {
  const first = node.GetChild(0);
  return !!first && first.IsToken && String(first.Text).toLowerCase() === text;
}

/**
 * The `with (...)` clause of a command: a CustomNode starting with `with`, directly under the command
 * body or one level below (`.ingest inline ... with (...) <| data` nests it with the data).
 */
function withClause(body: SyntaxElement): SyntaxElement | undefined {
  for (const child of childNodes(body)) {
    if (startsWith(child, 'with')) return child;
    for (const inner of childNodes(child)) if (startsWith(inner, 'with')) return inner;
  }
  return undefined;
}

/** Value of a property: literals decoded, bare words (`format=csv`) as their text. */
function propertyValue(node: SyntaxElement): KValue {
  if (node.IsToken) return String(node.ValueText ?? node.Text);
  if (isName(node)) return nameOf(node);
  return literalValue(node).value;
}

/**
 * `with (name = value, ...)` properties keyed by lower-cased name (Kusto property names are
 * case-insensitive). Empty when the command has no `with` clause.
 */
export function withProperties(body: SyntaxElement): Map<string, KValue> {
  const out = new Map<string, KValue>();
  const clause = withClause(body);
  if (!clause) return out;
  for (const list of childNodes(clause, 'List')) {
    for (const item of listItems(list)) {
      const parts = childrenOf(item);
      const name = parts[0];
      const value = parts[parts.length - 1];
      if (!name || !value || parts.length < 3) continue;
      const key = name.IsToken ? String(name.Text) : nameOf(name);
      out.set(key.toLowerCase(), propertyValue(value));
    }
  }
  return out;
}

/** A property as a string (numbers and booleans rendered), or undefined when absent or null. */
export function stringProperty(props: Map<string, KValue>, name: string): string | undefined {
  const v = props.get(name.toLowerCase());
  if (v === undefined || v === null) return undefined;
  return valueText(v);
}

/** A decoded value as text: strings as they are, objects as JSON, scalars via String(). */
export function valueText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v) ?? '';
}

/** A property as a boolean (`true`, `'true'`), or undefined when absent. */
export function boolProperty(props: Map<string, KValue>, name: string): boolean | undefined {
  const v = props.get(name.toLowerCase());
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  return valueText(v).trim().toLowerCase() === 'true';
}

/**
 * Columns of a `(name:type, ...)` list node: each item is `NameDeclaration ':' TypeExpression`.
 * Throws a 400 for a type the emulator does not know.
 */
export function columnList(node: SyntaxElement): Column[] {
  const list = childNodes(node, 'List')[0];
  if (!list) throw KustoError.badRequest(`Syntax error: expected a column list in '${textOf(node)}'.`);
  return listItems(list).map((item) => {
    const parts = childrenOf(item);
    const nameNode = parts.find(isName);
    const typeNode = parts[parts.length - 1];
    if (!nameNode || !typeNode)
      throw KustoError.badRequest(`Syntax error: invalid column '${textOf(item)}'.`);
    const typeText = textOf(typeNode).trim();
    const type = parseType(typeText);
    if (!type)
      throw KustoError.badRequest(
        `Syntax error: unknown column type '${typeText}' for column '${nameOf(nameNode)}'.`,
      );
    return { name: nameOf(nameNode), type };
  });
}

/** The column-list child of a command body (`.create table T (a:long)`), if any. */
export function columnListChild(body: SyntaxElement): SyntaxElement | undefined {
  return childNodes(body).find((c) => startsWith(c, '(') && childNodes(c, 'List').length > 0);
}

/** Index of the `<|` token among the children of `node`, or -1. */
function pipeInputIndex(node: SyntaxElement): number {
  return childrenOf(node).findIndex((c) => c.IsToken && String(c.Text) === '<|');
}

/** The query after `<|` of a command. */
export interface QueryInput {
  /** What follows `<|` as parsed: the statement list (with any `let`s). */
  readonly input: SyntaxElement;
  /** The tabular expression, unwrapped from its statement list. */
  readonly node: SyntaxElement;
  /** Source text of the expression. */
  readonly text: string;
}

/**
 * The query after `<|`. Looks at the body and one level of child nodes (`.delete table T records <| ...`
 * nests it).
 */
export function queryInput(body: SyntaxElement, source: string): QueryInput | undefined {
  const holders = [body, ...childNodes(body)];
  for (const holder of holders) {
    const at = pipeInputIndex(holder);
    if (at < 0) continue;
    const input = childrenOf(holder)[at + 1];
    if (!input) return undefined;
    let node = input;
    // The grammar wraps the query as List > SeparatedElement > ExpressionStatement > expression.
    while (
      kindOf(node) === 'List' ||
      kindOf(node) === 'SeparatedElement' ||
      kindOf(node) === 'ExpressionStatement'
    ) {
      const next = childrenOf(node).find((c) => !c.IsToken);
      if (!next) break;
      node = next;
    }
    return { input, node, text: sourceText(node, source) };
  }
  return undefined;
}

/** The exact source text a node spans. */
export function sourceText(node: SyntaxElement, source: string): string {
  return source.slice(Number(node.TextStart), Number(node.TextStart) + Number(node.Width));
}

/** The raw text of an `InputTextToken` (`.ingest inline ... <| data`), searched below the body. */
export function inlineInput(body: SyntaxElement): string | undefined {
  for (const child of childrenOf(body)) {
    if (child.IsToken) {
      if (kindOf(child) === 'InputTextToken') return String(child.Text);
      continue;
    }
    const inner = inlineInput(child);
    if (inner !== undefined) return inner;
  }
  return undefined;
}
