/**
 * Tabular expressions: table references, `let`-bound tables, pipes, parentheses, `external_table()`,
 * `table()`, `datatable`, `externaldata`, `print` and `union` as a source.
 */
import { KustoError } from '../kustoError';
import { coerce, type KValue } from '../values';
import { contextFor, EMPTY_ROW, type Scope } from './context';
import { compileScalar } from './expressions';
import { evaluateExternalData, rowSchemaColumns } from './externalData';
import { literalValue, nameOf } from './literals';
import { applyOperator, evaluatePrint, unionRelations } from './operators';
import { kindOf, listItems, part, semanticError, textOf, unsupported, type SyntaxElement } from './syntax';
import type { Relation, Row } from './types';

/** Rows of a table or of a tabular `let` named `name`. */
async function byName(name: string, scope: Scope): Promise<Relation> {
  const binding = scope.lets.get(name);
  if (binding?.kind === 'tabular') return binding.get();
  if (binding) throw semanticError(`'${name}' is a scalar value and cannot be used as a table.`);
  return scope.env.table(name);
}

function stringArgument(call: SyntaxElement, fn: string): string {
  const args = listItems(part(call, 'ArgumentList').Expressions as SyntaxElement | null);
  const first = args[0];
  if (args.length !== 1 || !first)
    throw semanticError(`${fn}() expects one table name: '${textOf(call)}'.`, 'SEM0219');
  const literal = kindOf(first) === 'NameReference' ? { value: nameOf(first) } : literalValue(first);
  if (typeof literal.value !== 'string')
    throw semanticError(`${fn}() expects a table name string: '${textOf(call)}'.`, 'SEM0219');
  return literal.value;
}

async function functionSource(node: SyntaxElement, scope: Scope): Promise<Relation> {
  const fn = nameOf(part(node, 'Name'));
  if (fn === 'external_table') return scope.env.externalTable(stringArgument(node, fn));
  if (fn === 'table') return byName(stringArgument(node, fn), scope);
  throw unsupported(`The tabular function '${fn}'`);
}

function datatable(node: SyntaxElement, scope: Scope): Relation {
  const columns = rowSchemaColumns(part(node, 'Schema'), 'datatable');
  const ctx = contextFor([], scope, 'datatable');
  const cells = listItems(node.Values as SyntaxElement | null).map((v) =>
    compileScalar(v, ctx).eval(EMPTY_ROW),
  );
  if (columns.length === 0 || cells.length % columns.length !== 0) {
    throw semanticError(
      `datatable: ${cells.length} values do not fill rows of ${columns.length} columns.`,
      'SEM0001',
    );
  }
  const rows: Row[] = [];
  for (let i = 0; i < cells.length; i += columns.length) {
    rows.push({ values: columns.map((c, j): KValue => coerce(cells[i + j] ?? null, c.type)) });
  }
  return { columns, rows };
}

/** Evaluates a tabular expression node within a scope. */
export async function evaluateTabular(node: SyntaxElement, scope: Scope): Promise<Relation> {
  const kind = kindOf(node);
  switch (kind) {
    case 'PipeExpression':
      return applyOperator(
        await evaluateTabular(part(node, 'Expression'), scope),
        part(node, 'Operator'),
        scope,
      );
    case 'ParenthesizedExpression':
      return evaluateTabular(part(node, 'Expression'), scope);
    case 'NameReference':
    case 'BracketedName':
      return byName(nameOf(node), scope);
    case 'FunctionCallExpression':
      return functionSource(node, scope);
    case 'DataTableExpression':
      return datatable(node, scope);
    case 'ExternalDataExpression':
      return evaluateExternalData(node, scope.env);
    case 'PrintOperator':
      return evaluatePrint(node, scope);
    case 'UnionOperator': {
      const inputs: Relation[] = [];
      for (const item of listItems(node.Expressions as SyntaxElement | null))
        inputs.push(await evaluateTabular(item, scope));
      return unionRelations(inputs);
    }
    case 'CustomCommand':
      throw KustoError.badRequest('A management command cannot be used inside a query.');
    default:
      throw unsupported(`The tabular expression '${textOf(node)}' (${kind})`);
  }
}
