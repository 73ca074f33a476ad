/**
 * Syntax-tree readers the export commands share: the leaves of a node, `with (...)` properties with
 * their names as written, string-literal lists, and the tables a query references.
 */
import { childrenOf, parseKusto, type SyntaxElement } from '../../../lib/kusto/language';
import { childNodes, isName } from '../commands/nodes';
import { isLiteral, literalValue, nameOf } from '../kql/literals';
import { kindOf, listItems, textOf } from '../kql/syntax';
import { KustoError } from '../kustoError';
import type { KValue } from '../values';

/** Text of any property or cell value (objects as JSON), for comparisons and messages. */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Lower-cased text of a token, or undefined for a node. */
export function tokenText(node: SyntaxElement | undefined): string | undefined {
  return node?.IsToken ? String(node.Text).toLowerCase() : undefined;
}

/** Lower-cased text of the first token child of a node. */
export function leadingToken(node: SyntaxElement): string | undefined {
  return tokenText(node.GetChild(0) ?? undefined);
}

/**
 * The leaves of a node in source order: tokens, names and literals (names and literals are not
 * descended into). Grammar nesting (CustomNode, List, SeparatedElement) disappears, which makes
 * clauses such as `P:long = hash(Col, 10)` readable as a flat sequence.
 */
export function leaves(node: SyntaxElement): SyntaxElement[] {
  if (node.IsToken || isName(node) || isLiteral(node)) return [node];
  return childrenOf(node).flatMap(leaves);
}

/** A child node (not token) of `node` whose first token has this lower-cased text. */
export function clause(node: SyntaxElement, keyword: string): SyntaxElement | undefined {
  return childNodes(node).find((c) => leadingToken(c) === keyword);
}

/** One `name = value` entry of a `with (...)` clause. */
export interface PropertyEntry {
  /** Name as written. */
  readonly name: string;
  readonly value: KValue;
}

/** Value of a property node: a literal's value, or the text of a bare word (`distribution=per_node`). */
function propertyValue(node: SyntaxElement): KValue {
  if (node.IsToken) return String(node.ValueText ?? node.Text);
  if (isName(node)) return nameOf(node);
  if (isLiteral(node)) return literalValue(node).value;
  return textOf(node);
}

/** Entries of a `with (...)` clause node (names as written, in order). */
export function propertyEntries(withClause: SyntaxElement | undefined): PropertyEntry[] {
  if (!withClause) return [];
  const out: PropertyEntry[] = [];
  for (const list of childNodes(withClause, 'List')) {
    for (const item of listItems(list)) {
      const parts = childrenOf(item);
      const name = parts[0];
      const value = parts[parts.length - 1];
      if (!name || !value || parts.length < 3) continue;
      out.push({ name: name.IsToken ? String(name.Text) : nameOf(name), value: propertyValue(value) });
    }
  }
  return out;
}

/** Entries keyed by lower-cased name (Kusto property names are case-insensitive). */
export function propertyMap(entries: readonly PropertyEntry[]): Map<string, KValue> {
  return new Map(entries.map((e) => [e.name.toLowerCase(), e.value] as const));
}

/** The string values of every string literal below a node (connection-string lists). */
export function stringLiterals(node: SyntaxElement): string[] {
  return leaves(node)
    .filter((leaf) => !leaf.IsToken && isLiteral(leaf))
    .map((leaf) => {
      const literal = literalValue(leaf);
      if (typeof literal.value !== 'string')
        throw KustoError.badRequest(`Expected a string literal, found '${textOf(leaf)}'.`);
      return literal.value;
    });
}

/** A property as a number (timespans in ms), or undefined when absent or null. */
export function numberProperty(props: ReadonlyMap<string, KValue>, name: string): number | undefined {
  const v = props.get(name.toLowerCase());
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n))
    throw KustoError.badRequest(`Property '${name}' must be numeric, got '${valueText(v)}'.`);
  return n;
}

/**
 * Names of the tables a query references, among `known`: every name reference (and `table('X')`
 * argument) that names a table of the database, in order of first appearance.
 */
export function referencedTables(queryText: string, known: ReadonlySet<string>): string[] {
  const found: string[] = [];
  const visit = (node: SyntaxElement): void => {
    const kind = kindOf(node);
    if (kind === 'FunctionCallExpression') {
      const callee = node.GetChild(0);
      if (callee && isName(callee) && nameOf(callee).toLowerCase() === 'table') {
        for (const leaf of leaves(node)) {
          if (!leaf.IsToken && isLiteral(leaf)) {
            const value = literalValue(leaf).value;
            if (typeof value === 'string' && known.has(value) && !found.includes(value)) found.push(value);
          }
        }
        return;
      }
      // The callee of any other call is a function name, not a table.
      for (const child of childrenOf(node).slice(1)) visit(child);
      return;
    }
    if (isName(node)) {
      const name = nameOf(node);
      if (known.has(name) && !found.includes(name)) found.push(name);
      return;
    }
    for (const child of childrenOf(node)) visit(child);
  };
  visit(parseKusto(queryText).root);
  return found;
}
