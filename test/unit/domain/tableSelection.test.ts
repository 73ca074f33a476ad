import { selectTables, validatePatterns } from '../../../lib/domain/tableSelection';
import { ValidationError } from '../../../lib/errors';

const tables = ['Events', 'EventsArchive', 'Logs', 'logs_raw', 'Metrics.v2', 'Tmp-1'];

test('no patterns selects everything', () => {
  expect(selectTables(tables, [], [])).toEqual(tables);
});

test('include and exclude with wildcards, case-sensitive', () => {
  expect(selectTables(tables, ['Events*'], [])).toEqual(['Events', 'EventsArchive']);
  expect(selectTables(tables, ['*'], ['*Archive', 'Tmp-?'])).toEqual([
    'Events',
    'Logs',
    'logs_raw',
    'Metrics.v2',
  ]);
  expect(selectTables(tables, ['logs*'], [])).toEqual(['logs_raw']);
  expect(selectTables(tables, ['Metrics.v2'], [])).toEqual(['Metrics.v2']);
  expect(selectTables(tables, ['Metrics?v2'], [])).toEqual(['Metrics.v2']);
  expect(selectTables(tables, ['MetricsXv2'], [])).toEqual([]);
});

test.each([["Events'"], ['a|b'], ['x\ny'], [''], ['[T]'], ['a'.repeat(1025)]])(
  'rejects pattern %j naming the field',
  (p) => {
    expect(() => validatePatterns(['ok', p], 'exclude')).toThrow(ValidationError);
    try {
      validatePatterns(['ok', p], 'exclude');
    } catch (e) {
      expect((e as ValidationError).field).toBe('exclude[1]');
    }
  },
);
