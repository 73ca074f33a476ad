/**
 * The verdict of one table-day, from four independent figures: the source's row count, the
 * catalog's (sum of committed NumRecords), the parquet footers' (row counts the committed files
 * themselves declare) and, when the backup holds more than the source, the rows of those files the
 * deletion ledger removes. Pure.
 */

/** Verdicts, from best to worst. */
export const DAY_VERDICTS = ['ok', 'extra-explained-by-deletions', 'missing-data', 'unexplained'] as const;

/** The verdict of one day. */
export type DayVerdict = (typeof DAY_VERDICTS)[number];

/** The figures of one day of one table. */
export interface DayInput {
  /** `yyyy-MM-dd`; null for rows without a partition value, or the whole of an unpartitioned table. */
  readonly day: string | null;
  readonly sourceRows: number;
  /** Sum of the committed artifacts' NumRecords. */
  readonly backupRows: number;
  /** Sum of the committed files' footer row counts; null when not read. */
  readonly fileRows: number | null;
  /** Committed files whose footer could not be read. */
  readonly unreadableFiles: number;
  readonly artifacts: number;
  /** Backup rows the deletion ledger removes; null when not evaluated. */
  readonly ledgerRows: number | null;
}

/** A day with its verdict and a sentence saying why. */
export interface DayFigures extends DayInput {
  readonly verdict: DayVerdict;
  readonly reason: string;
}

/** Classifies one day. */
export function classifyDay(input: DayInput): DayFigures {
  const { sourceRows: source, backupRows: backup, fileRows: files, ledgerRows: ledger } = input;
  const verdict = (v: DayVerdict, reason: string): DayFigures => ({ ...input, verdict: v, reason });
  if (input.unreadableFiles > 0)
    return verdict('unexplained', `${input.unreadableFiles} committed file(s) could not be read`);
  if (files !== null && files !== backup)
    return verdict('unexplained', `the catalog records ${backup} rows but the committed files hold ${files}`);
  if (backup === source) return verdict('ok', 'the backup holds exactly the source rows');
  if (backup < source) return verdict('missing-data', `${source - backup} source rows are not in the backup`);
  const extra = backup - source;
  if (ledger !== null && backup - ledger === source)
    return verdict(
      'extra-explained-by-deletions',
      `the deletion ledger removes the ${ledger} extra backup rows`,
    );
  const ledgerPart =
    ledger === null || ledger === 0
      ? 'no deletion in the ledger matches them'
      : `the deletion ledger removes ${ledger} backup rows`;
  return verdict('unexplained', `the backup holds ${extra} rows more than the source; ${ledgerPart}`);
}

/** Days whose extra backup rows the ledger may explain (worth asking it). */
export function needsLedger(day: DayFigures): boolean {
  return (
    day.verdict === 'unexplained' &&
    day.backupRows > day.sourceRows &&
    day.unreadableFiles === 0 &&
    (day.fileRows === null || day.fileRows === day.backupRows)
  );
}

/** The worst of some verdicts (`ok` for none). */
export function worstVerdict(verdicts: Iterable<DayVerdict>): DayVerdict {
  let worst = 0;
  for (const v of verdicts) worst = Math.max(worst, DAY_VERDICTS.indexOf(v));
  return DAY_VERDICTS[worst]!;
}
