/**
 * Tabular query operators (`| where`, `| project`, ...). Each operator compiles its expressions once
 * against the input's columns and then runs the closures over the rows. Input relations are never
 * mutated: they may be a table's rows or a cached `let` result.
 */
import { SYSTEM_TYPE, type Column, type KValue } from '../values';
import { contextFor, EMPTY_ROW, type Compiled, type Scope } from './context';
import { compileScalar } from './expressions';
import { nameOf } from './literals';
import { categoryOf, str } from './ops';
import { applySort, applyTop } from './sort';
import { prepareSubqueries } from './subqueries';
import { applySummarize } from './summarize';
import { kindOf, listItems, part, semanticError, textOf, unsupported, type SyntaxElement } from './syntax';
import type { Relation, Row } from './types';

type Operator = (input: Relation, op: SyntaxElement, scope: Scope) => Relation | Promise<Relation>;

/** Applies one query operator node to a relation. */
export async function applyOperator(input: Relation, op: SyntaxElement, scope: Scope): Promise<Relation> {
  const kind = kindOf(op);
  const operator = OPERATORS[kind];
  if (!operator) throw unsupported(`The '${operatorKeyword(op)}' operator`);
  checkParameters(op);
  await prepareSubqueries(op, scope);
  return operator(input, op, scope);
}

function operatorKeyword(op: SyntaxElement): string {
  const first = op.GetChild(0);
  return first?.IsToken ? first.Text : textOf(op);
}

/** Query hints (`hint.strategy=...`) do not change results and are ignored; other parameters are not implemented. */
function checkParameters(op: SyntaxElement): void {
  for (const p of listItems(op.Parameters as SyntaxElement | null)) {
    const name = nameOf(part(p, 'Name'));
    if (!name.toLowerCase().startsWith('hint.'))
      throw unsupported(`The parameter '${name}' of the '${operatorKeyword(op)}' operator`);
  }
}

function columnReader(index: number, type: Column['type']): Compiled {
  return { type, constant: false, eval: (row) => row.values[index] ?? null };
}

function isWildcard(node: SyntaxElement): boolean {
  return kindOf(node) === 'NameReference' && kindOf(node.GetChild(0)!) === 'WildcardedName';
}

function wildcardMatcher(pattern: string): (name: string) => boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return (name) => re.test(name);
}

/** Input columns named by a list of names and wildcards (project-away/keep/reorder). */
function selectColumns(input: Relation, items: SyntaxElement[], operator: string): number[] {
  const picked: number[] = [];
  for (const item of items) {
    if (isWildcard(item)) {
      const match = wildcardMatcher(nameOf(item));
      input.columns.forEach((c, i) => {
        if (match(c.name) && !picked.includes(i)) picked.push(i);
      });
      continue;
    }
    if (kindOf(item) !== 'NameReference')
      throw unsupported(`The expression '${textOf(item)}' in '${operator}'`);
    const name = nameOf(item);
    const index = input.columns.findIndex((c) => c.name === name);
    if (index < 0) throw semanticError(`'${operator}' operator: Failed to resolve column named '${name}'`);
    if (!picked.includes(index)) picked.push(index);
  }
  return picked;
}

function keepColumns(input: Relation, indexes: readonly number[]): Relation {
  return {
    columns: indexes.map((i) => input.columns[i]!),
    rows: input.rows.map((row) =>
      withValues(
        row,
        indexes.map((i) => row.values[i] ?? null),
      ),
    ),
  };
}

/** A row with new values; the hidden metadata (ingestion time, cursor) follows the row. */
function withValues(row: Row, values: KValue[]): Row {
  return row.meta ? { values, meta: row.meta } : { values };
}

function filter(input: Relation, op: SyntaxElement, scope: Scope): Relation {
  const predicate = compileScalar(part(op, 'Condition'), contextFor(input.columns, scope, 'where'));
  const category = categoryOf(predicate.type);
  if (category !== 'bool' && category !== 'dynamic') {
    throw semanticError(
      `'where' operator: the predicate must be a bool expression, got ${predicate.type}: '${textOf(part(op, 'Condition'))}'.`,
      'SEM0025',
    );
  }
  const test = predicate.eval;
  const rows: Row[] = [];
  for (const row of input.rows) if (test(row) === true) rows.push(row);
  return { columns: input.columns, rows };
}

interface OutputColumn {
  readonly name: string;
  readonly compiled: Compiled;
}

/** Name and expression of a `name = expr` item or of a bare expression (named after the column it is, or ColumnN). */
function namedItem(item: SyntaxElement, ctx: ReturnType<typeof contextFor>, used: Set<string>): OutputColumn {
  if (kindOf(item) === 'SimpleNamedExpression') {
    return { name: nameOf(part(item, 'Name')), compiled: compileScalar(part(item, 'Expression'), ctx) };
  }
  if (kindOf(item) === 'CompoundNamedExpression')
    throw unsupported(`The multi-name assignment '${textOf(item)}'`);
  const compiled = compileScalar(item, ctx);
  if (kindOf(item) === 'NameReference') return { name: nameOf(item), compiled };
  let n = 1;
  while (used.has(`Column${n}`)) n++;
  return { name: `Column${n}`, compiled };
}

function project(input: Relation, op: SyntaxElement, scope: Scope): Relation {
  const ctx = contextFor(input.columns, scope, 'project');
  const used = new Set<string>();
  const outputs: OutputColumn[] = [];
  for (const item of listItems(op.Expressions as SyntaxElement | null)) {
    const out = namedItem(item, ctx, used);
    if (used.has(out.name))
      throw semanticError(
        `'project' operator: the column name '${out.name}' is used more than once.`,
        'SEM0103',
      );
    used.add(out.name);
    outputs.push(out);
  }
  const evals = outputs.map((o) => o.compiled.eval);
  return {
    columns: outputs.map((o) => ({ name: o.name, type: o.compiled.type })),
    rows: input.rows.map((row) =>
      withValues(
        row,
        evals.map((e) => e(row)),
      ),
    ),
  };
}

function extend(input: Relation, op: SyntaxElement, scope: Scope): Relation {
  // Later items may use earlier ones (`extend a = 1, b = a + 1`), so each compiles against the columns so far.
  const columns = [...input.columns];
  const steps: { index: number; eval: Compiled['eval'] }[] = [];
  for (const item of listItems(op.Expressions as SyntaxElement | null)) {
    const ctx = contextFor(columns, scope, 'extend');
    const out = namedItem(item, ctx, new Set(columns.map((c) => c.name)));
    let index = columns.findIndex((c) => c.name === out.name);
    if (index < 0) index = columns.length;
    columns[index] = { name: out.name, type: out.compiled.type };
    steps.push({ index, eval: out.compiled.eval });
  }
  const width = columns.length;
  const rows = input.rows.map((row) => {
    const values = row.values.slice();
    values.length = width;
    const next = withValues(row, values);
    for (const step of steps) values[step.index] = step.eval(next);
    for (let i = 0; i < width; i++) if (values[i] === undefined) values[i] = null;
    return next;
  });
  return { columns, rows };
}

function projectAway(input: Relation, op: SyntaxElement): Relation {
  const away = new Set(
    selectColumns(input, listItems(op.Expressions as SyntaxElement | null), 'project-away'),
  );
  return keepColumns(
    input,
    input.columns.map((_, i) => i).filter((i) => !away.has(i)),
  );
}

function projectKeep(input: Relation, op: SyntaxElement): Relation {
  const keep = new Set(
    selectColumns(input, listItems(op.Expressions as SyntaxElement | null), 'project-keep'),
  );
  return keepColumns(
    input,
    input.columns.map((_, i) => i).filter((i) => keep.has(i)),
  );
}

function projectReorder(input: Relation, op: SyntaxElement): Relation {
  const first = selectColumns(input, listItems(op.Expressions as SyntaxElement | null), 'project-reorder');
  return keepColumns(input, [...first, ...input.columns.map((_, i) => i).filter((i) => !first.includes(i))]);
}

function projectRename(input: Relation, op: SyntaxElement): Relation {
  const columns = [...input.columns];
  for (const item of listItems(op.Expressions as SyntaxElement | null)) {
    if (kindOf(item) !== 'SimpleNamedExpression')
      throw unsupported(`The project-rename item '${textOf(item)}'`);
    const to = nameOf(part(item, 'Name'));
    const from = nameOf(part(item, 'Expression'));
    const index = input.columns.findIndex((c) => c.name === from);
    if (index < 0) throw semanticError(`'project-rename' operator: Failed to resolve column named '${from}'`);
    columns[index] = { name: to, type: input.columns[index]!.type };
  }
  if (new Set(columns.map((c) => c.name)).size !== columns.length) {
    throw semanticError(
      `'project-rename' operator: the renamed columns collide with existing ones.`,
      'SEM0103',
    );
  }
  return { columns, rows: input.rows };
}

/** A constant count argument (`take 5`, `top n by ...` with `let n = 5`). */
function countArgument(node: SyntaxElement, scope: Scope, operator: string): number {
  const compiled = compileScalar(node, contextFor([], scope, operator));
  const value = compiled.eval(EMPTY_ROW);
  if (typeof value !== 'number' || categoryOf(compiled.type) !== 'number') {
    throw semanticError(
      `'${operator}' operator: expected a constant number of rows, got '${textOf(node)}'.`,
      'SEM0001',
    );
  }
  return Math.max(0, Math.trunc(value));
}

function take(input: Relation, op: SyntaxElement, scope: Scope): Relation {
  const n = countArgument(part(op, 'Expression'), scope, 'take');
  return { columns: input.columns, rows: input.rows.slice(0, n) };
}

function top(input: Relation, op: SyntaxElement, scope: Scope): Relation {
  return applyTop(input, op, countArgument(part(op, 'Expression'), scope, 'top'), scope);
}

function count(input: Relation, op: SyntaxElement): Relation {
  const as = op.AsIdentifier as SyntaxElement | null;
  const name = as ? nameOf(part(as, 'Identifier')) : 'Count';
  return { columns: [{ name, type: 'long' }], rows: [{ values: [input.rows.length] }] };
}

function distinct(input: Relation, op: SyntaxElement, scope: Scope): Relation {
  const items = listItems(op.Expressions as SyntaxElement | null);
  let outputs: OutputColumn[];
  if (items.length === 1 && kindOf(items[0]!) === 'StarExpression') {
    outputs = input.columns.map((c, i) => ({ name: c.name, compiled: columnReader(i, c.type) }));
  } else {
    const ctx = contextFor(input.columns, scope, 'distinct');
    const used = new Set<string>();
    outputs = items.map((item) => {
      const out = namedItem(item, ctx, used);
      used.add(out.name);
      return out;
    });
  }
  const evals = outputs.map((o) =>
    categoryOf(o.compiled.type) === 'string'
      ? (row: Row): KValue => str(o.compiled.eval(row))
      : o.compiled.eval,
  );
  const seen = new Set<string>();
  const rows: Row[] = [];
  for (const row of input.rows) {
    const values = evals.map((e) => e(row));
    const key = JSON.stringify(values);
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push({ values });
  }
  return { columns: outputs.map((o) => ({ name: o.name, type: o.compiled.type })), rows };
}

/** `print a = 1, 'x'`: one row; unnamed items are called print_0, print_1... */
export function evaluatePrint(op: SyntaxElement, scope: Scope): Relation {
  const ctx = contextFor([], scope, 'print');
  const used = new Set<string>();
  const outputs = listItems(op.Expressions as SyntaxElement | null).map((item, i) => {
    if (kindOf(item) === 'SimpleNamedExpression') return namedItem(item, ctx, used);
    return { name: `print_${i}`, compiled: compileScalar(item, ctx) };
  });
  return {
    columns: outputs.map((o) => ({ name: o.name, type: o.compiled.type })),
    rows: [{ values: outputs.map((o) => o.compiled.eval(EMPTY_ROW)) }],
  };
}

/**
 * Union by column name (Kusto's default `kind=outer`). Columns that share a name but not a type are
 * kept apart as `name_type`, as Kusto does.
 */
export function unionRelations(relations: readonly Relation[]): Relation {
  const typesByName = new Map<string, Set<string>>();
  for (const r of relations)
    for (const c of r.columns)
      (typesByName.get(c.name) ?? typesByName.set(c.name, new Set()).get(c.name)!).add(c.type);
  const columns: Column[] = [];
  const position = new Map<string, number>();
  const outName = (c: Column): string => (typesByName.get(c.name)!.size > 1 ? `${c.name}_${c.type}` : c.name);
  for (const r of relations) {
    for (const c of r.columns) {
      const name = outName(c);
      if (!position.has(name)) {
        position.set(name, columns.length);
        columns.push({ name, type: c.type });
      }
    }
  }
  const rows: Row[] = [];
  for (const r of relations) {
    const targets = r.columns.map((c) => position.get(outName(c))!);
    for (const row of r.rows) {
      const values: KValue[] = new Array<KValue>(columns.length).fill(null);
      targets.forEach((t, i) => (values[t] = row.values[i] ?? null));
      rows.push(withValues(row, values));
    }
  }
  return { columns, rows };
}

async function union(input: Relation, op: SyntaxElement, scope: Scope): Promise<Relation> {
  const others: Relation[] = [];
  for (const item of listItems(op.Expressions as SyntaxElement | null)) {
    if (isWildcard(item)) throw unsupported(`The wildcard table reference '${nameOf(item)}' in union`);
    others.push(await scope.evaluateTabular(item, scope));
  }
  return unionRelations([input, ...others]);
}

function getschema(input: Relation): Relation {
  return {
    columns: [
      { name: 'ColumnName', type: 'string' },
      { name: 'ColumnOrdinal', type: 'int' },
      { name: 'DataType', type: 'string' },
      { name: 'ColumnType', type: 'string' },
    ],
    rows: input.columns.map((c, i) => ({ values: [c.name, i, SYSTEM_TYPE[c.type], c.type] })),
  };
}

function serialize(input: Relation, op: SyntaxElement, scope: Scope): Relation {
  // The emulator's rows are always ordered, so serialize only adds its optional columns.
  return listItems(op.Expressions as SyntaxElement | null).length > 0 ? extend(input, op, scope) : input;
}

const OPERATORS: Record<string, Operator> = {
  FilterOperator: filter,
  ProjectOperator: project,
  ExtendOperator: extend,
  ProjectAwayOperator: projectAway,
  ProjectKeepOperator: projectKeep,
  ProjectReorderOperator: projectReorder,
  ProjectRenameOperator: projectRename,
  SummarizeOperator: applySummarize,
  CountOperator: count,
  TakeOperator: take,
  TopOperator: top,
  SortOperator: applySort,
  DistinctOperator: distinct,
  UnionOperator: union,
  GetSchemaOperator: getschema,
  SerializeOperator: serialize,
};

/** Kinds of operator nodes the emulator implements (for documentation and tests). */
export function operatorKinds(): string[] {
  return Object.keys(OPERATORS);
}
