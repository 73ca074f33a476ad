import { PermanentError } from '../../../../lib/errors';
import { parseKustoDateTime, parseKustoTimespan, preview, rowsOf } from '../../../../lib/kusto/results/cells';
import { table, thrown } from '../../../helpers/resultTables';

describe('scalar conversions', () => {
  it('parses 7-digit datetimes, truncating below the millisecond', () => {
    expect(parseKustoDateTime('2019-04-16T11:43:25.9489999Z')?.toISOString()).toBe(
      '2019-04-16T11:43:25.948Z',
    );
    expect(parseKustoDateTime('2018-12-20 07:31:30.2634216')?.toISOString()).toBe('2018-12-20T07:31:30.263Z');
    expect(parseKustoDateTime('2026-01-05T18:00:00Z')?.toISOString()).toBe('2026-01-05T18:00:00.000Z');
    expect(parseKustoDateTime('2026-01-05T18:00:00.5+0200')?.toISOString()).toBe('2026-01-05T16:00:00.500Z');
    expect(parseKustoDateTime('2026-01-05')?.toISOString()).toBe('2026-01-05T00:00:00.000Z');
    expect(parseKustoDateTime('yesterday')).toBeUndefined();
  });

  it('parses timespans to milliseconds', () => {
    expect(parseKustoTimespan('01:00:00')).toBe(3_600_000);
    expect(parseKustoTimespan('1.01:02:03.004')).toBe(90_123_004);
    expect(parseKustoTimespan('00:00:42.9840549')).toBeCloseTo(42_984.0549, 6);
    expect(parseKustoTimespan('-00:10:00')).toBe(-600_000);
    expect(parseKustoTimespan('10 minutes')).toBeUndefined();
  });
});

describe('rowsOf', () => {
  it('finds columns by exact name first, then case-insensitively, the first of duplicates winning', () => {
    const t = table('a:string, A:string, b:string, B:string, c:string', [
      ['lower', 'upper', 'b1', 'b2', 'c'],
    ]);
    const [row] = rowsOf(t, 'src', ['A', 'C'], ['b', 'missing']);
    expect(row?.str('A')).toBe('upper');
    expect(row?.str('C')).toBe('c');
    expect(row?.str('b')).toBe('b1');
    expect(row?.optStr('missing')).toBeUndefined();
    expect(row?.str('missing')).toBe('');
  });

  it('names every missing required column and the columns present, even for an empty table', () => {
    const error = thrown(() => rowsOf(table('x:string', []), 'src', ['A', 'x', 'B']));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toBe("src: result has no column 'A', 'B' (columns: x)");
    expect(thrown(() => rowsOf({ columns: [], rows: [] }, 'src', ['A'])).message).toContain(
      '(columns: none)',
    );
  });

  it('returns one row per table row', () => {
    expect(rowsOf(table('A:string', [['1'], ['2']]), 'src', ['A']).map((r) => r.str('A'))).toEqual([
      '1',
      '2',
    ]);
  });
});

describe('Row', () => {
  const columns = 'S:string, B:bool, L:long, D:datetime, T:timespan, J:dynamic';
  const names = ['S', 'B', 'L', 'D', 'T', 'J'];
  const rowOf = (cells: unknown[]) => rowsOf(table(columns, [cells]), 'src', names)[0]!;

  it('renders any cell as a string, null as empty', () => {
    expect(rowOf([null]).str('S')).toBe('');
    expect(rowOf([42]).str('S')).toBe('42');
    expect(rowOf([true]).str('S')).toBe('true');
    expect(rowOf([{ a: 1 }]).str('S')).toBe('{"a":1}');
    expect(rowOf([null]).optStr('S')).toBe('');
  });

  it('reads bools as true/false, 0/1 or their text, and rejects anything else', () => {
    const read = (v: unknown) => rowOf(['', v]).bool('B');
    expect([true, false, 1, 0, 'True', ' 0 ', null].map(read)).toEqual([
      true,
      false,
      true,
      false,
      true,
      false,
      undefined,
    ]);
    expect(thrown(() => read(2)).message).toBe("src: row 0, column 'B': expected a bool, got 2");
  });

  it('reads numbers from JSON numbers and numeric text', () => {
    const read = (v: unknown) => rowOf(['', null, v]).long('L');
    expect([7, '12', null].map(read)).toEqual([7, 12, undefined]);
    expect(() => read('')).toThrow(/column 'L': expected a number/);
    expect(() => read('x')).toThrow(/column 'L': expected a number/);
  });

  it('reads datetimes and timespans, empty text as null, and rejects other text', () => {
    const row = rowOf(['', null, null, '2026-01-05T18:00:00.1234567Z', '01:00:00']);
    expect(row.date('D')).toEqual(new Date('2026-01-05T18:00:00.123Z'));
    expect(row.requiredDate('D')).toEqual(new Date('2026-01-05T18:00:00.123Z'));
    expect(row.timespanMs('T')).toBe(3_600_000);
    expect(rowOf(['', null, null, '', 1500]).timespanMs('T')).toBe(1500);
    expect(rowOf(['', null, null, '', '']).date('D')).toBeUndefined();
    expect(() => rowOf(['', null, null, 'soon']).date('D')).toThrow(/column 'D': expected a datetime/);
    expect(() => rowOf(['', null, null, null, 'long']).timespanMs('T')).toThrow(
      /column 'T': expected a timespan/,
    );
  });

  it('fails on a null required datetime', () => {
    const error = thrown(() => rowOf(['', null, null, null]).requiredDate('D'));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toBe("src: column 'D' is null");
  });

  it('requires valid JSON from json() and tolerates anything in jsonObject() and stringArray()', () => {
    const at = (v: unknown) => rowOf(['', null, null, null, null, v]);
    expect(at('{"a":[1]}').json('J')).toEqual({ a: [1] });
    expect(at(['x']).json('J')).toEqual(['x']);
    expect(() => at('null').json('J')).toThrow(PermanentError);
    expect(() => at('x:long').json('J')).toThrow("src: column 'J' is not valid JSON (x:long)");
    expect(at('{"a":1}').jsonObject('J')).toEqual({ a: 1 });
    expect(['[1]', 'null', 'x', null].map((v) => at(v).jsonObject('J'))).toEqual([{}, {}, {}, {}]);
    expect(at('["a", 1, "b"]').stringArray('J')).toEqual(['a', 'b']);
    expect(['{}', 'x', null].map((v) => at(v).stringArray('J'))).toEqual([[], [], []]);
  });

  it('does not echo secrets or long cells in its errors', () => {
    const message = thrown(() =>
      rowOf(['', 'https://a.blob.core.windows.net/c?sig=SECRETSIG']).bool('B'),
    ).message;
    expect(message).not.toContain('SECRETSIG');
    expect(message).toContain('[REDACTED]');
    expect(preview('x'.repeat(100))).toBe(`${'x'.repeat(80)}...`);
    expect(preview({ a: 1 })).toBe('{"a":1}');
  });
});
