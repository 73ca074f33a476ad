/**
 * Loads the official Kusto parser (`@kusto/language-service-next`, a Bridge.NET build of
 * Kusto.Language) once per process and exposes the few entry points the project uses: syntax
 * parsing, semantic analysis against a schema, and diagnostics.
 *
 * The bundles define globals (`Bridge`, `System`, `Kusto`) instead of exporting modules, so they are
 * required for their side effect and the namespace is read from `globalThis`.
 */

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment,
   @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return,
   @typescript-eslint/no-require-imports */

/** A node or token of the Kusto syntax tree (Kusto.Language.Syntax.SyntaxElement). */
export interface SyntaxElement {
  readonly Kind: number;
  readonly ChildCount: number;
  readonly TextStart: number;
  readonly Width: number;
  readonly FullWidth: number;
  readonly Parent: SyntaxElement | null;
  readonly IsToken: boolean;
  readonly Text: string;
  GetChild(index: number): SyntaxElement | null;
  ToString(): string;
  [key: string]: any;
}

/** A diagnostic (syntax or semantic) reported by the parser. */
export interface KustoDiagnostic {
  readonly severity: string;
  readonly code: string;
  readonly message: string;
  readonly start: number;
  readonly length: number;
}

/** Column description used to build a schema for semantic analysis. */
export interface SchemaColumn {
  readonly name: string;
  readonly type: string;
}

/** A database schema for semantic analysis: tables and external tables with their columns. */
export interface AnalysisSchema {
  readonly cluster?: string;
  readonly database: string;
  readonly tables: readonly { name: string; columns: readonly SchemaColumn[] }[];
  readonly externalTables?: readonly { name: string; columns: readonly SchemaColumn[] }[];
}

let kusto: any;

/** Returns the `Kusto.Language` namespace, loading the bundles on first use. */
export function kustoLanguage(): any {
  if (!kusto) {
    require('@kusto/language-service-next/bridge.min.js');
    require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
    kusto = (globalThis as any).Kusto.Language;
  }
  return kusto;
}

/** Name of a SyntaxKind value (e.g. `CustomCommand`, `StringLiteralExpression`). */
export function syntaxKindName(kind: number): string {
  const K = kustoLanguage();
  return (globalThis as any).System.Enum.toString(K.Syntax.SyntaxKind, kind) as string;
}

/** Result of parsing: the root node, whether it is a command or a query, and its diagnostics. */
export interface ParsedKusto {
  readonly root: SyntaxElement;
  /** `Command` for control commands, `Query` for queries (Kusto.Language's CodeKinds). */
  readonly kind: string;
  readonly diagnostics: readonly KustoDiagnostic[];
  readonly code: any;
}

/** Converts a Bridge.NET list of Kusto.Language diagnostics to plain objects. */
export function toDiagnostics(list: any): KustoDiagnostic[] {
  const out: KustoDiagnostic[] = [];
  for (let i = 0; i < list.Count; i++) {
    const d = list.getItem(i);
    out.push({
      severity: String(d.Severity),
      code: String(d.Code),
      message: String(d.Message),
      start: Number(d.Start),
      length: Number(d.Length),
    });
  }
  return out;
}

const parseCache = new Map<string, ParsedKusto>();
const PARSE_CACHE_LIMIT = 2000;

/**
 * Parses text (query or control command) for syntax only. Results are cached by text because
 * control-command parsing costs tens of milliseconds and the same commands recur (polling).
 */
export function parseKusto(text: string): ParsedKusto {
  const hit = parseCache.get(text);
  if (hit) return hit;
  const K = kustoLanguage();
  const code = K.KustoCode.Parse(text);
  const parsed: ParsedKusto = {
    root: code.Syntax,
    kind: String(code.Kind),
    diagnostics: toDiagnostics(
      code.GetSyntaxDiagnostics ? code.GetSyntaxDiagnostics() : code.GetDiagnostics(),
    ),
    code,
  };
  if (parseCache.size >= PARSE_CACHE_LIMIT) parseCache.clear();
  parseCache.set(text, parsed);
  return parsed;
}

/** Builds a Kusto GlobalState (cluster + database symbols) from a plain schema description. */
export function buildGlobalState(schema: AnalysisSchema): any {
  const K = kustoLanguage();
  const S = K.Symbols;
  const cols = (c: readonly SchemaColumn[]): string =>
    `(${c.map((x) => `['${x.name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']:${x.type}`).join(', ')})`;
  const symbols = [
    ...schema.tables.map((t) => new S.TableSymbol.$ctor7(t.name, cols(t.columns), '')),
    ...(schema.externalTables ?? []).map(
      (t) => new S.ExternalTableSymbol.$ctor4(t.name, cols(t.columns), ''),
    ),
  ];
  const db = new S.DatabaseSymbol.$ctor1(schema.database, symbols, false);
  const cluster = new S.ClusterSymbol.$ctor1(schema.cluster ?? 'localhost', [db], false);
  return K.GlobalState.Default.WithCluster(cluster).WithDatabase(db);
}

/** Parses and binds text against a GlobalState; returns all diagnostics (syntax and semantic). */
export function analyzeKusto(
  text: string,
  globals: any,
): { root: SyntaxElement; diagnostics: KustoDiagnostic[]; code: any } {
  const K = kustoLanguage();
  const code = K.KustoCode.ParseAndAnalyze(text, globals);
  return { root: code.Syntax, diagnostics: toDiagnostics(code.GetDiagnostics()), code };
}

/** Children of a node as an array (skipping nulls). */
export function childrenOf(node: SyntaxElement): SyntaxElement[] {
  const out: SyntaxElement[] = [];
  for (let i = 0; i < node.ChildCount; i++) {
    const c = node.GetChild(i);
    if (c) out.push(c);
  }
  return out;
}
