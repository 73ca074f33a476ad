import {
  coerce,
  formatDatetime,
  formatTimespan,
  parseDatetime,
  parseTimespan,
  parseType,
  toText,
  toWire,
} from './values';

describe('datetimes', () => {
  test('render with 7 fractional digits, microsecond precision, no float noise', () => {
    const ms = Date.UTC(2026, 0, 5, 18, 0, 0, 123) + 0.456;
    expect(formatDatetime(ms)).toBe('2026-01-05T18:00:00.1234560Z');
    expect(formatDatetime(Date.UTC(2026, 0, 1))).toBe('2026-01-01T00:00:00.0000000Z');
    expect(formatDatetime(Date.UTC(2026, 0, 1) + 0.999)).toBe('2026-01-01T00:00:00.0009990Z');
  });

  test('parse ISO and Kusto forms, with offsets and 7 digits', () => {
    expect(parseDatetime('2019-04-16T11:43:25.9480738Z')).toBeCloseTo(
      Date.UTC(2019, 3, 16, 11, 43, 25, 948) + 0.0738,
      3,
    );
    expect(parseDatetime('2025-01-01')).toBe(Date.UTC(2025, 0, 1));
    expect(parseDatetime('2025-01-01 10:30')).toBe(Date.UTC(2025, 0, 1, 10, 30));
    expect(parseDatetime('2025-01-01T02:00:00+02:00')).toBe(Date.UTC(2025, 0, 1));
    expect(parseDatetime('not a date')).toBeUndefined();
  });

  test('round-trip through text keeps microseconds', () => {
    const ms = Date.UTC(2030, 5, 6, 7, 8, 9, 10) + 0.011;
    expect(formatDatetime(parseDatetime(formatDatetime(ms))!)).toBe(formatDatetime(ms));
  });
});

describe('timespans', () => {
  test('render as [-][d.]hh:mm:ss[.fffffff]', () => {
    expect(formatTimespan(3_600_000)).toBe('01:00:00');
    expect(formatTimespan(90_061_004)).toBe('1.01:01:01.0040000');
    expect(formatTimespan(-600_000)).toBe('-00:10:00');
  });

  test('parse c-format and literal forms', () => {
    expect(parseTimespan('1.01:02:03.004')).toBe(90_123_004);
    expect(parseTimespan('00:10:00')).toBe(600_000);
    expect(parseTimespan('5m')).toBe(300_000);
    expect(parseTimespan('1.5h')).toBe(5_400_000);
    expect(parseTimespan('100ms')).toBe(100);
    expect(parseTimespan('2d')).toBe(172_800_000);
    expect(parseTimespan('soon')).toBeUndefined();
  });
});

test('type names normalise aliases', () => {
  expect(parseType('Int64')).toBe('long');
  expect(parseType('double')).toBe('real');
  expect(parseType('date')).toBe('datetime');
  expect(parseType('uniqueid')).toBe('guid');
  expect(parseType('varchar')).toBeUndefined();
});

test('coerce converts loose inputs per type and yields null when impossible', () => {
  expect(coerce('1', 'bool')).toBe(true);
  expect(coerce('maybe', 'bool')).toBeNull();
  expect(coerce('42.9', 'long')).toBe(42);
  expect(coerce(10n, 'long')).toBe(10);
  expect(coerce('', 'int')).toBeNull();
  expect(coerce('x', 'real')).toBeNull();
  expect(coerce({ a: 1 }, 'string')).toBe('{"a":1}');
  expect(coerce(' ABC ', 'guid')).toBe('abc');
  expect(coerce('2025-01-01', 'datetime')).toBe(Date.UTC(2025, 0, 1));
  expect(coerce(1_000_000n, 'datetime')).toBe(1000);
  expect(coerce('00:01:00', 'timespan')).toBe(60_000);
  expect(coerce('{"k":[1]}', 'dynamic')).toEqual({ k: [1] });
  expect(coerce('plain', 'dynamic')).toBe('plain');
  expect(coerce(undefined, 'string')).toBeNull();
});

test('wire and text renderings', () => {
  expect(toWire(Date.UTC(2025, 0, 1), 'datetime')).toBe('2025-01-01T00:00:00.0000000Z');
  expect(toWire(60_000, 'timespan')).toBe('00:01:00');
  expect(toWire(1.5, 'decimal')).toBe('1.5');
  expect(toWire(null, 'long')).toBeNull();
  expect(toText(null, 'string')).toBe('');
  expect(toText([1, 2], 'dynamic')).toBe('[1,2]');
});
