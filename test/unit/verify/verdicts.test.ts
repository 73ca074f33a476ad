import type { DayInput } from '../../../lib/verify/verdicts';
import { classifyDay, needsLedger, worstVerdict } from '../../../lib/verify/verdicts';

const day = (over: Partial<DayInput>): DayInput => ({
  day: '2026-01-01',
  sourceRows: 10,
  backupRows: 10,
  fileRows: 10,
  unreadableFiles: 0,
  artifacts: 1,
  ledgerRows: null,
  ...over,
});

it.each<[string, Partial<DayInput>, string, string]>([
  ['equal counts', {}, 'ok', 'the backup holds exactly the source rows'],
  [
    'fewer backup rows',
    { backupRows: 7, fileRows: 7 },
    'missing-data',
    '3 source rows are not in the backup',
  ],
  [
    'extra rows the ledger removes',
    { backupRows: 12, fileRows: 12, ledgerRows: 2 },
    'extra-explained-by-deletions',
    'the deletion ledger removes the 2 extra backup rows',
  ],
  [
    'extra rows, no ledger match',
    { backupRows: 12, fileRows: 12, ledgerRows: 0 },
    'unexplained',
    'the backup holds 2 rows more than the source; no deletion in the ledger matches them',
  ],
  [
    'extra rows, ledger removes too few',
    { backupRows: 12, fileRows: 12, ledgerRows: 1 },
    'unexplained',
    'the backup holds 2 rows more than the source; the deletion ledger removes 1 backup rows',
  ],
  [
    'catalog and files disagree',
    { fileRows: 9 },
    'unexplained',
    'the catalog records 10 rows but the committed files hold 9',
  ],
  ['an unreadable file', { unreadableFiles: 1 }, 'unexplained', '1 committed file(s) could not be read'],
])('%s', (_label, over, verdict, reason) => {
  expect(classifyDay(day(over))).toMatchObject({ verdict, reason });
});

it('asks the ledger only about extra rows whose files agree with the catalog', () => {
  expect(needsLedger(classifyDay(day({ backupRows: 12, fileRows: 12 })))).toBe(true);
  expect(needsLedger(classifyDay(day({ backupRows: 12, fileRows: 11 })))).toBe(false);
  expect(needsLedger(classifyDay(day({ backupRows: 8, fileRows: 8 })))).toBe(false);
  expect(needsLedger(classifyDay(day({ backupRows: 12, fileRows: null })))).toBe(true);
});

it('ranks verdicts', () => {
  expect(worstVerdict([])).toBe('ok');
  expect(worstVerdict(['ok', 'extra-explained-by-deletions'])).toBe('extra-explained-by-deletions');
  expect(worstVerdict(['missing-data', 'extra-explained-by-deletions'])).toBe('missing-data');
  expect(worstVerdict(['unexplained', 'missing-data', 'ok'])).toBe('unexplained');
});
