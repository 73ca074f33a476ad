import { DELIMITERS, parseDelimited, parseLines } from './delimited';

describe('parseDelimited', () => {
  it('splits records and fields, with RFC 4180 quoting', () => {
    const text = 'a,"b, c","say ""hi""",\r\n"multi\nline",2,,x\n\n';
    expect(parseDelimited(text, ',')).toEqual([
      ['a', 'b, c', 'say "hi"', ''],
      ['multi\nline', '2', '', 'x'],
    ]);
  });

  it('handles a last record without newline and other delimiters', () => {
    expect(parseDelimited('1\t2\n3\t4', DELIMITERS['tsv']!)).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(parseDelimited('1|"2|3"', DELIMITERS['psv']!)).toEqual([['1', '2|3']]);
    expect(parseDelimited('""', ',')).toEqual([['']]);
  });

  it('keeps quotes inside unquoted fields literally', () => {
    expect(parseDelimited('ab"c,d', ',')).toEqual([['ab"c', 'd']]);
  });

  it('fails an unclosed quote, naming the line', () => {
    expect(() => parseDelimited('a,b\nc,"d\n', ',')).toThrow(
      expect.objectContaining({
        code: 'Stream_ClosingQuoteMissing',
        details: expect.stringContaining('line 2'),
      }),
    );
  });
});

describe('parseLines', () => {
  it('makes one single-field record per non-empty line', () => {
    expect(parseLines('x, y\r\n\nz\n')).toEqual([['x, y'], ['z']]);
  });
});
