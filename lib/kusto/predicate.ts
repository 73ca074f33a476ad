/**
 * Validation of user-supplied row predicates (for `.delete` / `.purge` and the deletion ledger).
 *
 * A predicate is accepted only if the official Kusto parser, binding `['T'] | where <text>` against a
 * schema holding just that table, reports no diagnostics and every node of the condition belongs to a
 * small whitelist: comparisons, `in`, `between`, the `has`/`contains`/`startswith` family, boolean
 * logic, arithmetic, literals, the table's own columns and a few pure scalar functions. Anything else
 * (other tables, `externaldata`, pipes, extra statements, `ingestion_time()`, cursors, user functions)
 * is rejected because it is not on the list, not because it is on a deny list.
 */
import { ValidationError } from '../errors';
import { analyzeKusto, buildGlobalState, kustoLanguage, syntaxKindName } from './language';
import type { SchemaColumn, SyntaxElement } from './language';
import { columnType, quoteName, validateName } from './quote';

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment,
   @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call */

/** Largest predicate accepted, in UTF-8 bytes; checked before parsing. */
export const MAX_PREDICATE_BYTES = 1024 * 1024;

/** The table a predicate is validated against. */
export interface PredicateTable {
  readonly name: string;
  readonly columns: readonly SchemaColumn[];
}

declare const simplePredicateBrand: unique symbol;

/**
 * A predicate that passed {@link parseSimplePredicate}. Only that function creates values of this
 * type, so a builder that takes one knows its text is a single, side-effect-free `where` condition.
 * The brand is also checked at run time ({@link isSimplePredicate}), so a value that went through
 * JSON (an activity input, a stored ledger entry) must be parsed again before use.
 */
export interface SimplePredicate {
  readonly [simplePredicateBrand]: true;
  /** The condition, re-rendered from its tokens: comments and line breaks between tokens removed. */
  readonly text: string;
  /** The table the predicate was validated against. */
  readonly table: string;
  /** Columns the condition references, sorted and without duplicates. */
  readonly columns: readonly string[];
}

const FIELD = 'predicate';

/** Every predicate this module issued; a look-alike object built elsewhere is not in it. */
const issued = new WeakSet<object>();

/** True only for values returned by {@link parseSimplePredicate} in this process. */
export function isSimplePredicate(value: unknown): value is SimplePredicate {
  return typeof value === 'object' && value !== null && issued.has(value);
}

/** Syntax kinds allowed anywhere in the condition (besides the specially checked ones below). */
const ALLOWED_KINDS = new Set([
  // boolean logic and grouping
  'AndExpression',
  'OrExpression',
  'ParenthesizedExpression',
  // comparisons
  'EqualExpression',
  'NotEqualExpression',
  'LessThanExpression',
  'LessThanOrEqualExpression',
  'GreaterThanExpression',
  'GreaterThanOrEqualExpression',
  'EqualTildeExpression',
  'BangTildeExpression',
  // set and range membership (lists are ExpressionList > List > SeparatedElement)
  'InExpression',
  'InCsExpression',
  'NotInExpression',
  'NotInCsExpression',
  'BetweenExpression',
  'NotBetweenExpression',
  'ExpressionCouple',
  'ExpressionList',
  'List',
  'SeparatedElement',
  // string operators
  'HasExpression',
  'HasCsExpression',
  'NotHasExpression',
  'NotHasCsExpression',
  'HasPrefixExpression',
  'HasPrefixCsExpression',
  'NotHasPrefixExpression',
  'NotHasPrefixCsExpression',
  'HasSuffixExpression',
  'HasSuffixCsExpression',
  'NotHasSuffixExpression',
  'NotHasSuffixCsExpression',
  'HasAnyExpression',
  'HasAllExpression',
  'ContainsExpression',
  'ContainsCsExpression',
  'NotContainsExpression',
  'NotContainsCsExpression',
  'StartsWithExpression',
  'StartsWithCsExpression',
  'NotStartsWithExpression',
  'NotStartsWithCsExpression',
  'EndsWithExpression',
  'EndsWithCsExpression',
  'NotEndsWithExpression',
  'NotEndsWithCsExpression',
  // arithmetic (e.g. `Timestamp < datetime(2025-01-01) + 1d`)
  'UnaryMinusExpression',
  'UnaryPlusExpression',
  'AddExpression',
  'SubtractExpression',
  'MultiplyExpression',
  'DivideExpression',
  'ModuloExpression',
  // literals
  'BooleanLiteralExpression',
  'IntLiteralExpression',
  'LongLiteralExpression',
  'RealLiteralExpression',
  'DecimalLiteralExpression',
  'DateTimeLiteralExpression',
  'TimespanLiteralExpression',
  'GuidLiteralExpression',
  'StringLiteralExpression',
  'CompoundStringLiteralExpression',
]);

/*
 * Pure, deterministic scalar functions. `now()`/`ago()` are left out on purpose: the deletion ledger
 * re-applies a predicate on every later restore, and a relative time would select different rows each
 * time.
 */
const ALLOWED_FUNCTIONS = new Set([
  'not',
  'isnull',
  'isnotnull',
  'isempty',
  'isnotempty',
  'strlen',
  'tolower',
  'toupper',
  'tostring',
  'tolong',
  'toint',
  'toreal',
  'todouble',
  'todecimal',
  'tobool',
  'todatetime',
  'totimespan',
  'toguid',
  'startofday',
  'startofweek',
  'startofmonth',
  'startofyear',
]);

const globalsCache = new Map<string, unknown>();
const GLOBALS_CACHE_LIMIT = 64;

function globalsFor(table: PredicateTable): unknown {
  const key = JSON.stringify([table.name, table.columns.map((c) => [c.name, c.type])]);
  let globals = globalsCache.get(key);
  if (globals === undefined) {
    globals = buildGlobalState({ database: 'db', tables: [{ name: table.name, columns: table.columns }] });
    if (globalsCache.size >= GLOBALS_CACHE_LIMIT) globalsCache.clear();
    globalsCache.set(key, globals);
  }
  return globals;
}

function reject(message: string): never {
  throw new ValidationError(FIELD, message);
}

function validateTable(table: PredicateTable): PredicateTable {
  const name = validateName(table?.name, 'table.name');
  if (!Array.isArray(table.columns) || table.columns.length === 0) {
    throw new ValidationError('table.columns', 'must list at least one column');
  }
  const columns = table.columns.map((c, i) => ({
    name: validateName(c?.name, `table.columns[${i}].name`),
    type: columnType(c?.type, `table.columns[${i}].type`),
  }));
  return { name, columns };
}

/** Elements of a Bridge `SyntaxList` as an array. */
function listItems(list: any): any[] {
  const out: any[] = [];
  const count = list ? Number(list.Count) : 0;
  for (let i = 0; i < count; i++) out.push(list.getItem(i));
  return out;
}

function childElements(node: SyntaxElement): SyntaxElement[] {
  const out: SyntaxElement[] = [];
  for (let i = 0; i < node.ChildCount; i++) {
    const child = node.GetChild(i);
    if (child) out.push(child);
  }
  return out;
}

/** Walks the condition, rejecting any node outside the whitelist; collects referenced columns. */
function checkCondition(node: SyntaxElement, columnNames: ReadonlySet<string>, used: Set<string>): void {
  if (node.IsToken) return;
  const K = kustoLanguage();
  const kind = syntaxKindName(node.Kind);
  if (kind === 'NameReference') {
    const symbol = node.ReferencedSymbol;
    const name = String(node.SimpleName);
    if (!symbol || symbol.Kind !== K.Symbols.SymbolKind.Column || !columnNames.has(name)) {
      reject(`'${name}' is not a column of the table`);
    }
    used.add(name);
    return;
  }
  if (kind === 'FunctionCallExpression') {
    const name = String(node.Name?.SimpleName ?? '');
    const symbol = node.ReferencedSymbol;
    if (!ALLOWED_FUNCTIONS.has(name) || !symbol || symbol.Kind !== K.Symbols.SymbolKind.Function) {
      reject(`function '${name}' is not allowed in a predicate`);
    }
    checkCondition(node.ArgumentList as SyntaxElement, columnNames, used);
    return;
  }
  if (!ALLOWED_KINDS.has(kind)) reject(`${kind} is not allowed in a predicate`);
  for (const child of childElements(node)) checkCondition(child, columnNames, used);
}

/**
 * Re-renders the condition from its tokens, keeping a single space wherever the original had
 * whitespace or comments. Token boundaries are unchanged, so the text parses to the same tree, but
 * it can no longer carry a trailing `//` comment into the command it is embedded in.
 */
function canonicalText(condition: SyntaxElement): string {
  const tokens = listItems(condition.GetTokens());
  let out = '';
  tokens.forEach((token, i) => {
    if (i > 0 && String(token.Trivia ?? '').length > 0) out += ' ';
    out += String(token.Text);
  });
  return out;
}

function formatDiagnostics(
  diagnostics: readonly { message: string; start: number }[],
  offset: number,
): string {
  return diagnostics
    .slice(0, 3)
    .map((d) => `${d.message} (at ${Math.max(0, d.start - offset)})`)
    .join('; ');
}

/**
 * Validates `text` as the condition of a single `where` over `table` and returns it as a
 * {@link SimplePredicate}. Throws `ValidationError('predicate', ...)` otherwise.
 */
export function parseSimplePredicate(text: unknown, table: PredicateTable): SimplePredicate {
  if (typeof text !== 'string') reject('must be a string');
  // Cheap check first: each UTF-16 unit is at least one UTF-8 byte.
  if (text.length > MAX_PREDICATE_BYTES || Buffer.byteLength(text, 'utf8') > MAX_PREDICATE_BYTES) {
    reject(`must be at most ${MAX_PREDICATE_BYTES} bytes`);
  }
  if (text.trim().length === 0) reject('must not be empty');
  const checked = validateTable(table);

  const prefix = `${quoteName(checked.name, 'table.name')} | where `;
  const { root, diagnostics } = analyzeKusto(prefix + text, globalsFor(checked));
  if (diagnostics.length > 0)
    reject(`is not a valid condition: ${formatDiagnostics(diagnostics, prefix.length)}`);

  if (listItems(root.Directives).length > 0 || root.SkippedTokens) reject('must be a single where condition');
  const statements = listItems(root.Statements);
  if (statements.length !== 1) reject('must be a single where condition (no ";" or let statements)');
  const statement = statements[0].Element as SyntaxElement;
  const pipe = statement.Expression as SyntaxElement | null;
  if (
    syntaxKindName(statement.Kind) !== 'ExpressionStatement' ||
    !pipe ||
    syntaxKindName(pipe.Kind) !== 'PipeExpression'
  ) {
    reject('must be a single where condition');
  }
  // The left side must be exactly the table reference from the prefix: a pipe inside the text would
  // have made the `where` a nested operand and something else the outer operator.
  const source = pipe.Expression as SyntaxElement;
  const filter = pipe.Operator as SyntaxElement;
  if (syntaxKindName(source.Kind) !== 'NameReference' || syntaxKindName(filter.Kind) !== 'FilterOperator') {
    reject('must be a single where condition (no pipes)');
  }
  if (listItems(filter.Parameters).length > 0) reject('must not carry where-operator parameters');
  const condition = filter.Condition as SyntaxElement;

  const used = new Set<string>();
  checkCondition(condition, new Set(checked.columns.map((c) => c.name)), used);

  const predicate = {
    text: canonicalText(condition),
    table: checked.name,
    columns: Object.freeze([...used].sort()),
  };
  Object.freeze(predicate);
  issued.add(predicate);
  return predicate as unknown as SimplePredicate;
}
