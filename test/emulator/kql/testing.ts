/** In-memory query environments for the engine's tests. */
import { KustoError } from '../kustoError';
import { parseType, type Column, type KValue } from '../values';
import { evaluateQuery } from './engine';
import { kindOf, textOf, type SyntaxElement } from './syntax';
import type { QueryEnv, Relation, Row, RowMeta } from './types';

/** Columns from a compact schema: `'x:long, s:string'`. */
export function schema(spec: string): Column[] {
  return spec.split(',').map((part) => {
    const [name, type] = part.split(':').map((s) => s.trim());
    const kType = parseType(type ?? '');
    if (!name || !kType) throw new Error(`bad column spec '${part}'`);
    return { name, type: kType };
  });
}

/** A relation; rows get metadata when `meta(i)` is given (table rows with ingestion time and cursor). */
export function relation(spec: string, rows: KValue[][], meta?: (index: number) => RowMeta): Relation {
  return {
    columns: schema(spec),
    rows: rows.map((values, i): Row => (meta ? { values, meta: meta(i) } : { values })),
  };
}

/** Contents and clock of an in-memory environment. */
export interface MemoryEnvOptions {
  readonly tables?: Record<string, Relation>;
  readonly externalTables?: Record<string, Relation>;
  readonly now?: number;
  readonly cursor?: bigint;
}

/** A QueryEnv over in-memory tables; external tables resolve asynchronously, like storage reads. */
export function memoryEnv(options: MemoryEnvOptions): QueryEnv & { nowCalls: number } {
  const env = {
    nowCalls: 0,
    now(): number {
      env.nowCalls++;
      return options.now ?? Date.UTC(2024, 0, 10);
    },
    table(name: string): Relation {
      const t = options.tables?.[name];
      if (!t)
        throw KustoError.badRequest(
          `Semantic error: SEM0100: 'table' operator: Failed to resolve table expression named '${name}'`,
        );
      return t;
    },
    async externalTable(name: string): Promise<Relation> {
      await Promise.resolve();
      const t = options.externalTables?.[name];
      if (!t) throw KustoError.notFound('External table', name);
      return t;
    },
    currentCursor(): bigint {
      return options.cursor ?? 0n;
    },
  };
  return env;
}

/** Runs a query and returns column names, types and row values (hidden metadata dropped). */
export async function run(
  text: string,
  env: QueryEnv,
): Promise<{ names: string[]; types: string[]; rows: KValue[][] }> {
  const r = await evaluateQuery(text, env);
  return {
    names: r.columns.map((c) => c.name),
    types: r.columns.map((c) => c.type),
    rows: r.rows.map((row) => row.values),
  };
}

/** The single value of a one-row, one-column result (or of column `column`). */
export async function scalar(text: string, env: QueryEnv, column = 0): Promise<KValue> {
  const r = await evaluateQuery(text, env);
  return r.rows[0]?.values[column] ?? null;
}

/** The first node of `kind` in a syntax tree (depth-first), e.g. the statement list after `<|`. */
export function findNode(root: SyntaxElement, kind: string): SyntaxElement {
  const walk = (node: SyntaxElement): SyntaxElement | undefined => {
    if (kindOf(node) === kind) return node;
    for (let i = 0; i < node.ChildCount; i++) {
      const child = node.GetChild(i);
      const hit = child && walk(child);
      if (hit) return hit;
    }
    return undefined;
  };
  const hit = walk(root);
  if (!hit) throw new Error(`no ${kind} node under '${textOf(root)}'`);
  return hit;
}
