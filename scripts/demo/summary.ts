/** The demo's closing summary: one row per table, the time taken, and where the reports are. */
import { renderTable } from '../../lib/cli/table';

/** One table's figures. */
export interface SummaryRow {
  readonly table: string;
  readonly sourceRows: number;
  /** Rows in the backup's committed files (verification), null when not verified. */
  readonly backupRows: number | null;
  readonly restoredRows: number;
  readonly verdict: string;
  readonly restoredMatches: boolean;
}

/** Renders the summary block. */
export function renderSummary(
  rows: readonly SummaryRow[],
  elapsedMs: number,
  reports: readonly string[],
  ok: boolean,
): string {
  const table = renderTable(
    ['table', 'source rows', 'backup rows', 'restored rows', 'verification', 'restore'],
    rows.map((r) => [
      r.table,
      r.sourceRows,
      r.backupRows ?? '-',
      r.restoredRows,
      r.verdict,
      r.restoredMatches ? 'identical' : 'DIFFERENT',
    ]),
  );
  return [
    '━━ Summary',
    rows.length > 0 ? table : '(no tables got as far as the restore)',
    'source rows: before the disaster (after the deletion); backup rows: in committed backup files (the deleted row included: the ledger removes it on restore)',
    ...reports.map((r) => `verification report (copied out of the in-memory storage): ${r}`),
    `time taken: ${(elapsedMs / 1000).toFixed(1)} s`,
    ok ? 'RESULT: every check passed' : 'RESULT: some checks FAILED (see ✘ above)',
  ].join('\n');
}
