/** `summarize aggregates [by keys]`: groups in first-seen order; without keys always one row. */
import type { Column, KValue } from '../values';
import { compileAggregate, firstColumnName, type Accumulator } from './aggregates';
import { contextFor, type Compiled, type Scope } from './context';
import { compileScalar } from './expressions';
import { nameOf } from './literals';
import { categoryOf, str } from './ops';
import { kindOf, listItems, part, semanticError, unsupported, type SyntaxElement } from './syntax';
import type { Relation, Row } from './types';

interface GroupKey {
  readonly name: string;
  readonly compiled: Compiled;
}

/** Makes names unique the way Kusto does for generated columns: `name`, `name1`, `name2`... */
export function uniqueName(name: string, used: Set<string>): string {
  let candidate = name;
  for (let i = 1; used.has(candidate); i++) candidate = `${name}${i}`;
  used.add(candidate);
  return candidate;
}

function groupKeys(op: SyntaxElement, input: Relation, scope: Scope): GroupKey[] {
  const by = op.ByClause as SyntaxElement | null;
  if (!by) return [];
  if (by.BinClause) throw unsupported("summarize's 'bin=' clause");
  const ctx = contextFor(input.columns, scope, 'summarize');
  let unnamed = 0;
  return listItems(by.Expressions as SyntaxElement | null).map((item) => {
    if (kindOf(item) === 'SimpleNamedExpression') {
      return { name: nameOf(part(item, 'Name')), compiled: compileScalar(part(item, 'Expression'), ctx) };
    }
    // `by bin(Timestamp, 1d)` is named after the column it bins.
    const name = firstColumnName(item, ctx) ?? `Column${++unnamed}`;
    return { name, compiled: compileScalar(item, ctx) };
  });
}

/** Applies a SummarizeOperator node. */
export function applySummarize(input: Relation, op: SyntaxElement, scope: Scope): Relation {
  const keys = groupKeys(op, input, scope);
  const byNames = new Set(keys.map((k) => k.name));
  const ctx = contextFor(input.columns, scope, 'summarize');
  const aggregates = listItems(op.Aggregates as SyntaxElement | null).map((node) =>
    compileAggregate(node, ctx, byNames),
  );

  const used = new Set<string>();
  const columns: Column[] = [];
  for (const key of keys) {
    if (used.has(key.name))
      throw semanticError(`summarize: the by-column name '${key.name}' is used twice.`, 'SEM0103');
    used.add(key.name);
    columns.push({ name: key.name, type: key.compiled.type });
  }
  for (const agg of aggregates)
    for (const c of agg.columns) columns.push({ name: uniqueName(c.name, used), type: c.type });

  // Strings are never null in Kusto: a missing string groups with ''.
  const keyEvals = keys.map((k) =>
    categoryOf(k.compiled.type) === 'string'
      ? (row: Row): KValue => str(k.compiled.eval(row))
      : k.compiled.eval,
  );
  const groups = new Map<unknown, { keyValues: KValue[]; accumulators: Accumulator[] }>();
  const single = keyEvals.length === 1 ? keyEvals[0]! : undefined;
  const groupOf = (row: Row): Accumulator[] => {
    let mapKey: unknown;
    let keyValues: KValue[];
    const value = single?.(row);
    if (value !== undefined && (value === null || typeof value !== 'object')) {
      // Fast path for the common single primitive key: no key array per row.
      mapKey = value;
      const group = groups.get(mapKey);
      if (group) return group.accumulators;
      keyValues = [value];
    } else {
      keyValues = keyEvals.map((e) => e(row));
      mapKey = JSON.stringify(keyValues);
    }
    let group = groups.get(mapKey);
    if (!group) {
      group = { keyValues, accumulators: aggregates.map((a) => a.newAccumulator()) };
      groups.set(mapKey, group);
    }
    return group.accumulators;
  };
  if (keys.length === 0) groupOf({ values: [] });
  for (const row of input.rows) for (const acc of groupOf(row)) acc.add(row);

  const rows: Row[] = [];
  for (const group of groups.values()) {
    rows.push({ values: [...group.keyValues, ...group.accumulators.flatMap((a) => a.result())] });
  }
  return { columns, rows };
}
