/**
 * The human-readable verification report: one self-contained HTML page (no scripts, no external
 * resources) with every table's verdict and the figures of every day that is not ok. Every value is
 * HTML-escaped. Tables and rows carry `data-*` attributes so tools can read the page back.
 */
import type { TableVerification, VerificationReport } from './report';
import type { DayFigures } from './verdicts';
import { DAY_VERDICTS } from './verdicts';

/** Escapes text for element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const e = (value: string | number | null): string => escapeHtml(value === null ? '—' : String(value));
const cells = (values: readonly (string | number | null)[]): string =>
  values.map((v) => `<td>${e(v)}</td>`).join('');

function tableRow(t: TableVerification): string {
  const counts = DAY_VERDICTS.map((v) => t.daysByVerdict[v]);
  return (
    `<tr data-table="${e(t.table)}" data-verdict="${e(t.verdict)}" class="${e(t.verdict)}">` +
    cells([
      t.table,
      t.verdict,
      t.daysChecked,
      ...counts,
      t.sourceRows,
      t.backupRows,
      t.committedFiles,
      t.exportedTo,
      t.message ?? '',
    ]) +
    '</tr>'
  );
}

function dayRow(d: DayFigures): string {
  return (
    `<tr data-day="${e(d.day ?? 'none')}" data-verdict="${e(d.verdict)}" class="${e(d.verdict)}">` +
    cells([
      d.day ?? '(no day)',
      d.verdict,
      d.sourceRows,
      d.backupRows,
      d.fileRows,
      d.ledgerRows,
      d.artifacts,
      d.reason,
    ]) +
    '</tr>'
  );
}

function daySection(t: TableVerification): string {
  if (t.notOk.length === 0) return '';
  return (
    `<h2>${e(t.table)}: ${e(t.verdict)}</h2>` +
    `<table class="days" data-table="${e(t.table)}"><thead><tr>` +
    '<th>day</th><th>verdict</th><th>source rows</th><th>catalog rows</th><th>file footer rows</th>' +
    '<th>ledger rows</th><th>files</th><th>why</th></tr></thead><tbody>' +
    t.notOk.map(dayRow).join('') +
    '</tbody></table>'
  );
}

/** Renders the report as a standalone HTML page. */
export function renderReportHtml(report: VerificationReport): string {
  const s = report.summary;
  const title = `adx-backup verification: ${report.database}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${e(title)}</title>`,
    '<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:2em}' +
      'td,th{border:1px solid #ccc;padding:.25em .5em;text-align:right}td:first-child,th:first-child{text-align:left}' +
      '.ok{background:#eaf7ea}.missing-data,.unexplained,.not-verified{background:#fbe3e3}' +
      '.extra-explained-by-deletions{background:#fff6dc}</style></head><body>',
    `<h1>${e(title)}</h1>`,
    `<p id="summary" data-tables="${s.tables}" data-tables-not-ok="${s.tablesNotOk}">Cluster ${e(report.clusterUri)}, ` +
      `run ${e(report.startedAt)} to ${e(report.finishedAt)}: ${s.tablesOk} of ${s.tables} tables ok, ` +
      DAY_VERDICTS.map((v) => `${s.daysByVerdict[v]} days ${e(v)}`).join(', ') +
      '.</p>',
    '<table id="tables"><thead><tr><th>table</th><th>verdict</th><th>days checked</th>' +
      DAY_VERDICTS.map((v) => `<th>${e(v)}</th>`).join('') +
      '<th>source rows</th><th>catalog rows</th><th>files</th><th>exported to</th><th>note</th></tr></thead><tbody>',
    ...report.tables.map(tableRow),
    '</tbody></table>',
    ...report.tables.map(daySection),
    '</body></html>',
    '',
  ].join('\n');
}
