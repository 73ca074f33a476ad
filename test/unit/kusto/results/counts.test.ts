import { PermanentError } from '../../../../lib/errors';
import { parseDayCounts } from '../../../../lib/kusto/results/counts';
import { table, thrown } from '../../../helpers/resultTables';

it('reads counts per day, a null day, and a day-less total', () => {
  expect(
    parseDayCounts(
      table('Timestamp:datetime, count_:long', [
        ['2026-01-01T00:00:00Z', 3],
        ['2026-01-02T00:00:00.0000000Z', '4'],
        [null, 2],
        ['2026-01-01T00:00:00Z', 1],
      ]),
    ),
  ).toEqual(
    new Map<string | null, number>([
      ['2026-01-01', 4],
      ['2026-01-02', 4],
      [null, 2],
    ]),
  );
  expect(parseDayCounts(table('count_:long', [[12]]))).toEqual(new Map([[null, 12]]));
  expect(parseDayCounts(table('Timestamp:datetime, count_:long', []))).toEqual(new Map());
});

it.each([
  ['three columns', table('a:string, b:string, c:long', [])],
  ['a bad count', table('Timestamp:datetime, count_:long', [['2026-01-01T00:00:00Z', -1]])],
  ['a bad day', table('Timestamp:datetime, count_:long', [['yesterday', 1]])],
])('refuses %s', (_label, t) => {
  expect(thrown(() => parseDayCounts(t))).toBeInstanceOf(PermanentError);
});
