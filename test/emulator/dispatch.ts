/**
 * From request text to an answer: parses with the official parser, classifies (query, command, command
 * piped into query operators), computes the command's shape, finds its handler in the registry and
 * runs it. Planning is separate from execution so the server can route, throttle and log by the
 * command's verb before anything runs.
 */
import { childrenOf, parseKusto, type KustoDiagnostic, type SyntaxElement } from '../../lib/kusto/language';
import type { CommandRegistry, CommandResult, CommandSpec } from './commands/registry';
import type { EmulatorCore } from './core';
import { applyOperators, evaluateQuery } from './kql/engine';
import { kindOf, unsupported } from './kql/syntax';
import { KustoError } from './kustoError';
import { requireDatabase } from './tables';
import { relationToResult, resultToRelation } from './wire';

/** What the planner understood about a request. */
export interface Plan {
  readonly text: string;
  readonly kind: 'command' | 'query';
  /** Keywords of the command (`show continuous-export failures`), or `query`. */
  readonly verb: string;
  readonly mutating: boolean;
  /** `.show ...` commands are the only ones `/v1/rest/query` serves. */
  readonly isShow: boolean;
  /** The command is piped into query operators (answered query-shaped). */
  readonly piped: boolean;
  /** A syntax error found while planning; executing the plan throws it. */
  readonly error?: KustoError;
  readonly spec?: CommandSpec;
  readonly command?: SyntaxElement;
  readonly body?: SyntaxElement;
  readonly shape: readonly string[];
  /** Query operators after the command (`| where ...`), in order. */
  readonly operators: readonly SyntaxElement[];
}

const COMMAND_KINDS = new Set(['CustomCommand', 'UnknownCommand', 'PartialCommand', 'BadCommand']);

/** Renders one child of a command body for the shape (see `commands/registry.ts`). */
function shapeElement(element: SyntaxElement): string {
  if (element.IsToken) return String(element.Text).toLowerCase();
  const kind = kindOf(element);
  if (kind === 'NameDeclaration' || kind === 'NameReference') return '$name';
  if (kind.endsWith('LiteralExpression')) return '$literal';
  return '$node';
}

/**
 * The shape of a command body: its direct children as lower-cased token text, `$name`, `$literal` or
 * `$node`. Commands the parser's grammar does not know (`.get ingestion resources`, `.purge table ...`)
 * come out as an UnknownCommand whose body is a flat token list, so their shape is the lower-cased
 * text of every token (names included, since the parser cannot tell them apart).
 */
export function commandShape(body: SyntaxElement): string[] {
  return childrenOf(body).map(shapeElement);
}

const WORD = /^[a-z][a-z0-9_-]*$/;

/** Keyword tokens (not names, literals or punctuation) of a command body, lower-cased. */
function keywords(body: SyntaxElement): string[] {
  return childrenOf(body)
    .filter((c) => c.IsToken && (kindOf(c) === 'IdentifierToken' || kindOf(c).endsWith('Keyword')))
    .map((c) => String(c.Text).toLowerCase())
    .filter((w) => WORD.test(w));
}

/**
 * The command's verb: its keywords joined by spaces (`show continuous-export failures`). Commands
 * outside the grammar cannot tell keywords from names, so theirs stops where the handler's pattern
 * does (`purge table`), or after two words when no handler matched.
 */
function verbOf(body: SyntaxElement, spec: CommandSpec | undefined, known: boolean): string {
  const words = keywords(body);
  if (known) return words.join(' ');
  return words.slice(0, spec ? spec.pattern.length : 2).join(' ');
}

/** 1-based line and column of an offset, for syntax error messages. */
function position(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${(before[before.length - 1]?.length ?? 0) + 1}`;
}

/** 400 `BadRequest_SyntaxError` carrying the parser's message. */
export function syntaxError(text: string, diagnostic: KustoDiagnostic): KustoError {
  return new KustoError(
    400,
    'BadRequest_SyntaxError',
    `Syntax error: ${diagnostic.code}: ${diagnostic.message} [line:position=${position(text, diagnostic.start)}]`,
    'Kusto.Data.Exceptions.SyntaxException',
  );
}

/** The first statement's expression, with the query operators piped after it peeled off. */
function statementOf(root: SyntaxElement): {
  expression: SyntaxElement | undefined;
  operators: SyntaxElement[];
} {
  let statement: SyntaxElement | undefined;
  const visit = (node: SyntaxElement): void => {
    if (statement || node.IsToken) return;
    if (kindOf(node) === 'ExpressionStatement') {
      statement = node;
      return;
    }
    for (const c of childrenOf(node)) visit(c);
  };
  visit(root);
  let expression = statement ? childrenOf(statement).find((c) => !c.IsToken) : undefined;
  const operators: SyntaxElement[] = [];
  while (expression && kindOf(expression) === 'PipeExpression') {
    const parts = childrenOf(expression);
    const right = parts[parts.length - 1];
    if (right) operators.unshift(right);
    expression = parts[0];
  }
  return { expression, operators };
}

/** Plans a request: never throws; problems are carried in `error` so the request can be logged. */
export function planRequest(registry: CommandRegistry, text: string): Plan {
  const isCommand = text.trim().startsWith('.');
  const parsed = parseKusto(text);
  const diagnostic = parsed.diagnostics[0];
  const error = diagnostic ? syntaxError(text, diagnostic) : undefined;
  if (!isCommand) {
    return {
      text,
      kind: 'query',
      verb: 'query',
      mutating: false,
      isShow: false,
      piped: false,
      error,
      shape: [],
      operators: [],
    };
  }
  const { expression: outer, operators } = statementOf(parsed.root);
  // Trailing words the grammar does not know (`ifexists` after some commands) wrap the command in
  // CommandAndSkippedTokens; handlers read those tokens from the command's parent.
  const expression =
    outer && kindOf(outer) === 'CommandAndSkippedTokens' ? childrenOf(outer).find((c) => !c.IsToken) : outer;
  const command = expression && COMMAND_KINDS.has(kindOf(expression)) ? expression : undefined;
  const body = command ? childrenOf(command).find((c) => !c.IsToken) : undefined;
  const shape = body ? commandShape(body) : [];
  const spec = shape.length > 0 ? registry.match(shape) : undefined;
  const known = !!command && kindOf(command) === 'CustomCommand';
  const verb = (body ? verbOf(body, spec, known) : '') || 'unknown';
  const isShow = shape[0] === 'show';
  return {
    text,
    kind: 'command',
    verb,
    mutating: spec ? spec.mutating : !isShow,
    isShow,
    piped: operators.length > 0,
    error,
    spec,
    command,
    body,
    shape,
    operators,
  };
}

/** The command's own text for messages: up to its input (`<|`) or first line break, trimmed. */
function commandLabel(text: string): string {
  const trimmed = text.trim();
  const cut = Math.min(...[trimmed.indexOf('<|'), trimmed.indexOf('\n'), 120].filter((i) => i >= 0));
  return trimmed.slice(0, cut).trim();
}

/** Request facts a plan executes with. */
export interface ExecuteOptions {
  readonly database: string;
  readonly clientRequestId: string | undefined;
}

/**
 * Runs a plan: a query through the query engine; a command through its handler, then through the
 * query operators piped after it. Throws KustoError for every failure the client should see.
 */
export async function executePlan(
  core: EmulatorCore,
  plan: Plan,
  opts: ExecuteOptions,
): Promise<CommandResult> {
  if (plan.error) throw plan.error;
  if (plan.kind === 'query') {
    requireDatabase(core, opts.database);
    return relationToResult(await evaluateQuery(plan.text, core.queryEnv(opts.database)));
  }
  const { spec, command, body } = plan;
  if (!spec || !command || !body) throw unsupported(`Control command '${commandLabel(plan.text)}'`);
  if (spec.needsDatabase !== false) requireDatabase(core, opts.database);
  const result = await spec.run({
    core,
    database: opts.database,
    text: plan.text,
    command,
    body,
    shape: plan.shape,
    clientRequestId: opts.clientRequestId,
  });
  if (plan.operators.length === 0) return result;
  const relation = await applyOperators(
    resultToRelation(result),
    [...plan.operators],
    core.queryEnv(opts.database),
  );
  return relationToResult(relation);
}
