import { parseKusto, type SyntaxElement } from '../../../lib/kusto/language';
import { KustoError } from '../kustoError';
import { isLiteral, literalValue, nameOf } from './literals';
import { listItems } from './syntax';
import { findNode } from './testing';

/** The expression assigned in `print v = <text>`. */
function expr(text: string): SyntaxElement {
  const parsed = parseKusto(`print v = ${text}`);
  expect(parsed.diagnostics).toEqual([]);
  const print = listItems(parsed.root.Statements)[0]!.Expression as SyntaxElement;
  return listItems(print.Expressions)[0]!.Expression as SyntaxElement;
}

/** The first node of `kind` in the parsed text. */
function find(text: string, kind: string): SyntaxElement {
  return findNode(parseKusto(text).root, kind);
}

describe('literalValue', () => {
  it.each([
    [`'a\\'b\\n'`, "a'b\n"],
    [`"x\\"y"`, 'x"y'],
    [`@'C:\\path'`, 'C:\\path'],
    [`@'it''s'`, "it's"],
    [`h'secret'`, 'secret'],
    [`h@'https://acct.blob.core.windows.net/c;key'`, 'https://acct.blob.core.windows.net/c;key'],
    [`'a' 'b'`, 'ab'],
  ])('decodes the string literal %s', (text, value) => {
    expect(literalValue(expr(text))).toEqual({ value, type: 'string' });
  });

  it.each([
    ['true', true, 'bool'],
    ['bool(false)', false, 'bool'],
    ['bool(null)', null, 'bool'],
    ['int(3)', 3, 'int'],
    ['int(null)', null, 'int'],
    ['42', 42, 'long'],
    ['long(12)', 12, 'long'],
    ['0x1F', 31, 'long'],
    ['1.5', 1.5, 'real'],
    ['1e3', 1000, 'real'],
    ['real(null)', null, 'real'],
    ['real(-inf)', -Infinity, 'real'],
    ['decimal(1.25)', 1.25, 'decimal'],
    ['-5', -5, 'long'],
    ['(7)', 7, 'long'],
  ])('decodes %s', (text, value, type) => {
    expect(literalValue(expr(text))).toEqual({ value, type });
  });

  it('decodes real(nan)', () => {
    expect(Number.isNaN(literalValue(expr('real(nan)')).value)).toBe(true);
  });

  it.each([
    ['datetime(2024-01-02)', Date.UTC(2024, 0, 2)],
    ['datetime(2024-01-02 03:04:05)', Date.UTC(2024, 0, 2, 3, 4, 5)],
    ['datetime(2024-01-02T03:04:05.123Z)', Date.UTC(2024, 0, 2, 3, 4, 5, 123)],
    ['datetime("2024-01-02")', Date.UTC(2024, 0, 2)],
    ['datetime(null)', null],
  ])('decodes %s', (text, value) => {
    expect(literalValue(expr(text))).toEqual({ value, type: 'datetime' });
  });

  it('keeps sub-millisecond datetime precision', () => {
    expect(literalValue(expr('datetime(2024-01-02 03:04:05.1234567)')).value).toBeCloseTo(
      Date.UTC(2024, 0, 2, 3, 4, 5, 123) + 0.4567,
      4,
    );
  });

  it.each([
    ['5m', 300_000],
    ['1.5h', 5_400_000],
    ['2d', 172_800_000],
    ['100ms', 100],
    ['10s', 10_000],
    ['1tick', 0.0001],
    ['time(1.02:03:04)', 93_784_000],
    ['timespan(00:00:30)', 30_000],
    ['time(null)', null],
  ])('decodes the timespan %s', (text, value) => {
    expect(literalValue(expr(text))).toEqual({ value, type: 'timespan' });
  });

  it('decodes guids lower-cased and typed nulls', () => {
    expect(literalValue(expr('guid(6F0F1F0E-AAAA-0000-0000-000000000001)'))).toEqual({
      value: '6f0f1f0e-aaaa-0000-0000-000000000001',
      type: 'guid',
    });
    expect(literalValue(expr('guid(null)'))).toEqual({ value: null, type: 'guid' });
    expect(literalValue(find('print dynamic([null])', 'NullLiteralExpression'))).toEqual({
      value: null,
      type: 'dynamic',
    });
  });

  it('decodes dynamic literals to JSON values', () => {
    expect(
      literalValue(
        expr(`dynamic({"a": [1, "x", null, true, {"b": 2.5}], 'c': -3, 'd': datetime(2020-01-01)})`),
      ),
    ).toEqual({
      value: { a: [1, 'x', null, true, { b: 2.5 }], c: -3, d: '2020-01-01T00:00:00.0000000Z' },
      type: 'dynamic',
    });
    expect(literalValue(expr('dynamic([1, 2])')).value).toEqual([1, 2]);
    expect(literalValue(expr('dynamic(null)')).value).toBeNull();
    expect(literalValue(expr(`dynamic('s')`)).value).toBe('s');
  });

  it('rejects non-literals with a 400', () => {
    const node = expr('x + 1');
    expect(isLiteral(node)).toBe(false);
    expect(() => literalValue(node)).toThrow(KustoError);
    expect(() => literalValue(node)).toThrow(/Expected a literal value, found 'x \+ 1'/);
  });

  it('reads property values of a management command', () => {
    const text = `.export async to csv (h@'https://a.blob.core.windows.net/c;impersonate') with (sizeLimit=1048576, namePrefix='part', includeHeaders='all') <| T`;
    const node = find(text, 'StringLiteralExpression');
    expect(literalValue(node)).toEqual({
      value: 'https://a.blob.core.windows.net/c;impersonate',
      type: 'string',
    });
  });
});

describe('nameOf', () => {
  it('decodes plain, bracketed, keyword and wildcard names', () => {
    expect(nameOf(find('T | project x', 'NameReference'))).toBe('T');
    expect(nameOf(find(`['my table'] | take 1`, 'NameReference'))).toBe('my table');
    expect(nameOf(find(`["a'b"] | take 1`, 'BracketedName'))).toBe("a'b");
    expect(nameOf(find('T | extend ["new col"] = 1', 'NameDeclaration'))).toBe('new col');
    expect(
      nameOf(find('T | summarize count() by bin(x, 1)', 'FunctionCallExpression').Name as SyntaxElement),
    ).toBe('count');
    expect(nameOf(find('T | project-away Col*', 'WildcardedName'))).toBe('Col*');
    expect(nameOf(find('.show table Events schema as json', 'NameReference'))).toBe('Events');
  });

  it('rejects nodes that are not names', () => {
    expect(() => nameOf(expr('1 + 2'))).toThrow(/Expected a name/);
  });
});
