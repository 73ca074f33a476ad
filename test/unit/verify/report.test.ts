import { needsAttention, notVerified, summarize, tableVerification } from '../../../lib/verify/report';
import type { DayInput } from '../../../lib/verify/verdicts';
import { classifyDay } from '../../../lib/verify/verdicts';

const day = (d: string | null, source: number, backup: number, ledger: number | null = null) =>
  classifyDay({
    day: d,
    sourceRows: source,
    backupRows: backup,
    fileRows: backup,
    unreadableFiles: 0,
    artifacts: 1,
    ledgerRows: ledger,
  } satisfies DayInput);
const base = { table: 'T', partitionColumn: 'Timestamp', exportedTo: '2026-01-05T00:00:00.000Z' };

it('sums a table, keeps the bad days in order, and summarises a database', () => {
  const t = tableVerification(base, [
    day('2026-01-03', 5, 4),
    day('2026-01-01', 5, 5),
    day(null, 2, 3, 1),
    day('2026-01-02', 5, 6, 0),
  ]);
  expect(t).toMatchObject({
    verdict: 'unexplained',
    daysChecked: 4,
    daysByVerdict: { ok: 1, 'extra-explained-by-deletions': 1, 'missing-data': 1, unexplained: 1 },
    sourceRows: 17,
    backupRows: 18,
    committedFiles: 4,
  });
  expect(t.notOk.map((d) => d.day)).toEqual([null, '2026-01-02', '2026-01-03']);
  const ok = tableVerification({ ...base, table: 'U' }, [day('2026-01-01', 1, 1)]);
  const skipped = notVerified(
    { ...base, table: 'V', exportedTo: null },
    'its continuous export does not exist',
  );
  expect([ok, skipped, t].map(needsAttention)).toEqual([false, true, true]);
  expect(skipped).toMatchObject({
    verdict: 'not-verified',
    message: 'its continuous export does not exist',
    daysChecked: 0,
  });
  expect(summarize([ok, skipped, t])).toEqual({
    tables: 3,
    tablesOk: 1,
    tablesNotOk: 2,
    daysByVerdict: { ok: 2, 'extra-explained-by-deletions': 1, 'missing-data': 1, unexplained: 1 },
  });
  expect(tableVerification(base, [])).toMatchObject({ verdict: 'ok', daysChecked: 0, notOk: [] });
});
