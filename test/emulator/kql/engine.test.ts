import { parseKusto } from '../../../lib/kusto/language';
import { KustoError } from '../kustoError';
import {
  applyOperators,
  evaluateExpression,
  evaluatePredicate,
  evaluateQuery,
  pipeOperatorsOf,
} from './engine';
import { kindOf } from './syntax';
import { findNode, memoryEnv, relation, run } from './testing';
import type { QueryEnv, Relation, Row } from './types';

/** Database cursors are 18-digit numbers: beyond 2^53, so only bigint comparison is exact. */
const BASE = 637_000_000_000_000_000n;
const events = relation(
  'Id:long, Name:string',
  [
    [1, 'a'],
    [2, 'b'],
    [3, 'c'],
    [4, 'd'],
  ],
  (i) => ({ ingestionTime: Date.UTC(2024, 0, i + 1), cursor: BASE + BigInt(i + 1) }),
);
const ext = relation('Id:long, Name:string', [[10, 'archived']]);

function envWith(extra: Record<string, Relation> = {}): QueryEnv & { nowCalls: number } {
  return memoryEnv({
    tables: { Events: events, ...extra },
    externalTables: { ExtEvents: ext },
    now: Date.UTC(2024, 0, 3),
    cursor: BASE + 4n,
  });
}
const env = envWith();

describe('evaluateQuery', () => {
  it('evaluates table references: plain, bracketed, table(), parenthesised', async () => {
    for (const q of ['Events', "['Events']", "table('Events')", '(Events)', '((Events | take 10))']) {
      expect((await run(q, env)).rows).toHaveLength(4);
    }
  });

  it('reads external tables through external_table()', async () => {
    const r = await run("external_table('ExtEvents') | where Name has 'archived' | project Id", env);
    expect(r.rows).toEqual([[10]]);
    await expect(run("external_table('Nope')", env)).rejects.toThrow("External table 'Nope' was not found.");
  });

  it('supports let statements: scalars, tabular values and lets built on lets', async () => {
    const r = await run(
      'let minId = 2; let cutoff = datetime(2024-01-02) + 1d; let recent = Events | where ingestion_time() >= cutoff; let named = recent | where Id >= minId; named | project Name',
      env,
    );
    expect(r.rows).toEqual([['c'], ['d']]);
  });

  it('evaluates a tabular let once, on first use, and shadows tables', async () => {
    let reads = 0;
    const counting: QueryEnv = { ...env, table: (name) => (reads++, env.table(name)) };
    await evaluateQuery('let e = Events | where Id > 1; let unused = Missing; e | union e | count', counting);
    expect(reads).toBe(1);
    expect((await run('let Events = datatable(x:long)[7]; Events', env)).rows).toEqual([[7]]);
  });

  it('evaluates toscalar() and tabular in-lists as subqueries', async () => {
    expect(
      (
        await run(
          'let maxId = toscalar(Events | summarize max(Id)); Events | where Id == maxId | project Name',
          env,
        )
      ).rows,
    ).toEqual([['d']]);
    expect(
      (
        await run(
          "let picked = Events | where Name in ('b', 'c') | project Id; Events | where Id !in (picked) | project Id",
          env,
        )
      ).rows,
    ).toEqual([[1], [4]]);
    expect(
      (await run('Events | where Id in (Events | where Id > 3 | project Id) | count', env)).rows,
    ).toEqual([[1]]);
  });

  it('ignores set statements', async () => {
    expect((await run('set notruncation; Events | count', env)).rows).toEqual([[4]]);
  });

  it("rejects syntax errors with the parser's message", async () => {
    const error = (await evaluateQuery('Events | where', env).catch((e: unknown) => e)) as KustoError;
    expect(error).toBeInstanceOf(KustoError);
    expect(error.httpStatus).toBe(400);
    expect(error.code).toBe('General_BadRequest');
    expect(error.message).toBe('Syntax error: KS006 at position 14: Missing expression');
  });

  it('rejects unknown tables, scalar results, commands and unsupported statements', async () => {
    await expect(run('Nope | take 1', env)).rejects.toThrow(
      /Failed to resolve table expression named 'Nope'/,
    );
    await expect(run('let x = 1; x | take 1', env)).rejects.toThrow(
      /'x' is a scalar value and cannot be used as a table/,
    );
    await expect(run('let x = 1; x + 1', env)).rejects.toThrow(
      "Semantic error: SEM0001: The query must end with a tabular expression, found 'x + 1'.",
    );
    await expect(run('.show tables', env)).rejects.toThrow(
      /Management commands .* cannot be evaluated as queries/,
    );
    await expect(run('let f = (a:long) { a + 1 }; print f(1)', env)).rejects.toThrow(
      "The user-defined function 'f' (let with parameters) is not supported by the emulator.",
    );
    await expect(run('declare query_parameters(p:string); Events | where Name == p', env)).rejects.toThrow(
      /is not supported by the emulator/,
    );
    await expect(run('Events | where Id in (Missing)', env)).rejects.toThrow(
      /Failed to resolve scalar expression named 'Missing'/,
    );
    await expect(run("database('other').Events", env)).rejects.toThrow(
      "The tabular expression 'database('other').Events' (PathExpression) is not supported by the emulator.",
    );
    await expect(run('range x from 1 to 3 step 1', env)).rejects.toThrow(
      /\(RangeOperator\) is not supported by the emulator/,
    );
  });
});

describe('cursor functions', () => {
  const cursor = (n: bigint): string => String(BASE + n);

  it('cursor_after / cursor_before_or_at compare the row cursor exactly', async () => {
    const after = await run(`Events | where cursor_after('${cursor(2n)}') | project Id`, env);
    expect(after.rows).toEqual([[3], [4]]);
    const upTo = await run(`Events | where cursor_before_or_at('${cursor(2n)}') | project Id`, env);
    expect(upTo.rows).toEqual([[1], [2]]);
    const window = await run(
      `Events | where cursor_after('${cursor(1n)}') and cursor_before_or_at('${cursor(3n)}') | count`,
      env,
    );
    expect(window.rows).toEqual([[2]]);
  });

  it("treats '' as the cursor before any data", async () => {
    expect((await run("Events | where cursor_after('') | count", env)).rows).toEqual([[4]]);
    expect((await run("Events | where cursor_before_or_at('') | count", env)).rows).toEqual([[0]]);
  });

  it('accepts a let-bound cursor and cursor_current()', async () => {
    expect(
      (await run(`let c = '${cursor(3n)}'; Events | where cursor_after(c) | project Id`, env)).rows,
    ).toEqual([[4]]);
    expect((await run('Events | where cursor_before_or_at(cursor_current()) | count', env)).rows).toEqual([
      [4],
    ]);
  });

  it('fails on rows without a database cursor and on malformed cursors', async () => {
    await expect(run("Events | summarize count() by Name | where cursor_after('1')", env)).rejects.toThrow(
      /cursor_after\(\): can only be invoked on records of a table with the IngestionTime policy/,
    );
    await expect(run("Events | where cursor_after('abc')", env)).rejects.toThrow(
      "cursor_after(): 'abc' is not a valid database cursor.",
    );
  });

  it('keeps the row cursor through where, project and extend', async () => {
    const r = await run(`Events | project Id | extend x = 1 | where cursor_after('${cursor(3n)}')`, env);
    expect(r.rows).toEqual([[4, 1]]);
  });
});

describe('evaluateExpression', () => {
  it('evaluates the query after <| in a management command, lets included', async () => {
    const parsed = parseKusto(
      '.export async to table ExtEvents <| let lim = 2; Events | where Id <= lim | project Name',
    );
    const list = findNode(findNode(parsed.root, 'CustomCommand'), 'List');
    const r = await evaluateExpression(list, env);
    expect(r.rows.map((row) => row.values)).toEqual([['a'], ['b']]);
  });

  it('evaluates a single tabular node: pipe, name, external_table()', async () => {
    const pipe = findNode(
      parseKusto(".export to table X <| Events | where Name == 'c'").root,
      'PipeExpression',
    );
    expect((await evaluateExpression(pipe, env)).rows.map((r) => r.values)).toEqual([[3, 'c']]);
    const name = findNode(parseKusto("['Events'] | take 1").root, 'NameReference');
    expect((await evaluateExpression(name, env)).rows).toHaveLength(4);
    const external = findNode(parseKusto("external_table('ExtEvents')").root, 'FunctionCallExpression');
    expect((await evaluateExpression(external, env)).rows).toHaveLength(1);
  });

  it('keeps hidden row metadata for cursor-scoped exports', async () => {
    const pipe = findNode(
      parseKusto(`.export async to table ExtEvents <| Events | where cursor_before_or_at('${BASE + 2n}')`)
        .root,
      'PipeExpression',
    );
    const r = await evaluateExpression(pipe, env);
    expect(r.rows.map((row: Row) => row.meta?.cursor)).toEqual([BASE + 1n, BASE + 2n]);
  });
});

describe('pipeOperatorsOf + applyOperators (post-processing command results)', () => {
  const tables = relation('TableName:string, DatabaseName:string, Folder:string, DocString:string', [
    ['Events', 'db', '', ''],
    ['x', 'db', 'f', 'doc'],
  ]);

  it(".show tables | where TableName == 'x' | count", async () => {
    const parsed = parseKusto(".show tables | where TableName == 'x' | count");
    const { command, operators } = pipeOperatorsOf(parsed.root);
    expect(kindOf(command)).toBe('CustomCommand');
    expect(operators.map(kindOf)).toEqual(['FilterOperator', 'CountOperator']);
    const r = await applyOperators(tables, operators, env);
    expect(r.columns).toEqual([{ name: 'Count', type: 'long' }]);
    expect(r.rows.map((row) => row.values)).toEqual([[1]]);
  });

  it('.show operations | summarize arg_max(LastUpdatedOn, *) by OperationId | where ... | project ... | take', async () => {
    const log = relation(
      'OperationId:guid, Operation:string, LastUpdatedOn:datetime, State:string, Status:string',
      [
        ['00000000-0000-0000-0000-00000000000a', 'DataExport', Date.UTC(2024, 0, 1, 1), 'InProgress', ''],
        ['00000000-0000-0000-0000-00000000000b', 'DataExport', Date.UTC(2024, 0, 1, 2), 'InProgress', ''],
        ['00000000-0000-0000-0000-00000000000a', 'DataExport', Date.UTC(2024, 0, 1, 3), 'Completed', ''],
        ['00000000-0000-0000-0000-00000000000b', 'DataExport', Date.UTC(2024, 0, 1, 4), 'Failed', 'boom'],
      ],
    );
    const text =
      ".show operations | summarize arg_max(LastUpdatedOn, *) by OperationId | where State != 'InProgress' | project OperationId, State, Status | take 5";
    const { operators } = pipeOperatorsOf(findNode(parseKusto(text).root, 'PipeExpression'));
    const r = await applyOperators(log, operators, env);
    expect(r.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'OperationId:guid',
      'State:string',
      'Status:string',
    ]);
    expect(r.rows.map((row) => row.values)).toEqual([
      ['00000000-0000-0000-0000-00000000000a', 'Completed', ''],
      ['00000000-0000-0000-0000-00000000000b', 'Failed', 'boom'],
    ]);
  });

  it('returns no operators for a plain command and rejects non-commands', () => {
    const plain = pipeOperatorsOf(findNode(parseKusto('.show tables').root, 'CustomCommand'));
    expect(plain.operators).toEqual([]);
    expect(() => pipeOperatorsOf(parseKusto('Events | count').root)).toThrow(
      /Expected a management command before the pipe/,
    );
  });
});

describe('evaluatePredicate', () => {
  it('evaluates the where of `.delete table T records <| T | where P` per row', async () => {
    const parsed = parseKusto(".delete table Events records <| Events | where Id > 1 and Name != 'c'");
    const where = findNode(parsed.root, 'FilterOperator');
    expect(await evaluatePredicate(where, events, env)).toEqual([false, true, false, true]);
    expect(await evaluatePredicate(where.Condition, events, env)).toEqual([false, true, false, true]);
  });

  it('treats null as not matching and rejects non-bool predicates', async () => {
    const t = relation('x:long', [[1], [null]]);
    const cond = findNode(parseKusto('T | where x < 5').root, 'LessThanExpression');
    expect(await evaluatePredicate(cond, t, env)).toEqual([true, false]);
    const notBool = findNode(parseKusto('T | where x + 1').root, 'AddExpression');
    await expect(evaluatePredicate(notBool, t, env)).rejects.toThrow(/must be a bool expression/);
  });
});

describe('performance', () => {
  it('filters 1,000,000 rows with a simple where well under 2 s', async () => {
    const names = Array.from({ length: 1000 }, (_, i) => `name-${i}`);
    const rows: Row[] = new Array<Row>(1_000_000);
    const meta = { ingestionTime: 0, cursor: 1n };
    for (let i = 0; i < rows.length; i++) rows[i] = { values: [i, names[i % 1000]!], meta };
    const big = { columns: events.columns, rows };
    const local = envWith({ Big: big });
    const r = await evaluateQuery("Big | where Id >= 500000 and Name != 'name-7'", local);
    expect(r.rows).toHaveLength(499_500);
  });
});
