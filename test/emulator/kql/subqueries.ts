/**
 * Tabular subqueries inside scalar expressions (`toscalar(...)`, `x in (T | project y)`). Expression
 * compilation is synchronous, while tables may load asynchronously (external tables), so an
 * operator's subqueries are evaluated first and their results stored in the scope.
 */
import type { KType, KValue } from '../values';
import type { Scope } from './context';
import { nameOf } from './literals';
import { kindOf, listItems, part, type SyntaxElement } from './syntax';

/** Node kinds that always denote a tabular expression. */
const TABULAR_KINDS = new Set([
  'PipeExpression',
  'DataTableExpression',
  'UnionOperator',
  'PrintOperator',
  'RangeOperator',
  'ExternalDataExpression',
  'ToTableExpression',
]);

/** Functions that return tables. */
const TABULAR_FUNCTIONS = new Set(['external_table', 'table', 'materialize']);

/** Functions that select another database or cluster. */
const SCOPE_FUNCTIONS = new Set(['database', 'cluster']);

const IN_KINDS = new Set(['InExpression', 'InCsExpression', 'NotInExpression', 'NotInCsExpression']);

function namesOtherDatabase(node: SyntaxElement): boolean {
  const kind = kindOf(node);
  if (kind === 'PathExpression') return namesOtherDatabase(part(node, 'Expression'));
  return kind === 'FunctionCallExpression' && SCOPE_FUNCTIONS.has(nameOf(part(node, 'Name')));
}

/**
 * Whether a node is a tabular expression. A bare name is tabular when bound to a tabular `let`, or,
 * with `unboundNamesAreTables`, when it is not bound at all (a table of the database).
 */
export function isTabular(node: SyntaxElement, scope: Scope, unboundNamesAreTables: boolean): boolean {
  const kind = kindOf(node);
  if (TABULAR_KINDS.has(kind)) return true;
  if (kind === 'ParenthesizedExpression')
    return isTabular(part(node, 'Expression'), scope, unboundNamesAreTables);
  if (kind === 'NameReference') {
    const binding = scope.lets.get(nameOf(node));
    return binding ? binding.kind === 'tabular' : unboundNamesAreTables;
  }
  if (kind === 'FunctionCallExpression') return TABULAR_FUNCTIONS.has(nameOf(part(node, 'Name')));
  // database('db').T and cluster('c').database('db').T name tables in other databases.
  if (kind === 'PathExpression') return namesOtherDatabase(part(node, 'Expression'));
  return false;
}

/** First column of a subquery's result: what `toscalar` and `in (...)` read. */
async function evaluateColumn(node: SyntaxElement, scope: Scope): Promise<{ values: KValue[]; type: KType }> {
  const relation = await scope.evaluateTabular(node, scope);
  return {
    values: relation.rows.map((r) => r.values[0] ?? null),
    type: relation.columns[0]?.type ?? 'dynamic',
  };
}

/** Evaluates the subqueries under `node` (not descending into nested tabular expressions) into `scope.subqueries`. */
export async function prepareSubqueries(node: SyntaxElement, scope: Scope): Promise<void> {
  const kind = kindOf(node);
  if (kind === 'ToScalarExpression') {
    if (scope.subqueries.has(node)) return;
    const { values, type } = await evaluateColumn(part(node, 'Expression'), scope);
    scope.subqueries.set(node, { kind: 'scalar', value: values[0] ?? null, type });
    return;
  }
  if (IN_KINDS.has(kind)) {
    await prepareSubqueries(part(node, 'Left'), scope);
    for (const item of listItems(part(node, 'Right').Expressions as SyntaxElement | null)) {
      if (isTabular(item, scope, false)) {
        if (scope.subqueries.has(item)) continue;
        const { values, type } = await evaluateColumn(item, scope);
        scope.subqueries.set(item, { kind: 'list', values, type });
      } else {
        await prepareSubqueries(item, scope);
      }
    }
    return;
  }
  for (let i = 0; i < node.ChildCount; i++) {
    const child = node.GetChild(i);
    if (!child || child.IsToken || TABULAR_KINDS.has(kindOf(child))) continue;
    await prepareSubqueries(child, scope);
  }
}
