import { parseDelimited, parseInlineData } from './inline';
import type { Column } from '../values';

const COLUMNS: Column[] = [
  { name: 'Timestamp', type: 'datetime' },
  { name: 'Id', type: 'long' },
  { name: 'Name', type: 'string' },
  { name: 'Props', type: 'dynamic' },
];

describe('parseDelimited', () => {
  test('RFC 4180 quoting: separators, doubled quotes and line breaks inside quotes', () => {
    expect(parseDelimited('a,"b,c","say ""hi""","x\ny"\r\n1,2\n\n', ',')).toEqual([
      ['a', 'b,c', 'say "hi"', 'x\ny'],
      ['1', '2'],
    ]);
  });

  test('empty fields are kept and a missing closing quote is an error', () => {
    expect(parseDelimited(',,\n', ',')).toEqual([['', '', '']]);
    expect(() => parseDelimited('"open,1', ',')).toThrow(/closing quote/);
  });
});

describe('parseInlineData', () => {
  test('csv fields map by position and convert to the column types', () => {
    expect(parseInlineData('2026-01-01T00:00:00Z,7,a,{"k":1}\nnot-a-date,x', 'csv', COLUMNS)).toEqual([
      [Date.UTC(2026, 0, 1), 7, 'a', { k: 1 }],
      [null, null, null, null],
    ]);
  });

  test('tsv and psv use their separators; ignoreFirstRecord skips a header', () => {
    expect(parseInlineData('Timestamp\tId\n2026-01-02\t3', 'tsv', COLUMNS, true)).toEqual([
      [Date.UTC(2026, 0, 2), 3, null, null],
    ]);
    expect(parseInlineData('2026-01-02|4|b', 'PSV', COLUMNS)).toEqual([[Date.UTC(2026, 0, 2), 4, 'b', null]]);
  });

  test('json maps properties by name, one object per line; multijson accepts an array', () => {
    expect(parseInlineData('{"Id":1,"Name":"a"}\n{"Props":[1,2],"Other":true}', 'json', COLUMNS)).toEqual([
      [null, 1, 'a', null],
      [null, null, null, [1, 2]],
    ]);
    expect(parseInlineData('[{"Id":1},\n{"Id":2}]', 'multijson', COLUMNS).map((r) => r[1])).toEqual([1, 2]);
    expect(() => parseInlineData('{"Id":', 'json', COLUMNS)).toThrow(/malformed JSON/);
  });

  test('an unknown format is refused', () => {
    expect(() => parseInlineData('x', 'avro', COLUMNS)).toThrow(/not supported/);
  });
});
