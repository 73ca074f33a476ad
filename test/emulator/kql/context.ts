/**
 * What expression compilation sees: the input columns, `let` bindings, pre-evaluated subqueries and
 * the query's clock. Expressions compile once per operator into closures over `Row`s.
 */
import type { Column, KType, KValue } from '../values';
import type { QueryEnv, Relation, Row } from './types';
import type { SyntaxElement } from './syntax';

/** A compiled scalar expression: its static type and a per-row evaluator. */
export interface Compiled {
  readonly type: KType;
  readonly eval: (row: Row) => KValue;
  /** The value does not depend on the row (literals, lets, now(), folded calls). */
  readonly constant: boolean;
  /** A bare `null` literal: takes the type of its siblings in iff/case/coalesce. */
  readonly nullLiteral?: boolean;
}

/** A `let` binding: a scalar value, or a tabular expression evaluated (once) on first use. */
export type LetBinding =
  | { readonly kind: 'scalar'; readonly value: KValue; readonly type: KType }
  | { readonly kind: 'tabular'; get(): Promise<Relation> };

/** Results of subqueries inside scalar expressions (`toscalar(...)`, `x in (T | project y)`). */
export type SubqueryResult =
  | { readonly kind: 'scalar'; readonly value: KValue; readonly type: KType }
  | { readonly kind: 'list'; readonly values: readonly KValue[]; readonly type: KType };

/** Evaluates a tabular expression node (injected so operators can run subqueries without an import cycle). */
export type TabularEvaluator = (node: SyntaxElement, scope: Scope) => Promise<Relation>;

/** Evaluation scope of one query. Child scopes (one per `let`) share the clock and subquery results. */
export interface Scope {
  readonly env: QueryEnv;
  readonly evaluateTabular: TabularEvaluator;
  readonly lets: ReadonlyMap<string, LetBinding>;
  readonly subqueries: Map<SyntaxElement, SubqueryResult>;
  readonly clock: { now?: number; cursor?: bigint };
}

/** Compilation context of one operator. */
export interface CompileContext {
  readonly columns: readonly Column[];
  readonly index: ReadonlyMap<string, number>;
  readonly scope: Scope;
  /** Operator name for error messages (`where`, `extend`...). */
  readonly operator: string;
}

/** A fresh scope for one query. */
export function newScope(env: QueryEnv, evaluateTabular: TabularEvaluator): Scope {
  return { env, evaluateTabular, lets: new Map(), subqueries: new Map(), clock: {} };
}

/** A scope with one more `let` binding. */
export function withLet(scope: Scope, name: string, binding: LetBinding): Scope {
  const lets = new Map(scope.lets);
  lets.set(name, binding);
  return { ...scope, lets };
}

/** Compilation context over a relation's columns. */
export function contextFor(columns: readonly Column[], scope: Scope, operator: string): CompileContext {
  const index = new Map<string, number>();
  columns.forEach((c, i) => index.set(c.name, i));
  return { columns, index, scope, operator };
}

/** now() is fixed for the whole query, as in Kusto. */
export function queryNow(scope: Scope): number {
  scope.clock.now ??= scope.env.now();
  return scope.clock.now;
}

/** cursor_current() is fixed for the whole query too. */
export function queryCursor(scope: Scope): bigint {
  scope.clock.cursor ??= scope.env.currentCursor();
  return scope.clock.cursor;
}

/** A row with no columns, for evaluating constants and `let` scalars. */
export const EMPTY_ROW: Row = { values: [] };

/** A constant expression. */
export function constant(value: KValue, type: KType, nullLiteral = false): Compiled {
  const evaluate = (): KValue => value;
  return nullLiteral
    ? { type, eval: evaluate, constant: true, nullLiteral }
    : { type, eval: evaluate, constant: true };
}
