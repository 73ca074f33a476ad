/**
 * Test helper around the official Kusto parser: diagnostics of a command (syntax only, or with a
 * schema), and the name and literal nodes of its syntax tree with their decoded values, so tests can
 * prove that hostile input ended up as exactly one name or one literal.
 *
 * Results are cached per text (and per GlobalState) because parsing a control command costs ~60 ms.
 */
import {
  analyzeKusto,
  kustoLanguage,
  parseKusto,
  syntaxKindName,
  toDiagnostics,
} from '../../lib/kusto/language';
import type { KustoDiagnostic, SyntaxElement } from '../../lib/kusto/language';

/** What a parse (and optional analysis) found. */
export interface KqlCheck {
  readonly root: SyntaxElement;
  /** Syntax diagnostics only. */
  readonly syntax: readonly KustoDiagnostic[];
  /** All diagnostics of the analysis against the schema (empty list when no schema was given). */
  readonly semantic: readonly KustoDiagnostic[];
}

const analysisCache = new WeakMap<object, Map<string, KqlCheck>>();

/**
 * Parses `text`; with `globals` (from `buildGlobalState`) it is also bound against that schema. One
 * ParseAndAnalyze serves both lists, so a checked command costs a single parse.
 */
export function checkKql(text: string, globals?: object): KqlCheck {
  if (!globals) {
    const parsed = parseKusto(text);
    return { root: parsed.root, syntax: parsed.diagnostics, semantic: [] };
  }
  let cache = analysisCache.get(globals);
  if (!cache) {
    cache = new Map();
    analysisCache.set(globals, cache);
  }
  const hit = cache.get(text);
  if (hit) return hit;
  const analyzed = analyzeKusto(text, globals);
  const result: KqlCheck = {
    root: analyzed.root,
    syntax: toDiagnostics(analyzed.code.GetSyntaxDiagnostics()),
    semantic: analyzed.diagnostics,
  };
  cache.set(text, result);
  return result;
}

/** Diagnostics rendered one per line with the text they point at, for readable test failures. */
export function describeDiagnostics(text: string, diagnostics: readonly KustoDiagnostic[]): string[] {
  return diagnostics.map(
    (d) =>
      `${d.code} ${d.message} @${d.start}: ${JSON.stringify(text.slice(d.start, d.start + Math.max(d.length, 20)))}`,
  );
}

/** A name node of the tree (declaration or reference) with its decoded name. */
export interface NameNode {
  readonly kind: 'NameDeclaration' | 'NameReference';
  readonly name: string;
  readonly start: number;
}

/** A literal node of the tree with its decoded value. */
export interface LiteralNode {
  readonly kind: string;
  /** Decoded value: the unescaped string for string literals, the interior text for others. */
  readonly value: string;
  readonly start: number;
}

function walk(node: SyntaxElement, visit: (n: SyntaxElement) => boolean): void {
  if (!visit(node)) return;
  for (let i = 0; i < node.ChildCount; i++) {
    const child = node.GetChild(i);
    if (child) walk(child, visit);
  }
}

/** Every NameDeclaration / NameReference in the tree (their inner name parts are not listed again). */
export function findNames(root: SyntaxElement): NameNode[] {
  const out: NameNode[] = [];
  walk(root, (n) => {
    if (n.IsToken) return false;
    const kind = syntaxKindName(n.Kind);
    if (kind === 'NameDeclaration' || kind === 'NameReference') {
      out.push({ kind, name: String(n.SimpleName), start: Number(n.TextStart) });
      return false;
    }
    return true;
  });
  return out;
}

/**
 * Every literal expression in the tree, except the string inside a bracketed name (`['x']`), which is
 * reported by {@link findNames} as a name.
 */
export function findLiterals(root: SyntaxElement): LiteralNode[] {
  const out: LiteralNode[] = [];
  walk(root, (n) => {
    if (n.IsToken) return false;
    const kind = syntaxKindName(n.Kind);
    if (kind === 'BracketedName') return false;
    if (n.IsLiteral && kind.endsWith('LiteralExpression')) {
      const info = n.LiteralValueInfo;
      const value =
        kind === 'StringLiteralExpression' || kind === 'CompoundStringLiteralExpression'
          ? n.LiteralValue
          : info?.ValueText;
      out.push({ kind, value: String(value), start: Number(n.TextStart) });
      return false;
    }
    return true;
  });
  return out;
}

/** A token with its decoded value (ValueText: unescaped for string literals, the text otherwise). */
export interface TokenValue {
  readonly kind: string;
  readonly value: string;
}

/** All tokens of the tree in order (end-of-text excluded). */
export function tokensOf(root: SyntaxElement): TokenValue[] {
  const tokens = root.GetTokens();
  const out: TokenValue[] = [];
  for (let i = 0; i < tokens.Count; i++) {
    const token = tokens.getItem(i);
    const kind = syntaxKindName(token.Kind);
    if (kind !== 'EndOfTextToken') out.push({ kind, value: String(token.ValueText) });
  }
  return out;
}

/**
 * How the parser understood the first statement: the kind of its source expression (through any
 * pipes, e.g. `CustomCommand` for `.show capacity | where ...`, `UnknownCommand` for commands outside
 * its grammar, `NameReference` for a query over a table), and whether it had to skip tokens.
 */
export function statementShape(root: SyntaxElement): {
  kind: string;
  statements: number;
  skippedTokens: boolean;
} {
  const statements = root.Statements;
  const count = Number(statements?.Count ?? 0);
  let expression = count > 0 ? statements.getItem(0).Element.Expression : null;
  while (expression && syntaxKindName(expression.Kind) === 'PipeExpression')
    expression = expression.Expression;
  return {
    kind: expression ? syntaxKindName(expression.Kind) : 'none',
    statements: count,
    skippedTokens: Boolean(root.SkippedTokens),
  };
}

/**
 * Loads the parser eagerly so a test's own timing is not skewed by it. The first control command
 * builds the command grammar (~2 s); suites that only parse queries skip that with `'query'`.
 */
export function warmUpParser(kind: 'query' | 'command' = 'command'): void {
  kustoLanguage();
  parseKusto(kind === 'command' ? '.show version' : 'print 1');
}
