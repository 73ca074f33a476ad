import { KustoError } from '../kustoError';
import { memoryEnv, relation, run, scalar } from './testing';

const NOW = Date.UTC(2024, 0, 10, 12, 0, 0);
const DAY = 86_400_000;

const events = relation(
  'Id:long, Name:string, Ts:datetime, Dur:timespan, Score:real, Flag:bool, Gid:guid, Props:dynamic',
  [
    [
      1,
      'alpha-one',
      Date.UTC(2024, 0, 1),
      60_000,
      1.5,
      true,
      '6f0f1f0e-0000-0000-0000-000000000001',
      { a: 1, tags: ['x', 'y'] },
    ],
    [
      2,
      'Beta two',
      Date.UTC(2024, 0, 2, 6),
      120_000,
      null,
      false,
      '6f0f1f0e-0000-0000-0000-000000000002',
      { a: 2, tags: [] },
    ],
    [3, 'gamma_three', Date.UTC(2024, 0, 5), null, 3.25, null, null, null],
    [null, null, null, 0, -1, true, null, { a: null }],
  ],
);
const env = memoryEnv({ tables: { Events: events }, now: NOW, cursor: 7n });

const ids = async (where: string): Promise<unknown[]> =>
  (await run(`Events | where ${where} | project Id`, env)).rows.map((r) => r[0]);
const value = (expression: string): Promise<unknown> => scalar(`print v = ${expression}`, env);

describe('comparisons and null semantics', () => {
  it.each([
    ['Id == 2', [2]],
    ['Id != 2', [1, 3]],
    ['Id < 2', [1]],
    ['Id <= 2', [1, 2]],
    ['Id > 2', [3]],
    ['Id >= 2', [2, 3]],
    ['Score > 0', [1, 3]],
    ['Score == 1.5', [1]],
    ['Id == 1.0', [1]],
    ['Ts >= datetime(2024-01-02)', [2, 3]],
    ['Dur > 1m', [2]],
    ['Flag == true', [1, null]],
    ['Flag != true', [2]],
    ["Gid == '6F0F1F0E-0000-0000-0000-000000000002'", [2]],
  ])('where %s', async (where, expected) => {
    expect(await ids(where)).toEqual(expected);
  });

  it('compares strings case-sensitively with == and insensitively with =~ (missing strings are empty)', async () => {
    expect(await ids("Name == 'beta two'")).toEqual([]);
    expect(await ids("Name =~ 'beta two'")).toEqual([2]);
    expect(await ids("Name !~ 'BETA TWO'")).toEqual([1, 3, null]);
    expect(await ids("Name == ''")).toEqual([null]);
    expect(await ids("Name != 'alpha-one'")).toEqual([2, 3, null]);
  });

  it('treats comparisons with null as null: neither the test nor its negation keeps the row', async () => {
    expect(await ids('Score < 100')).toEqual([1, 3, null]);
    expect(await ids('not(Score < 100)')).toEqual([]);
    expect(await value('long(null) == long(null)')).toBeNull();
    expect(await value('long(null) != 1')).toBeNull();
  });

  it('evaluates and/or with three-valued logic', async () => {
    expect(await value('bool(null) and false')).toBe(false);
    expect(await value('bool(null) and true')).toBeNull();
    expect(await value('bool(null) or true')).toBe(true);
    expect(await value('bool(null) or false')).toBeNull();
    expect(await ids('Id == 1 or Id == 3 and Score > 3')).toEqual([1, 3]);
    expect(await ids('(Id == 1 or Id == 3) and Score > 3')).toEqual([3]);
  });

  it('rejects comparing incompatible types', async () => {
    await expect(ids("Id == 'x'")).rejects.toThrow(/Cannot compare values of types long and string/);
    await expect(ids("Ts > '2024-01-01'")).rejects.toThrow(/Semantic error/);
  });

  it('supports between and !between, with a timespan as the upper bound of a datetime range', async () => {
    expect(await ids('Id between (2 .. 3)')).toEqual([2, 3]);
    expect(await ids('Id !between (2 .. 3)')).toEqual([1]);
    expect(await ids('Ts between (datetime(2024-01-02) .. 1d)')).toEqual([2]);
    expect(await ids('Ts between (datetime(2024-01-01) .. datetime(2024-01-05))')).toEqual([1, 2, 3]);
  });

  it('supports in, !in, in~ and !in~ over constants and dynamic arrays', async () => {
    expect(await ids('Id in (1, 3)')).toEqual([1, 3]);
    expect(await ids('Id !in (1, 3)')).toEqual([2, null]);
    expect(await ids("Name in ('Beta two', 'ALPHA-ONE')")).toEqual([2]);
    expect(await ids("Name in~ ('Beta two', 'ALPHA-ONE')")).toEqual([1, 2]);
    expect(await ids("Name !in~ ('beta TWO')")).toEqual([1, 3, null]);
    expect(await ids('Id in (dynamic([2, 3]))')).toEqual([2, 3]);
    expect(await ids('Id in (Id)')).toEqual([1, 2, 3]);
  });
});

describe('string operators', () => {
  it.each([
    ["Name has 'two'", [2]],
    ["Name has 'TWO'", [2]],
    ["Name has 'tw'", []],
    ["Name has 'alpha-one'", [1]],
    ["Name !has 'two'", [1, 3, null]],
    ["Name has_cs 'two'", [2]],
    ["Name has_cs 'TWO'", []],
    ["Name !has_cs 'TWO'", [1, 2, 3, null]],
    ["Name hasprefix 'tw'", [2]],
    ["Name !hasprefix 'tw'", [1, 3, null]],
    ["Name hassuffix 'ne'", [1]],
    ["Name contains 'ETA'", [2]],
    ["Name contains_cs 'ETA'", []],
    ["Name !contains 'a'", [null]],
    ["Name startswith 'beta'", [2]],
    ["Name startswith_cs 'beta'", []],
    ["Name !startswith 'g'", [1, 2, null]],
    ["Name endswith 'THREE'", [3]],
    ["Name endswith_cs 'three'", [3]],
    ["Name !endswith 'e'", [2, null]],
    ["Name matches regex '^[a-z]+_'", [3]],
    ["Name has_any ('two', 'one')", [1, 2]],
    ["Name has_all ('alpha', 'one')", [1]],
    ["Id has '2'", [2]],
  ])('where %s', async (where, expected) => {
    expect(await ids(where)).toEqual(expected);
  });
});

describe('arithmetic', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['7 / 2', 3],
    ['-7 / 2', -3],
    ['7 % 3', 1],
    ['7.0 / 2', 3.5],
    ['-(2 + 3)', -5],
    ['1 / 0', null],
    ['long(null) + 1', null],
    ['datetime(2024-01-02) + 1d', Date.UTC(2024, 0, 3)],
    ['datetime(2024-01-02) - 12h', Date.UTC(2024, 0, 1, 12)],
    ['datetime(2024-01-02) - datetime(2024-01-01)', DAY],
    ['1h + 30m', 5_400_000],
    ['2 * 1h', 7_200_000],
    ['1d / 1h', 24],
    ['1h / 2', 1_800_000],
  ])('%s', async (expression, expected) => {
    expect(await value(expression)).toBe(expected);
  });

  it('infers result types', async () => {
    const r = await run(
      'print a = 1 + 1, b = 1 + 1.5, c = int(1) + int(2), d = now() - ago(1h), e = now() + 1h, f = 1d / 1h',
      env,
    );
    expect(r.types).toEqual(['long', 'real', 'int', 'timespan', 'datetime', 'real']);
  });

  it('rejects operators on types they do not apply to', async () => {
    await expect(value("'a' + 1")).rejects.toThrow(
      /Cannot apply operator '\+' to values of types string and long/,
    );
    await expect(value('datetime(2024-01-01) + datetime(2024-01-01)')).rejects.toThrow(/Semantic error/);
  });
});

describe('dynamic access', () => {
  it('reads properties and elements, null when absent', async () => {
    const r = await run(
      "Events | project a = Props.a, t0 = Props.tags[0], lst = Props['tags'][-1], nope = Props.nope",
      env,
    );
    expect(r.types).toEqual(['dynamic', 'dynamic', 'dynamic', 'dynamic']);
    expect(r.rows).toEqual([
      [1, 'x', 'y', null],
      [2, null, null, null],
      [null, null, null, null],
      [null, null, null, null],
    ]);
    expect(await ids('Props.a == 2')).toEqual([2]);
  });

  it('rejects member access on non-dynamic values', async () => {
    await expect(ids('Name.x == 1')).rejects.toThrow(/needs a dynamic value/);
  });
});

describe('scalar functions', () => {
  it('reads the clock once per query: now(), ago()', async () => {
    const local = memoryEnv({ now: NOW });
    const r = await run('print a = now(), b = ago(1d), c = now(-1h), d = now()', local);
    expect(r.rows[0]).toEqual([NOW, NOW - DAY, NOW - 3_600_000, NOW]);
    expect(local.nowCalls).toBe(1);
  });

  it.each([
    ['tostring(12)', '12'],
    ['tostring(datetime(2024-01-02))', '2024-01-02T00:00:00.0000000Z'],
    ['tostring(1h)', '01:00:00'],
    ['tostring(long(null))', ''],
    ["tostring(dynamic({'a':1}))", '{"a":1}'],
    ["tolong('42')", 42],
    ["tolong('x')", null],
    ['tolong(2.9)', 2],
    ['toint(-2.9)', -2],
    ['tolong(1s)', 10_000_000],
    ["toreal('1.5')", 1.5],
    ["todouble('2')", 2],
    ["tobool('TRUE')", true],
    ['tobool(0)', false],
    ["toguid('6F0F1F0E-0000-0000-0000-00000000000A')", '6f0f1f0e-0000-0000-0000-00000000000a'],
    ["toguid('nope')", null],
    ["todatetime('2024-02-03T04:05:06Z')", Date.UTC(2024, 1, 3, 4, 5, 6)],
    ["todatetime('garbage')", null],
    ["totimespan('1.00:00:00')", DAY],
    ["totimespan('5m')", 300_000],
    ['strlen("héllo")', 5],
    ["tolower('AbC')", 'abc'],
    ["toupper('AbC')", 'ABC'],
    ["strcat('a', 1, true, long(null), 'z')", 'a1truez'],
    ["substring('abcdef', 2)", 'cdef'],
    ["substring('abcdef', 1, 3)", 'bcd'],
    ["replace_string('a.b.c', '.', '/')", 'a/b/c'],
    ["indexof('abcabc', 'ca')", 2],
    ["extract('x=([0-9]+)', 1, 'a x=42 b')", '42'],
    ['iff(1 > 0, "yes", "no")', 'yes'],
    ['iif(bool(null), 1, 2)', 2],
    ['case(false, 1, true, 2, 3)', 2],
    ['case(false, 1, false, 2, 3)', 3],
    ['coalesce(long(null), long(null), 3)', 3],
    ["coalesce('', 'x')", 'x'],
    ['isnull(long(null))', true],
    ['isnull(1)', false],
    ["isnull('')", false],
    ['isnotnull(long(null))', false],
    ["isempty('')", true],
    ['isempty(long(null))', true],
    ["isnotempty('a')", true],
    ['not(true)', false],
    ['not(bool(null))', null],
    ['startofday(datetime(2024-03-15 10:20))', Date.UTC(2024, 2, 15)],
    ['startofday(datetime(2024-03-15 10:20), -1)', Date.UTC(2024, 2, 14)],
    ['startofmonth(datetime(2024-03-15 10:20))', Date.UTC(2024, 2, 1)],
    ['startofmonth(datetime(2024-03-15), 1)', Date.UTC(2024, 3, 1)],
    ['startofweek(datetime(2024-03-15))', Date.UTC(2024, 2, 10)],
    ['startofyear(datetime(2024-03-15))', Date.UTC(2024, 0, 1)],
    ['bin(17, 5)', 15],
    ['bin(-1, 5)', -5],
    ['bin(2.5, 1)', 2],
    ['bin(datetime(2024-03-15 10:20), 1h)', Date.UTC(2024, 2, 15, 10)],
    ['bin(datetime(2024-03-15 10:20), 1d)', Date.UTC(2024, 2, 15)],
    ['bin(90m, 1h)', 3_600_000],
    ['floor(datetime(2024-03-15 10:20), 1d)', Date.UTC(2024, 2, 15)],
    ['floor(2.7)', 2],
    ['round(2.345, 2)', 2.35],
    ['abs(-3)', 3],
    ['max_of(1, 5, 3)', 5],
    ['min_of(4, long(null), 2)', 2],
    ["format_datetime(datetime(2024-03-05 07:08:09.123), 'yyyyMMdd')", '20240305'],
    [
      "format_datetime(datetime(2024-03-05 07:08:09.123), 'yyyy-MM-dd HH:mm:ss.fff')",
      '2024-03-05 07:08:09.123',
    ],
    ["format_datetime(datetime(2024-03-05 17:08:09), 'yy/M/d h:mm tt')", '24/3/5 5:08 PM'],
    ['getyear(datetime(2024-03-05))', 2024],
    ['getmonth(datetime(2024-03-05))', 3],
    ['dayofmonth(datetime(2024-03-05))', 5],
    ['array_length(dynamic([1, 2, 3]))', 3],
    ["array_length(dynamic({'a': 1}))", null],
  ])('%s', async (expression, expected) => {
    expect(await value(expression)).toEqual(expected);
  });

  it('parses JSON with todynamic/parse_json', async () => {
    expect(await value(`parse_json('{"a": [1, 2]}')`)).toEqual({ a: [1, 2] });
    expect(await value(`todynamic('[1]')`)).toEqual([1]);
    expect(await value(`split('a,b,c', ',')`)).toEqual(['a', 'b', 'c']);
  });

  it('reads ingestion_time() from row metadata and null without it', async () => {
    const withMeta = relation('x:long', [[1], [2]], (i) => ({
      ingestionTime: Date.UTC(2024, 0, i + 1),
      cursor: BigInt(i),
    }));
    const local = memoryEnv({ tables: { T: withMeta, Plain: relation('x:long', [[1]]) } });
    expect(
      (await run('T | extend it = ingestion_time() | where it > datetime(2024-01-01)', local)).rows,
    ).toEqual([[2, Date.UTC(2024, 0, 2)]]);
    expect((await run('Plain | project it = ingestion_time()', local)).rows).toEqual([[null]]);
    expect((await run('T | summarize c = count() | extend it = ingestion_time()', local)).rows).toEqual([
      [2, null],
    ]);
  });

  it('returns the database cursor from cursor_current()', async () => {
    const r = await run('print c = cursor_current(), d = current_cursor()', env);
    expect(r.rows[0]).toEqual(['7', '7']);
    expect(r.types).toEqual(['string', 'string']);
  });

  it('picks an existing column with column_ifexists, else the default', async () => {
    expect(
      (
        await run(
          "Events | take 1 | project a = column_ifexists('Name', ''), b = column_ifexists('Nope', 'd')",
          env,
        )
      ).rows,
    ).toEqual([['alpha-one', 'd']]);
  });

  it('rejects wrong argument counts and types, and unknown functions', async () => {
    await expect(value('strlen()')).rejects.toThrow(/'strlen' expects 1 argument/);
    await expect(value('ago(5)')).rejects.toThrow(/expects argument 1 of type timespan/);
    await expect(value('bin(datetime(2024-01-01), 5)')).rejects.toThrow(/timespan bin size/);
    await expect(value('nosuchfunction(1)')).rejects.toThrow(/SEM0260: Unknown function: 'nosuchfunction'/);
    await expect(value('hash(1)')).rejects.toThrow("The function 'hash' is not supported by the emulator.");
    await expect(ids('count() > 1')).rejects.toThrow(
      /aggregation function 'count' is only allowed in summarize/,
    );
  });

  it('throws KustoError 400s', async () => {
    const error = await value('nosuchfunction(1)').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KustoError);
    expect((error as KustoError).httpStatus).toBe(400);
  });
});
