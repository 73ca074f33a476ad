/**
 * Small helpers over the official parser's syntax tree shared by the engine's modules: kind names,
 * list unwrapping, readable source text and the two error shapes the engine throws.
 */
import { childrenOf, syntaxKindName, type SyntaxElement } from '../../../lib/kusto/language';
import { KustoError } from '../kustoError';

export type { SyntaxElement };

const kindNames = new Map<number, string>();

/** The SyntaxKind name of a node or token (`FilterOperator`, `StringLiteralExpression`...), cached per kind. */
export function kindOf(node: SyntaxElement): string {
  let name = kindNames.get(node.Kind);
  if (name === undefined) {
    name = syntaxKindName(node.Kind);
    kindNames.set(node.Kind, name);
  }
  return name;
}

/** `Kusto.Language.Syntax.IncludeTrivia.Minimal`: tokens separated by single spaces where needed. */
const MINIMAL_TRIVIA = 2;

/** Source text of a node with normalised whitespace, for messages and generated column names. */
export function textOf(node: SyntaxElement): string {
  return String((node as unknown as { ToString(trivia: number): string }).ToString(MINIMAL_TRIVIA));
}

/**
 * Elements of a syntax list. Lists of `SeparatedElement`s (most lists in the grammar) are unwrapped to
 * their elements, so callers see the expressions and not the commas.
 */
export function listItems(list: SyntaxElement | null | undefined): SyntaxElement[] {
  if (!list) return [];
  return childrenOf(list).map((c) => (kindOf(c) === 'SeparatedElement' ? (c.GetChild(0) ?? c) : c));
}

/** A named child (`Condition`, `Expression`...) or throws: the parser always fills required slots. */
export function part(node: SyntaxElement, name: string): SyntaxElement {
  const value = node[name] as SyntaxElement | null | undefined;
  if (!value) throw KustoError.badRequest(`Syntax error: '${textOf(node)}' is incomplete (missing ${name}).`);
  return value;
}

/** Error for valid Kusto that the emulator does not implement; names the construct. */
export function unsupported(construct: string): KustoError {
  return KustoError.badRequest(`${construct} is not supported by the emulator.`);
}

/** Error shaped like Kusto's semantic errors (`Semantic error: SEM0100: ...`). */
export function semanticError(message: string, code = 'SEM0100'): KustoError {
  return KustoError.badRequest(`Semantic error: ${code}: ${message}`);
}
