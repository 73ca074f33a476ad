/** The demo's closing summary: one row per table, the time taken, and where the reports are. */
import { renderTable } from '../../lib/cli/table';

/** One table's figures. */
export interface SummaryRow {
  readonly table: string;
  readonly sourceRows: number;
  /** Rows in the backup's committed files (catalog), before the disaster. */
  readonly backupRows: number | null;
  /** Rows the verification compared (complete days up to the export's ExportedTo), null when not verified. */
  readonly verifiedRows: number | null;
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
    ['table', 'source rows', 'backup rows', 'verified rows', 'verification', 'restored rows', 'restore'],
    rows.map((r) => [
      r.table,
      r.sourceRows,
      r.backupRows ?? '-',
      r.verifiedRows ?? '-',
      r.verdict,
      r.restoredRows,
      r.restoredMatches ? 'identical' : 'DIFFERENT',
    ]),
  );
  return [
    '━━ Summary',
    rows.length > 0 ? table : '(no tables got as far as the restore)',
    'source rows: just before the disaster, after the deletion. backup rows: in committed backup files, the deleted',
    'row included (restores apply the ledger). verified rows: the days the verification compared (complete days',
    "up to each export's ExportedTo). restore: restored rows compared one by one with the source rows.",
    'reports (copied out of the in-memory storage, which ends with the demo):',
    ...reports.map((r) => `  ${r}`),
    `time taken: ${(elapsedMs / 1000).toFixed(1)} s`,
    ok ? 'RESULT: every check passed' : 'RESULT: some checks FAILED (see ✘ above)',
  ].join('\n');
}
