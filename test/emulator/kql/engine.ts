/**
 * The emulator's KQL query engine: entry points used by the query endpoint and by management
 * commands that embed or post-process queries. Everything is interpreted from the official parser's
 * syntax tree; see SUPPORTED.md for what is implemented.
 */
import { parseKusto, type SyntaxElement } from '../../../lib/kusto/language';
import { KustoError } from '../kustoError';
import { contextFor, EMPTY_ROW, newScope, withLet, type Scope } from './context';
import { compileScalar } from './expressions';
import { nameOf } from './literals';
import { categoryOf } from './ops';
import { applyOperator } from './operators';
import { isTabular, prepareSubqueries } from './subqueries';
import { kindOf, listItems, part, semanticError, textOf, unsupported } from './syntax';
import { evaluateTabular } from './tabular';
import type { QueryEnv, Relation } from './types';

export { literalValue, nameOf } from './literals';

function scopeFor(env: QueryEnv): Scope {
  return newScope(env, evaluateTabular);
}

/** Binds a `let` statement: scalars are evaluated now, tabular values on first use (once). */
async function bindLet(statement: SyntaxElement, scope: Scope): Promise<Scope> {
  const name = nameOf(part(statement, 'Name'));
  const expression = part(statement, 'Expression');
  if (kindOf(expression) === 'FunctionDeclaration')
    throw unsupported(`The user-defined function '${name}' (let with parameters)`);
  if (isTabular(expression, scope, true)) {
    const defining = scope;
    let result: Promise<Relation> | undefined;
    return withLet(scope, name, {
      kind: 'tabular',
      get: () => (result ??= evaluateTabular(expression, defining)),
    });
  }
  await prepareSubqueries(expression, scope);
  const compiled = compileScalar(expression, contextFor([], scope, 'let'));
  return withLet(scope, name, { kind: 'scalar', value: compiled.eval(EMPTY_ROW), type: compiled.type });
}

/** Runs a statement list: `let`s, ignorable `set` options, and the tabular expression statement whose result is returned (the last one). */
async function evaluateStatements(statements: readonly SyntaxElement[], scope: Scope): Promise<Relation> {
  let current = scope;
  let result: SyntaxElement | undefined;
  for (const statement of statements) {
    switch (kindOf(statement)) {
      case 'LetStatement':
        current = await bindLet(statement, current);
        break;
      case 'ExpressionStatement':
        result = part(statement, 'Expression');
        break;
      case 'SetOptionStatement':
        break; // request options (`set notruncation;`) do not change results here
      default:
        throw unsupported(`The statement '${textOf(statement)}'`);
    }
  }
  if (!result) throw KustoError.badRequest('Syntax error: the query has no tabular expression to evaluate.');
  if (!isTabular(result, current, true)) {
    throw semanticError(
      `The query must end with a tabular expression, found '${textOf(result)}'.`,
      'SEM0001',
    );
  }
  return evaluateTabular(result, current);
}

/**
 * Parses and evaluates a query: `let` statements followed by a tabular expression. Syntax errors
 * are rejected with the parser's diagnostics; unsupported constructs with a 400 naming them.
 */
export async function evaluateQuery(text: string, env: QueryEnv): Promise<Relation> {
  const parsed = parseKusto(text);
  const errors = parsed.diagnostics.filter((d) => d.severity === 'Error');
  if (errors.length > 0) {
    const details = errors.map((d) => `${d.code} at position ${d.start}: ${d.message}`).join('; ');
    throw KustoError.badRequest(`Syntax error: ${details}`);
  }
  if (kindOf(parsed.root) !== 'QueryBlock') {
    throw KustoError.badRequest('Management commands (starting with a dot) cannot be evaluated as queries.');
  }
  return evaluateStatements(listItems(parsed.root.Statements as SyntaxElement | null), scopeFor(env));
}

/**
 * Evaluates a tabular expression node: a table name (plain or `['x']`), a pipe, parentheses,
 * `external_table('X')`, `datatable`, `print`, `union`. Also accepts the statement list that follows
 * `<|` in a management command (which may start with `let`s) or a single ExpressionStatement.
 */
export async function evaluateExpression(node: SyntaxElement, env: QueryEnv): Promise<Relation> {
  const scope = scopeFor(env);
  switch (kindOf(node)) {
    case 'List':
      return evaluateStatements(listItems(node), scope);
    case 'QueryBlock':
      return evaluateStatements(listItems(node.Statements as SyntaxElement | null), scope);
    case 'ExpressionStatement':
    case 'LetStatement':
      return evaluateStatements([node], scope);
    default:
      return evaluateTabular(node, scope);
  }
}

/** Applies query operator nodes (`| where ...`, `| summarize ...`) in order to an existing relation. */
export async function applyOperators(
  input: Relation,
  operators: readonly SyntaxElement[],
  env: QueryEnv,
): Promise<Relation> {
  const scope = scopeFor(env);
  let current = input;
  for (const op of operators) current = await applyOperator(current, op, scope);
  return current;
}

/** A management command and the query operators piped after it. */
export interface PipedCommand {
  readonly command: SyntaxElement;
  readonly operators: SyntaxElement[];
}

/**
 * Splits `.command | op1 | op2` into the CustomCommand node and its operators (in order). Accepts
 * the PipeExpression, the CustomCommand itself, its ExpressionStatement or the parsed CommandBlock.
 * Throws a 400 when the leftmost element is not a management command.
 */
export function pipeOperatorsOf(node: SyntaxElement): PipedCommand {
  let current = node;
  if (kindOf(current) === 'CommandBlock' || kindOf(current) === 'QueryBlock') {
    const first = listItems(current.Statements as SyntaxElement | null)[0];
    if (!first) throw KustoError.badRequest('Syntax error: empty command.');
    current = first;
  }
  if (kindOf(current) === 'ExpressionStatement') current = part(current, 'Expression');
  const operators: SyntaxElement[] = [];
  while (kindOf(current) === 'PipeExpression') {
    operators.unshift(part(current, 'Operator'));
    current = part(current, 'Expression');
  }
  if (kindOf(current) !== 'CustomCommand') {
    throw KustoError.badRequest(`Expected a management command before the pipe, found '${textOf(current)}'.`);
  }
  return { command: current, operators };
}

/**
 * Evaluates a predicate for every row of a relation (true only where it is true, not null). Accepts
 * the condition expression or a whole `where` operator node.
 */
export async function evaluatePredicate(
  expr: SyntaxElement,
  relation: Relation,
  env: QueryEnv,
): Promise<boolean[]> {
  const condition = kindOf(expr) === 'FilterOperator' ? part(expr, 'Condition') : expr;
  const scope = scopeFor(env);
  await prepareSubqueries(condition, scope);
  const compiled = compileScalar(condition, contextFor(relation.columns, scope, 'where'));
  const category = categoryOf(compiled.type);
  if (category !== 'bool' && category !== 'dynamic') {
    throw semanticError(
      `The predicate must be a bool expression, got ${compiled.type}: '${textOf(condition)}'.`,
      'SEM0025',
    );
  }
  return relation.rows.map((row) => compiled.eval(row) === true);
}
