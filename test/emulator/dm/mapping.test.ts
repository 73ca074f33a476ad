import { applyTransform, jsonPathSegments, parseMapping, readPath } from './mapping';

describe('jsonPathSegments', () => {
  it('splits dotted and bracketed paths', () => {
    expect(jsonPathSegments('$')).toEqual([]);
    expect(jsonPathSegments('$.a.b')).toEqual(['a', 'b']);
    expect(jsonPathSegments(`$['a b']["c"].d`)).toEqual(['a b', 'c', 'd']);
  });

  it('rejects what it cannot follow', () => {
    for (const p of ['a.b', '$[0]', '$.', '$x']) {
      expect(() => jsonPathSegments(p)).toThrow(
        expect.objectContaining({ code: 'BadRequest_InvalidMapping' }),
      );
    }
  });
});

describe('readPath', () => {
  it('reads nested properties and yields undefined for missing ones', () => {
    const r = { a: { b: 1 }, c: [1] };
    expect(readPath(r, ['a', 'b'])).toBe(1);
    expect(readPath(r, [])).toBe(r);
    expect(readPath(r, ['a', 'x'])).toBeUndefined();
    expect(readPath(r, ['c', '0'])).toBeUndefined();
  });
});

describe('parseMapping', () => {
  it('reads what the SDK sends (Column + Properties) as a JSON string', () => {
    const sdk = JSON.stringify([
      { Column: 'A', DataType: 'long', Properties: { Ordinal: '2' } },
      { Column: 'B', Properties: { Path: '$.x.y', Transform: 'DateTimeFromUnixSeconds' } },
      { Column: 'C', Properties: { ConstValue: 'k' } },
      { Column: 'D', Properties: { Field: 'src' } },
    ]);
    expect(parseMapping(sdk)).toEqual([
      { column: 'A', ordinal: 2 },
      { column: 'B', path: ['x', 'y'], transform: 'DateTimeFromUnixSeconds' },
      { column: 'C', constValue: 'k' },
      { column: 'D', path: ['src'] },
    ]);
  });

  it('reads the legacy flat form', () => {
    expect(
      parseMapping([
        { column: 'A', Ordinal: 0 },
        { column: 'B', path: '$.b' },
      ]),
    ).toEqual([
      { column: 'A', ordinal: 0 },
      { column: 'B', path: ['b'] },
    ]);
  });

  it('rejects malformed mappings', () => {
    for (const bad of ['{', '{}', [{ Properties: {} }], [{ Column: 'A', Properties: { Ordinal: '-1' } }]]) {
      expect(() => parseMapping(bad)).toThrow(expect.objectContaining({ code: 'BadRequest_InvalidMapping' }));
    }
  });
});

describe('applyTransform', () => {
  it('scales unix times to milliseconds and leaves other values alone', () => {
    expect(applyTransform(2, 'DateTimeFromUnixSeconds')).toBe(2000);
    expect(applyTransform('5', 'DateTimeFromUnixMilliseconds')).toBe(5);
    expect(applyTransform(3_000_000, 'DateTimeFromUnixNanoseconds')).toBeCloseTo(3);
    expect(applyTransform('x', 'DateTimeFromUnixSeconds')).toBeNull();
    expect(applyTransform('x', undefined)).toBe('x');
    expect(applyTransform(null, 'DateTimeFromUnixSeconds')).toBeNull();
  });
});
