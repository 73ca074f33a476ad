/**
 * Record deletion: `.delete table T records <| T | where P` (soft delete: rows are marked in
 * replaced extents) and `.purge table T records [in database D] [with (...)] <| where P` (rows are
 * physically removed; two-step with a verification token, or one step with `noregrets`). Predicates
 * run through the query engine over the table's rows.
 *
 * Result columns: `.delete` answers one row per replaced extent, `OriginalExtentId, ResultExtentId,
 * RecordsMatchPredicate` (DOCS soft-delete-command.md: "contains information about which extents
 * were replaced", `whatif` counts in `RecordsMatchPredicate`; the extent-replacement pair follows
 * KQL's `.move extents` result; KQL lists the delete schema as unknown). `.purge` answers as in DOCS
 * `concepts/data-purge.md`: step one `NumRecordsToPurge, EstimatedPurgeExecutionTime,
 * VerificationToken`; execution the 14-column purge operation row.
 */
import { createHash } from 'node:crypto';
import { childrenOf, parseKusto, type SyntaxElement } from '../../../lib/kusto/language';
import type { CommandInvocation, CommandResult, CommandSpec } from './registry';
import type { EmulatorCore } from '../core';
import { applyOperators } from '../kql/engine';
import { kindOf, textOf } from '../kql/syntax';
import { nameOf } from '../kql/literals';
import { KustoError } from '../kustoError';
import type { Relation, Row } from '../kql/types';
import type { Database, Extent, Table } from '../state';
import { replaceExtent, requireDatabase, requireTable } from '../tables';
import type { Column, KType, KValue } from '../values';
import { boolProperty, isName, queryInput, withProperties } from './nodes';
import { syntaxError } from '../dispatch';

const cols = (spec: [string, KType][]): Column[] => spec.map(([name, type]) => ({ name, type }));

const DELETE_RESULT = cols([
  ['OriginalExtentId', 'string'],
  ['ResultExtentId', 'string'],
  ['RecordsMatchPredicate', 'long'],
]);

const PURGE_VERIFICATION = cols([
  ['NumRecordsToPurge', 'long'],
  ['EstimatedPurgeExecutionTime', 'timespan'],
  ['VerificationToken', 'string'],
]);

const PURGE_OPERATION = cols([
  ['OperationId', 'guid'],
  ['DatabaseName', 'string'],
  ['TableName', 'string'],
  ['ScheduledTime', 'datetime'],
  ['Duration', 'timespan'],
  ['LastUpdatedOn', 'datetime'],
  ['EngineOperationId', 'string'],
  ['State', 'string'],
  ['StateDetails', 'string'],
  ['EngineStartTime', 'datetime'],
  ['EngineDuration', 'timespan'],
  ['Retries', 'int'],
  ['ClientRequestId', 'string'],
  ['Principal', 'string'],
]);

/** A column no table has: carries each row's identity through the predicate's operators. */
const ROW_ID = '__emulator_row_id__';

/** Matching rows per extent (indexes into `extent.rows`), among rows not already soft-deleted. */
type Matches = Map<Extent, number[]>;

function visibleRows(table: Table): { extent: Extent; row: number; values: KValue[] }[] {
  const out: { extent: Extent; row: number; values: KValue[] }[] = [];
  for (const extent of table.extents) {
    const index = table.columns.map((c) => extent.columns.indexOf(c.name));
    extent.rows.forEach((src, row) => {
      if (extent.deleted[row]) return;
      out.push({ extent, row, values: index.map((i) => (i >= 0 ? (src[i] ?? null) : null)) });
    });
  }
  return out;
}

/**
 * Runs `operators` over the table's rows and returns which rows they keep. Row identity rides in an
 * extra column; if an operator drops it (`project`), each row is checked on its own.
 */
async function matchRows(
  core: EmulatorCore,
  db: Database,
  table: Table,
  operators: SyntaxElement[],
): Promise<Matches> {
  const candidates = visibleRows(table);
  const env = core.queryEnv(db.name);
  const toRow = (c: (typeof candidates)[number], id: number): Row => ({
    values: [...c.values, id],
    meta: { ingestionTime: c.extent.ingestionTime, cursor: c.extent.cursor },
  });
  const columns: Column[] = [...table.columns.map((c) => ({ ...c })), { name: ROW_ID, type: 'long' }];
  const kept: number[] = [];
  const relation: Relation = { columns, rows: candidates.map(toRow) };
  const out = await applyOperators(relation, operators, env);
  const at = out.columns.findIndex((c) => c.name === ROW_ID);
  if (at >= 0) {
    for (const r of out.rows) kept.push(Number(r.values[at]));
  } else {
    for (let i = 0; i < candidates.length; i++) {
      const one = await applyOperators({ columns, rows: [toRow(candidates[i]!, i)] }, operators, env);
      if (one.rows.length > 0) kept.push(i);
    }
  }
  const matches: Matches = new Map();
  for (const id of new Set(kept)) {
    const c = candidates[id];
    if (!c) continue;
    const list = matches.get(c.extent) ?? [];
    list.push(c.row);
    matches.set(c.extent, list);
  }
  return matches;
}

function countMatches(matches: Matches): number {
  let n = 0;
  for (const rows of matches.values()) n += rows.length;
  return n;
}

/** Splits a query node into its source expression and the operators piped after it. */
function splitPipe(node: SyntaxElement): { source: SyntaxElement; operators: SyntaxElement[] } {
  const operators: SyntaxElement[] = [];
  let source = node;
  while (kindOf(source) === 'PipeExpression') {
    const parts = childrenOf(source);
    operators.unshift(parts[parts.length - 1]!);
    source = parts[0]!;
  }
  return { source, operators };
}

async function softDelete(inv: CommandInvocation): Promise<CommandResult> {
  const db = requireDatabase(inv.core, inv.database);
  const nameNode = childrenOf(inv.body).find(isName);
  if (!nameNode) throw KustoError.badRequest('Syntax error: expected a table name.');
  const table = requireTable(db, nameOf(nameNode));
  const input = queryInput(inv.body, inv.text);
  if (!input)
    throw KustoError.badRequest("Syntax error: '.delete table T records' needs a predicate after '<|'.");
  const { source, operators } = splitPipe(input.node);
  if (!isName(source) || nameOf(source) !== table.name) {
    throw KustoError.badRequest(
      `The delete predicate must start with the table name '${table.name}' (found '${textOf(source)}').`,
    );
  }
  if (!operators.some((o) => kindOf(o) === 'FilterOperator')) {
    throw KustoError.badRequest('The delete predicate must have at least one where operator.');
  }
  const whatIf = boolProperty(withProperties(inv.body), 'whatif') === true;
  const matches = await matchRows(inv.core, db, table, operators);
  const rows: KValue[][] = [];
  for (const [extent, matched] of matches) {
    if (whatIf) {
      rows.push([extent.id, '', matched.length]);
      continue;
    }
    const deleted = [...extent.deleted];
    for (const r of matched) deleted[r] = true;
    const next = replaceExtent(inv.core, table, extent, extent.rows, deleted);
    rows.push([extent.id, next?.id ?? '', matched.length]);
  }
  return { columns: DELETE_RESULT, rows };
}

/** Words and values of an UnknownCommand token list (`.purge ...` is not in the parser's grammar). */
interface PurgeSyntax {
  readonly table: string;
  readonly database: string | undefined;
  readonly props: Map<string, string>;
  readonly predicate: string;
}

/** Reads a name at `tokens[i]`: a bare word or `[ 'quoted' ]`. Returns the name and the next index. */
function tokenName(tokens: SyntaxElement[], i: number): [string, number] {
  const t = tokens[i];
  if (!t) throw KustoError.badRequest('Syntax error: expected a name.');
  if (String(t.Text) === '[') {
    const inner = tokens[i + 1];
    if (!inner || String(tokens[i + 2]?.Text) !== ']')
      throw KustoError.badRequest('Syntax error: invalid bracketed name.');
    return [String(inner.ValueText), i + 3];
  }
  return [String(t.ValueText ?? t.Text), i + 1];
}

function parsePurge(inv: CommandInvocation): PurgeSyntax {
  const tokens = childrenOf(inv.body).filter((t) => t.IsToken);
  const word = (i: number): string => String(tokens[i]?.Text ?? '').toLowerCase();
  if (word(0) !== 'purge' || word(1) !== 'table')
    throw KustoError.badRequest('Syntax error: expected `.purge table T records ...`.');
  const [table, afterName] = tokenName(tokens, 2);
  let i = afterName;
  if (word(i) === 'allrecords' || word(i + 2) === 'allrecords')
    throw KustoError.badRequest('`.purge table T allrecords` is not supported by the emulator.');
  if (word(i) !== 'records')
    throw KustoError.badRequest("Syntax error: expected 'records' after the table name.");
  i += 1;
  let database: string | undefined;
  if (word(i) === 'in' && word(i + 1) === 'database') [database, i] = tokenName(tokens, i + 2);
  const props = new Map<string, string>();
  if (word(i) === 'with') {
    if (word(i + 1) !== '(') throw KustoError.badRequest("Syntax error: expected '(' after 'with'.");
    i += 2;
    while (i < tokens.length && word(i) !== ')') {
      const key = word(i);
      if (word(i + 1) !== '=' || !tokens[i + 2])
        throw KustoError.badRequest(`Syntax error: expected '${key} = value'.`);
      props.set(key, String(tokens[i + 2]!.ValueText ?? tokens[i + 2]!.Text));
      i += word(i + 3) === ',' ? 4 : 3;
    }
    i += 1;
  }
  if (i < tokens.length)
    throw KustoError.badRequest(`Syntax error: unexpected '${String(tokens[i]!.Text)}' in .purge command.`);
  // The predicate is outside the command node (the parser skips it): everything after `<|`.
  const rest = inv.text.slice(Number(inv.command.TextStart) + Number(inv.command.Width)).trim();
  if (!rest.startsWith('<|'))
    throw KustoError.badRequest("Syntax error: '.purge' needs a predicate after '<|'.");
  return { table, database, props, predicate: rest.slice(2).trim() };
}

/** The `where` operators of a purge predicate (only simple selections are allowed, as documented). */
function purgeOperators(predicate: string): SyntaxElement[] {
  const parsed = parseKusto(predicate);
  const diagnostic = parsed.diagnostics[0];
  if (diagnostic) throw syntaxError(predicate, diagnostic);
  let expression: SyntaxElement | undefined;
  const find = (n: SyntaxElement): void => {
    if (expression || n.IsToken) return;
    if (kindOf(n) === 'ExpressionStatement') expression = childrenOf(n).find((c) => !c.IsToken);
    else childrenOf(n).forEach(find);
  };
  find(parsed.root);
  if (!expression) throw KustoError.badRequest('The purge predicate is empty.');
  // Documented limitation: one `where`, several conditions combined with `and`, nothing else.
  if (kindOf(expression) !== 'FilterOperator') {
    throw KustoError.badRequest(
      `The purge predicate must be a single simple selection ('where ...'), found '${predicate}'.`,
    );
  }
  return [expression];
}

function verificationToken(db: string, table: string, predicate: string): string {
  return createHash('sha256').update(`${db}\u0000${table}\u0000${predicate}`).digest('hex');
}

async function purge(inv: CommandInvocation): Promise<CommandResult> {
  const syntax = parsePurge(inv);
  const db = requireDatabase(inv.core, syntax.database ?? inv.database);
  const table = requireTable(db, syntax.table);
  const operators = purgeOperators(syntax.predicate);
  const matches = await matchRows(inv.core, db, table, operators);
  const token = syntax.props.get('verificationtoken');
  const noRegrets = syntax.props.get('noregrets')?.toLowerCase() === 'true';
  if (!noRegrets && token === undefined) {
    const issued = verificationToken(db.name, table.name, syntax.predicate);
    db.purgeTokens.set(issued, { table: table.name, predicate: syntax.predicate });
    const count = countMatches(matches);
    return { columns: PURGE_VERIFICATION, rows: [[count, Math.max(1000, count), issued]] };
  }
  if (!noRegrets) {
    const pending = db.purgeTokens.get(token ?? '');
    if (!pending || pending.table !== table.name || pending.predicate !== syntax.predicate) {
      throw KustoError.badRequest(
        'Purge verification token is invalid or does not match the table and predicate of the first step.',
      );
    }
    db.purgeTokens.delete(token ?? '');
  }
  for (const [extent, matched] of matches) {
    const drop = new Set(matched);
    const rows = extent.rows.filter((_, r) => !drop.has(r));
    const deleted = extent.deleted.filter((_, r) => !drop.has(r));
    replaceExtent(inv.core, table, extent, rows, deleted);
  }
  const now = inv.core.state.clock.now();
  const row: KValue[] = [
    inv.core.state.newId(),
    db.name,
    table.name,
    now,
    0,
    now,
    inv.core.state.newId(),
    'Completed',
    'Purge completed successfully (storage artifacts pending deletion)',
    now,
    0,
    0,
    inv.clientRequestId ?? '',
    'emulator',
  ];
  return { columns: PURGE_OPERATION, rows: [row] };
}

/** The deletion commands. */
export const deletionCommands: CommandSpec[] = [
  { pattern: ['delete', 'table', '$name', 'records'], mutating: true, run: softDelete },
  // `.purge` runs against the data-management endpoint (db NetDefaultDB) and names its database.
  { pattern: ['purge', 'table'], mutating: true, dataManagement: true, needsDatabase: false, run: purge },
];
