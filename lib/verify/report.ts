/**
 * The verification report: per table, its verdict (the worst of its days), totals, and the figures
 * of every day that is not ok; plus database-wide counts. Pure data, written as JSON and rendered as
 * HTML (`reportHtml.ts`).
 */
import type { DayFigures, DayVerdict } from './verdicts';
import { DAY_VERDICTS, worstVerdict } from './verdicts';

/** A table's outcome: a day verdict, or why it could not be verified. */
export type TableVerdict = DayVerdict | 'not-verified';

/** One table in the report. */
export interface TableVerification {
  readonly table: string;
  readonly partitionColumn: string | null;
  readonly verdict: TableVerdict;
  /** Why the table was not verified (secrets masked); absent when it was. */
  readonly message?: string;
  /** The export's ExportedTo the check was bounded by (ISO). */
  readonly exportedTo: string | null;
  readonly daysChecked: number;
  readonly daysByVerdict: Readonly<Record<DayVerdict, number>>;
  readonly sourceRows: number;
  readonly backupRows: number;
  readonly committedFiles: number;
  /** Every day whose verdict is not `ok`, oldest first. */
  readonly notOk: readonly DayFigures[];
}

/** A verification run of one database. */
export interface VerificationReport {
  readonly id: string;
  readonly clusterUri: string;
  readonly database: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly tables: readonly TableVerification[];
  readonly summary: {
    readonly tables: number;
    readonly tablesOk: number;
    /** Tables not verified or with a day that is not ok. */
    readonly tablesNotOk: number;
    readonly daysByVerdict: Readonly<Record<DayVerdict, number>>;
  };
  /** Where the report was written (JSON and HTML per container); empty when nowhere. */
  readonly locations: readonly { readonly json: string; readonly html: string }[];
}

/** Zero for every verdict. */
export function emptyVerdictCounts(): Record<DayVerdict, number> {
  return Object.fromEntries(DAY_VERDICTS.map((v) => [v, 0])) as Record<DayVerdict, number>;
}

/** The table entry from its classified days. */
export function tableVerification(
  base: Pick<TableVerification, 'table' | 'partitionColumn' | 'exportedTo'>,
  days: readonly DayFigures[],
): TableVerification {
  const daysByVerdict = emptyVerdictCounts();
  for (const d of days) daysByVerdict[d.verdict] += 1;
  const order = (d: DayFigures): string => d.day ?? '';
  return {
    ...base,
    verdict: worstVerdict(days.map((d) => d.verdict)),
    daysChecked: days.length,
    daysByVerdict,
    sourceRows: days.reduce((n, d) => n + d.sourceRows, 0),
    backupRows: days.reduce((n, d) => n + d.backupRows, 0),
    committedFiles: days.reduce((n, d) => n + d.artifacts, 0),
    notOk: days.filter((d) => d.verdict !== 'ok').sort((a, b) => order(a).localeCompare(order(b))),
  };
}

/** A table that could not be verified. */
export function notVerified(
  base: Pick<TableVerification, 'table' | 'partitionColumn' | 'exportedTo'>,
  message: string,
): TableVerification {
  return {
    ...base,
    verdict: 'not-verified',
    message,
    daysChecked: 0,
    daysByVerdict: emptyVerdictCounts(),
    sourceRows: 0,
    backupRows: 0,
    committedFiles: 0,
    notOk: [],
  };
}

/** True when the table needs attention: not verified, or a day missing or unexplained. */
export function needsAttention(table: TableVerification): boolean {
  return table.verdict !== 'ok';
}

/** Database-wide counts. */
export function summarize(tables: readonly TableVerification[]): VerificationReport['summary'] {
  const daysByVerdict = emptyVerdictCounts();
  for (const t of tables) for (const v of DAY_VERDICTS) daysByVerdict[v] += t.daysByVerdict[v];
  const ok = tables.filter((t) => !needsAttention(t)).length;
  return { tables: tables.length, tablesOk: ok, tablesNotOk: tables.length - ok, daysByVerdict };
}
