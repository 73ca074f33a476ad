/** `sort by` / `order by` and `top N by`: ordering with Kusto's defaults (desc; nulls last for desc, first for asc). */
import type { KValue } from '../values';
import { contextFor, type Scope } from './context';
import { compileScalar } from './expressions';
import { isNullFor, sortOrder } from './ops';
import { kindOf, listItems, part, type SyntaxElement } from './syntax';
import type { Relation, Row } from './types';

interface SortKey {
  readonly eval: (row: Row) => KValue;
  readonly order: (a: KValue, b: KValue) => number;
  readonly isNull: (v: KValue) => boolean;
  readonly desc: boolean;
  readonly nullsFirst: boolean;
}

function sortKey(node: SyntaxElement, input: Relation, scope: Scope, operator: string): SortKey {
  let expression = node;
  let desc = true;
  let nullsFirst: boolean | undefined;
  if (kindOf(node) === 'OrderedExpression') {
    expression = part(node, 'Expression');
    const ordering = node.Ordering as SyntaxElement | null;
    const direction = (ordering?.AscOrDescKeyword as SyntaxElement | null)?.Text;
    if (direction) desc = direction.toLowerCase() === 'desc';
    const nulls = (ordering?.NullsClause as SyntaxElement | null)?.FirstOrLastKeyword as SyntaxElement | null;
    if (nulls) nullsFirst = nulls.Text.toLowerCase() === 'first';
  }
  const compiled = compileScalar(expression, contextFor(input.columns, scope, operator));
  return {
    eval: compiled.eval,
    order: sortOrder(compiled.type),
    isNull: isNullFor(compiled.type),
    desc,
    nullsFirst: nullsFirst ?? !desc,
  };
}

/** Stable sort of a relation's rows by the given keys (decorate, sort, undecorate). */
function sortRows(input: Relation, keys: readonly SortKey[]): Row[] {
  const decorated = input.rows.map((row) => ({ row, values: keys.map((k) => k.eval(row)) }));
  decorated.sort((x, y) => {
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const a = x.values[i] ?? null;
      const b = y.values[i] ?? null;
      const an = key.isNull(a);
      const bn = key.isNull(b);
      if (an || bn) {
        if (an && bn) continue;
        return an === key.nullsFirst ? -1 : 1;
      }
      const c = key.order(a, b);
      if (c !== 0) return key.desc ? -c : c;
    }
    return 0;
  });
  return decorated.map((d) => d.row);
}

/** `sort by` / `order by`. */
export function applySort(input: Relation, op: SyntaxElement, scope: Scope): Relation {
  const keys = listItems(op.Expressions as SyntaxElement | null).map((n) => sortKey(n, input, scope, 'sort'));
  return { columns: input.columns, rows: sortRows(input, keys) };
}

/** `top N by expr [asc|desc] [nulls first|last]`. */
export function applyTop(input: Relation, op: SyntaxElement, count: number, scope: Scope): Relation {
  const key = sortKey(part(op, 'ByExpression'), input, scope, 'top');
  return { columns: input.columns, rows: sortRows(input, [key]).slice(0, Math.max(0, count)) };
}
