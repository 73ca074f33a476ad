import { parseJsonRecords } from './jsonRecords';

describe('parseJsonRecords', () => {
  it('reads one object per line, objects spanning lines, and arrays of objects', () => {
    expect(parseJsonRecords('{"a":1}\n{"a":2}\n')).toEqual([{ a: 1 }, { a: 2 }]);
    expect(parseJsonRecords('{\n "a": "}{",\n "b": {"c": [1]}\n}{"a":"\\"x"}')).toEqual([
      { a: '}{', b: { c: [1] } },
      { a: '"x' },
    ]);
    expect(parseJsonRecords('[{"a":1},{"a":2}]\n[{"a":3}]')).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    expect(parseJsonRecords('  \n')).toEqual([]);
  });

  it('fails text that is not a sequence of objects', () => {
    for (const text of ['a,b\n1,2', '{"a":1', '[1,2]', '"s"', '{"a":1}}', '{"a":}']) {
      expect(() => parseJsonRecords(text)).toThrow(
        expect.objectContaining({ code: 'BadRequest_NoRecordsOrWrongFormat', permanent: true }),
      );
    }
  });
});
