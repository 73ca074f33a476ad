import type { VerificationReport } from '../../../lib/verify/report';
import { notVerified, summarize, tableVerification } from '../../../lib/verify/report';
import { escapeHtml, renderReportHtml } from '../../../lib/verify/reportHtml';
import { classifyDay } from '../../../lib/verify/verdicts';
import { htmlTables } from '../../helpers/htmlTables';

it('renders every table verdict and the figures of every day that is not ok, escaped', () => {
  const evil = 'T<script>"&\'';
  const bad = tableVerification(
    { table: evil, partitionColumn: 'Ts', exportedTo: '2026-01-05T00:00:00.000Z' },
    [
      classifyDay({
        day: '2026-01-01',
        sourceRows: 3,
        backupRows: 2,
        fileRows: 2,
        unreadableFiles: 0,
        artifacts: 1,
        ledgerRows: null,
      }),
      classifyDay({
        day: '2026-01-02',
        sourceRows: 3,
        backupRows: 3,
        fileRows: 3,
        unreadableFiles: 0,
        artifacts: 1,
        ledgerRows: null,
      }),
    ],
  );
  const skipped = notVerified(
    { table: 'U', partitionColumn: null, exportedTo: null },
    'its continuous export does not exist',
  );
  const tables = [bad, skipped];
  const report: VerificationReport = {
    id: 'r1',
    clusterUri: 'https://c1.kusto.windows.net',
    database: 'db',
    startedAt: '2026-01-05T02:00:00.000Z',
    finishedAt: '2026-01-05T02:01:00.000Z',
    tables,
    summary: summarize(tables),
    locations: [],
  };
  const html = renderReportHtml(report);
  expect(html).not.toContain('<script>');
  expect(html).toContain(escapeHtml(evil));
  const parsed = htmlTables(html);
  expect(parsed.map((t) => t.attributes.id ?? t.attributes.class)).toEqual(['tables', 'days']);
  expect(
    parsed[0]!.rows.map((r) => [r.attributes['data-table'], r.cells[1], r.cells[r.cells.length - 1]]),
  ).toEqual([
    [evil, 'missing-data', ''],
    ['U', 'not-verified', 'its continuous export does not exist'],
  ]);
  expect(parsed[1]!.attributes['data-table']).toBe(evil);
  expect(parsed[1]!.rows.map((r) => r.cells)).toEqual([
    ['2026-01-01', 'missing-data', '3', '2', '2', '—', '1', '1 source rows are not in the backup'],
  ]);
  expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
});
