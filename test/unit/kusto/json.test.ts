import { asRecord, lenientJson, nonEmptyString } from '../../../lib/kusto/json';

describe('asRecord', () => {
  it('accepts plain objects only', () => {
    const record = { a: 1 };
    expect(asRecord(record)).toBe(record);
    expect([null, undefined, [], 'x', 1].map(asRecord)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('nonEmptyString', () => {
  it('accepts non-empty strings only', () => {
    expect(nonEmptyString('x')).toBe('x');
    expect(['', 1, null, undefined, {}].map(nonEmptyString)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('lenientJson', () => {
  it('parses JSON text, passes parsed values through and gives undefined for anything else', () => {
    expect(lenientJson('{"a":[1]}')).toEqual({ a: [1] });
    expect(lenientJson('null')).toBeNull();
    const parsed = ['x'];
    expect(lenientJson(parsed)).toBe(parsed);
    expect(lenientJson(0)).toBe(0);
    expect(['', '  ', 'not json', null, undefined].map(lenientJson)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
