import type { Column } from '../values';
import { parseMapping } from './mapping';
import { projectRows } from './project';

const TABLE: Column[] = [
  { name: 'Ts', type: 'datetime' },
  { name: 'Name', type: 'string' },
  { name: 'N', type: 'long' },
  { name: 'Bag', type: 'dynamic' },
];

const code = (fn: () => unknown): string => {
  try {
    fn();
    return 'none';
  } catch (e) {
    return (e as { code: string }).code;
  }
};

describe('projectRows: delimited fields by position', () => {
  it('converts fields to the column types; missing trailing fields are null, bad values null', () => {
    const rows = projectRows(
      {
        kind: 'fields',
        records: [
          ['2025-01-01T00:00:00.1234567Z', '', 'x', '{"k":1}'],
          ['', 'b', '7', ''],
        ],
      },
      TABLE,
      undefined,
    );
    expect(rows).toEqual([
      [Date.UTC(2025, 0, 1) + 123.4567, '', null, { k: 1 }],
      [null, 'b', 7, null],
    ]);
    expect(projectRows({ kind: 'fields', records: [['2025-01-01', 'a']] }, TABLE, undefined)).toEqual([
      [Date.UTC(2025, 0, 1), 'a', null, null],
    ]);
  });

  it('fails records that disagree on their width or are wider than the table', () => {
    expect(code(() => projectRows({ kind: 'fields', records: [['a', 'b'], ['c']] }, TABLE, undefined))).toBe(
      'Stream_WrongNumberOfFields',
    );
    expect(
      code(() => projectRows({ kind: 'fields', records: [['1', '2', '3', '4', '5']] }, TABLE, undefined)),
    ).toBe('Stream_WrongNumberOfFields');
  });

  it('follows mapping ordinals and constants', () => {
    const mapping = parseMapping([
      { Column: 'N', Properties: { Ordinal: '0' } },
      { Column: 'Name', Properties: { ConstValue: 'const' } },
      { Column: 'Ts', Properties: { Ordinal: '1', Transform: 'DateTimeFromUnixSeconds' } },
    ]);
    expect(projectRows({ kind: 'fields', records: [['5', '60', 'ignored']] }, TABLE, mapping)).toEqual([
      [60_000, 'const', 5, null],
    ]);
    expect(
      code(() =>
        projectRows({ kind: 'fields', records: [['1']] }, TABLE, parseMapping([{ Column: 'Nope' }])),
      ),
    ).toBe('BadRequest_InconsistentMapping');
  });
});

describe('projectRows: JSON objects by name', () => {
  it('maps properties by exact name, then ignoring case; ignores extra properties', () => {
    const rows = projectRows(
      {
        kind: 'objects',
        records: [
          { name: 'lower', N: '3', Bag: [1], Extra: true },
          { Ts: 0, N: 1.9 },
        ],
      },
      TABLE,
      undefined,
    );
    expect(rows).toEqual([
      [null, 'lower', 3, [1]],
      [0, null, 1, null],
    ]);
  });

  it('follows mapping paths', () => {
    const mapping = parseMapping([
      { Column: 'Name', Properties: { Path: '$.a.b' } },
      { Column: 'Bag', Properties: { Path: '$' } },
    ]);
    expect(projectRows({ kind: 'objects', records: [{ a: { b: 'deep' } }] }, TABLE, mapping)).toEqual([
      [null, 'deep', null, { a: { b: 'deep' } }],
    ]);
  });
});

describe('projectRows: typed (parquet) columns by name', () => {
  it('keeps values of the same type and converts the others', () => {
    const rows = projectRows(
      {
        kind: 'typed',
        columns: [
          { name: 'N', type: 'string' },
          { name: 'ts', type: 'datetime' },
          { name: 'Unused', type: 'long' },
        ],
        rows: [['42', 1000, 9]],
      },
      TABLE,
      undefined,
    );
    expect(rows).toEqual([[1000, null, 42, null]]);
  });

  it('follows a mapping naming the source column', () => {
    const mapping = parseMapping([{ Column: 'Name', Properties: { Field: 'src' } }]);
    expect(
      projectRows(
        { kind: 'typed', columns: [{ name: 'src', type: 'string' }], rows: [['v']] },
        TABLE,
        mapping,
      ),
    ).toEqual([[null, 'v', null, null]]);
  });
});
