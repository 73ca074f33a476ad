import { memoryEnv, relation, run } from './testing';

const D = (day: number, hour = 0): number => Date.UTC(2024, 0, day, hour);

const ops = relation('OperationId:string, State:string, LastUpdatedOn:datetime, Rows:long, Size:real', [
  ['op-1', 'InProgress', D(1, 1), 10, 1.5],
  ['op-2', 'InProgress', D(1, 2), null, 2],
  ['op-1', 'Completed', D(1, 3), 30, 3],
  ['op-3', 'Failed', D(2, 1), 5, null],
  ['op-2', 'Completed', D(2, 2), 20, 4],
]);
const env = memoryEnv({
  tables: {
    Ops: ops,
    Empty: relation('a:long, s:string', []),
    Other: relation('OperationId:string, Extra:bool', [['op-9', true]]),
  },
});

describe('where / filter', () => {
  it('keeps rows where the predicate is true', async () => {
    const r = await run("Ops | where State == 'Completed' | filter Rows > 20", env);
    expect(r.rows).toEqual([['op-1', 'Completed', D(1, 3), 30, 3]]);
  });

  it('requires a bool predicate', async () => {
    await expect(run('Ops | where Rows', env)).rejects.toThrow(
      /predicate must be a bool expression, got long/,
    );
  });

  it('reports unknown columns like Kusto (SEM0100)', async () => {
    await expect(run('Ops | where Nope == 1', env)).rejects.toThrow(
      "Semantic error: SEM0100: 'where' operator: Failed to resolve scalar expression named 'Nope'",
    );
  });
});

describe('project family', () => {
  it('projects, renames and computes columns with inferred types', async () => {
    const r = await run(
      'Ops | take 1 | project Id = OperationId, Rows, Double = Rows * 2, Day = startofday(LastUpdatedOn), Rows + 1',
      env,
    );
    expect(r.names).toEqual(['Id', 'Rows', 'Double', 'Day', 'Column1']);
    expect(r.types).toEqual(['string', 'long', 'long', 'datetime', 'long']);
    expect(r.rows).toEqual([['op-1', 10, 20, D(1), 11]]);
  });

  it('supports bracketed names', async () => {
    const r = await run("Ops | take 1 | project ['State'], ['new name'] = Rows", env);
    expect(r.names).toEqual(['State', 'new name']);
    expect(r.rows).toEqual([['InProgress', 10]]);
  });

  it('rejects duplicate output names and unknown columns', async () => {
    await expect(run('Ops | project Rows, Rows = Size', env)).rejects.toThrow(
      /'Rows' is used more than once/,
    );
    await expect(run('Ops | project Nope', env)).rejects.toThrow(
      /Failed to resolve scalar expression named 'Nope'/,
    );
  });

  it('project-away, project-keep, project-rename and project-reorder', async () => {
    expect((await run('Ops | project-away State, Last* | take 1', env)).names).toEqual([
      'OperationId',
      'Rows',
      'Size',
    ]);
    expect((await run('Ops | project-keep Size, OperationId | take 1', env)).names).toEqual([
      'OperationId',
      'Size',
    ]);
    const renamed = await run('Ops | project-rename Id = OperationId, When = LastUpdatedOn | take 1', env);
    expect(renamed.names).toEqual(['Id', 'State', 'When', 'Rows', 'Size']);
    expect(renamed.rows[0]).toEqual(['op-1', 'InProgress', D(1, 1), 10, 1.5]);
    expect((await run('Ops | project-reorder Size, State | take 1', env)).names).toEqual([
      'Size',
      'State',
      'OperationId',
      'LastUpdatedOn',
      'Rows',
    ]);
    await expect(run('Ops | project-away Nope', env)).rejects.toThrow(
      /'project-away' operator: Failed to resolve column named 'Nope'/,
    );
  });
});

describe('extend', () => {
  it('appends columns, replaces same-named ones in place, and sees earlier items', async () => {
    const r = await run(
      "Ops | take 2 | extend Rows = coalesce(Rows, 0), Big = Rows > 5, Label = strcat(OperationId, ':', State)",
      env,
    );
    expect(r.names).toEqual(['OperationId', 'State', 'LastUpdatedOn', 'Rows', 'Size', 'Big', 'Label']);
    expect(r.types).toEqual(['string', 'string', 'datetime', 'long', 'real', 'bool', 'string']);
    expect(r.rows.map((row) => row.slice(3))).toEqual([
      [10, 1.5, true, 'op-1:InProgress'],
      [0, 2, false, 'op-2:InProgress'],
    ]);
  });

  it('does not modify the input table', async () => {
    await run('Ops | extend Rows = 0', env);
    expect(ops.rows[0]!.values[3]).toBe(10);
    expect(ops.columns).toHaveLength(5);
  });
});

describe('summarize', () => {
  it('computes the aggregation functions with Kusto default names and types', async () => {
    const r = await run(
      "Ops | summarize count(), countif(State == 'Completed'), sum(Rows), min(LastUpdatedOn), max(Size), avg(Rows), dcount(OperationId), make_set(State), make_list(Rows), take_any(State)",
      env,
    );
    expect(r.names).toEqual([
      'count_',
      'countif_',
      'sum_Rows',
      'min_LastUpdatedOn',
      'max_Size',
      'avg_Rows',
      'dcount_OperationId',
      'set_State',
      'list_Rows',
      'any_State',
    ]);
    expect(r.types).toEqual([
      'long',
      'long',
      'long',
      'datetime',
      'real',
      'real',
      'long',
      'dynamic',
      'dynamic',
      'string',
    ]);
    expect(r.rows).toEqual([
      [5, 2, 65, D(1, 1), 4, 16.25, 3, ['InProgress', 'Completed', 'Failed'], [10, 30, 5, 20], 'InProgress'],
    ]);
  });

  it('groups by plain columns in first-seen order, with named aggregates', async () => {
    const r = await run('Ops | summarize n = count(), total = sum(Rows) by OperationId', env);
    expect(r.names).toEqual(['OperationId', 'n', 'total']);
    expect(r.rows).toEqual([
      ['op-1', 2, 40],
      ['op-2', 2, 20],
      ['op-3', 1, 5],
    ]);
  });

  it('groups by bin() and startofday(), naming the key after its column', async () => {
    const byBin = await run('Ops | summarize count() by bin(LastUpdatedOn, 1d)', env);
    expect(byBin.names).toEqual(['LastUpdatedOn', 'count_']);
    expect(byBin.rows).toEqual([
      [D(1), 3],
      [D(2), 2],
    ]);
    const byDay = await run(
      'Ops | summarize Rows = sum(Rows) by Day = startofday(LastUpdatedOn), State',
      env,
    );
    expect(byDay.names).toEqual(['Day', 'State', 'Rows']);
    expect(byDay.rows).toEqual([
      [D(1), 'InProgress', 10],
      [D(1), 'Completed', 30],
      [D(2), 'Failed', 5],
      [D(2), 'Completed', 20],
    ]);
  });

  it('summarize arg_max(LastUpdatedOn, *) by OperationId keeps the latest row per id', async () => {
    const r = await run('Ops | summarize arg_max(LastUpdatedOn, *) by OperationId', env);
    expect(r.names).toEqual(['OperationId', 'LastUpdatedOn', 'State', 'Rows', 'Size']);
    expect(r.types).toEqual(['string', 'datetime', 'string', 'long', 'real']);
    expect(r.rows).toEqual([
      ['op-1', D(1, 3), 'Completed', 30, 3],
      ['op-2', D(2, 2), 'Completed', 20, 4],
      ['op-3', D(2, 1), 'Failed', 5, null],
    ]);
  });

  it('arg_min with explicit columns', async () => {
    const r = await run(
      'Ops | summarize arg_min(LastUpdatedOn, State, R = Rows) by OperationId | where OperationId == "op-2"',
      env,
    );
    expect(r.names).toEqual(['OperationId', 'LastUpdatedOn', 'State', 'R']);
    expect(r.rows).toEqual([['op-2', D(1, 2), 'InProgress', null]]);
  });

  it('returns one row without by-keys even for empty input, and no rows with keys', async () => {
    expect((await run('Empty | summarize count(), sum(a), max(a)', env)).rows).toEqual([[0, null, null]]);
    expect((await run('Empty | summarize count() by s', env)).rows).toEqual([]);
  });

  it('groups missing strings with empty strings and null numbers together', async () => {
    const t = relation('k:string, n:long', [
      ['', 1],
      [null, null],
      ['a', null],
    ]);
    const local = memoryEnv({ tables: { T: t } });
    expect((await run('T | summarize count() by k', local)).rows).toEqual([
      ['', 2],
      ['a', 1],
    ]);
    expect((await run('T | summarize count() by n', local)).rows).toEqual([
      [1, 1],
      [null, 2],
    ]);
  });

  it('makes generated names unique and rejects unsupported aggregates', async () => {
    expect((await run('Ops | summarize count(), count()', env)).names).toEqual(['count_', 'count_1']);
    await expect(run('Ops | summarize percentile(Rows, 50)', env)).rejects.toThrow(
      "The aggregation function 'percentile' is not supported by the emulator.",
    );
    await expect(run('Ops | summarize count() * 2', env)).rejects.toThrow(/only plain aggregation calls/);
  });
});

describe('count, take, top, sort, distinct', () => {
  it('count', async () => {
    const r = await run("Ops | where State == 'Completed' | count", env);
    expect(r).toEqual({ names: ['Count'], types: ['long'], rows: [[2]] });
  });

  it('take and limit, including a let-bound count', async () => {
    expect((await run('Ops | take 2', env)).rows).toHaveLength(2);
    expect((await run('Ops | limit 100', env)).rows).toHaveLength(5);
    expect((await run('let n = 3; Ops | take n', env)).rows).toHaveLength(3);
    await expect(run("Ops | take 'x'", env)).rejects.toThrow(/expected a constant number of rows/);
  });

  it('top N by, desc by default with nulls last', async () => {
    const r = await run('Ops | top 3 by Rows | project OperationId, Rows', env);
    expect(r.rows).toEqual([
      ['op-1', 30],
      ['op-2', 20],
      ['op-1', 10],
    ]);
    const asc = await run('Ops | top 2 by Rows asc | project Rows', env);
    expect(asc.rows).toEqual([[null], [5]]);
    const ascNullsLast = await run('Ops | top 2 by Rows asc nulls last | project Rows', env);
    expect(ascNullsLast.rows).toEqual([[5], [10]]);
  });

  it('sort/order by several keys with directions and nulls placement', async () => {
    const r = await run(
      'Ops | order by OperationId asc, LastUpdatedOn desc | project OperationId, LastUpdatedOn',
      env,
    );
    expect(r.rows).toEqual([
      ['op-1', D(1, 3)],
      ['op-1', D(1, 1)],
      ['op-2', D(2, 2)],
      ['op-2', D(1, 2)],
      ['op-3', D(2, 1)],
    ]);
    expect((await run('Ops | sort by Size | project Size', env)).rows).toEqual([
      [4],
      [3],
      [2],
      [1.5],
      [null],
    ]);
    expect((await run('Ops | sort by Size desc nulls first | project Size', env)).rows).toEqual([
      [null],
      [4],
      [3],
      [2],
      [1.5],
    ]);
    expect((await run('Ops | sort by Size asc | project Size', env)).rows).toEqual([
      [null],
      [1.5],
      [2],
      [3],
      [4],
    ]);
  });

  it('distinct columns and distinct *', async () => {
    expect((await run('Ops | distinct State', env)).rows).toEqual([
      ['InProgress'],
      ['Completed'],
      ['Failed'],
    ]);
    expect((await run('Ops | distinct OperationId, State | count', env)).rows).toEqual([[5]]);
    expect((await run('Ops | union Ops | distinct * | count', env)).rows).toEqual([[5]]);
  });
});

describe('union, datatable, print, getschema', () => {
  it('unions by column name, filling missing columns with null', async () => {
    const r = await run("Ops | where OperationId == 'op-3' | project OperationId, Rows | union Other", env);
    expect(r.names).toEqual(['OperationId', 'Rows', 'Extra']);
    expect(r.rows).toEqual([
      ['op-3', 5, null],
      ['op-9', null, true],
    ]);
    expect((await run('union Other, (Other | take 0), Other | count', env)).rows).toEqual([[2]]);
  });

  it('keeps same-named columns of different types apart', async () => {
    const r = await run('print a = 1 | union (print a = "x")', env);
    expect(r.names).toEqual(['a_long', 'a_string']);
    expect(r.rows).toEqual([
      [1, null],
      [null, 'x'],
    ]);
  });

  it('builds datatables and print rows', async () => {
    const r = await run(
      "datatable(a:long, s:string, t:datetime)[1, 'x', datetime(2024-01-01), 2, 'y', datetime(null)] | where a > 1",
      env,
    );
    expect(r).toEqual({
      names: ['a', 's', 't'],
      types: ['long', 'string', 'datetime'],
      rows: [[2, 'y', null]],
    });
    expect((await run("print 1, b = 'x'", env)).names).toEqual(['print_0', 'b']);
    await expect(run('datatable(a:long, b:long)[1, 2, 3]', env)).rejects.toThrow(/do not fill rows/);
  });

  it('getschema describes the columns', async () => {
    const r = await run('Ops | project OperationId, Rows | getschema', env);
    expect(r.rows).toEqual([
      ['OperationId', 0, 'System.String', 'string'],
      ['Rows', 1, 'System.Int64', 'long'],
    ]);
  });
});

describe('unsupported operators', () => {
  it.each([
    ['Ops | join (Other) on OperationId', "The 'join' operator is not supported by the emulator."],
    ['Ops | mv-expand State', "The 'mv-expand' operator is not supported by the emulator."],
    ['Ops | render table', "The 'render' operator is not supported by the emulator."],
    [
      'Ops | union kind=inner Other',
      "The parameter 'kind' of the 'union' operator is not supported by the emulator.",
    ],
  ])('%s', async (query, message) => {
    await expect(run(query, env)).rejects.toThrow(message);
  });

  it('ignores query hints', async () => {
    expect((await run('Ops | summarize hint.strategy=shuffle count() by State', env)).rows).toHaveLength(3);
  });
});
