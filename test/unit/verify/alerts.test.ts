import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import type { Logger } from '../../../lib/kusto/gateway';
import { createVerificationAlerts, VERIFY_METRICS } from '../../../lib/verify/alerts';
import type { VerificationReport } from '../../../lib/verify/report';
import { notVerified, summarize, tableVerification } from '../../../lib/verify/report';
import { classifyDay } from '../../../lib/verify/verdicts';

class TestReader extends MetricReader {
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

const day = (d: string, source: number, backup: number, ledger: number | null = null) =>
  classifyDay({
    day: d,
    sourceRows: source,
    backupRows: backup,
    fileRows: backup,
    unreadableFiles: 0,
    artifacts: 1,
    ledgerRows: ledger,
  });
const report = (tables: VerificationReport['tables']): VerificationReport => ({
  id: 'r1',
  clusterUri: 'https://c1.kusto.windows.net',
  database: 'db',
  startedAt: '',
  finishedAt: '',
  tables,
  summary: summarize(tables),
  locations: [{ json: 'https://x/r.json', html: 'https://x/r.html' }],
});
const base = (table: string) => ({ table, partitionColumn: 'Ts', exportedTo: null });

function capture(): { logger: Logger; lines: { level: string; message: string; fields?: object }[] } {
  const lines: { level: string; message: string; fields?: object }[] = [];
  const at = (level: string) => (message: string, fields?: object) =>
    void lines.push({ level, message, fields });
  return { logger: { info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

it('logs an error naming the bad tables and counts days and tables by verdict', async () => {
  const reader = new TestReader();
  const meter = new MeterProvider({ readers: [reader] }).getMeter('test');
  const { logger, lines } = capture();
  createVerificationAlerts(logger, meter).report(
    report([
      tableVerification(base('A'), [day('2026-01-01', 1, 1), day('2026-01-02', 2, 1)]),
      notVerified(base('B'), 'its continuous export does not exist'),
      tableVerification(base('C'), [day('2026-01-01', 1, 1)]),
    ]),
  );
  expect(lines.map((l) => [l.level, l.message])).toEqual([
    ['error', "backup verification of 'db' is not ok: A missing-data, B not-verified"],
    ['warn', 'backup verification finding'],
    ['warn', 'backup verification finding'],
  ]);
  expect(lines[0]!.fields).toMatchObject({
    alert: 'adx-backup-verification',
    tablesNotOk: 2,
    'missing-data': 1,
    location: 'https://x/r.html',
  });
  const { resourceMetrics } = await reader.collect();
  const metrics = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
  const points = (name: string) =>
    metrics.find((m) => m.descriptor.name === name)!.dataPoints.map((p) => [p.attributes, p.value]);
  expect(points(VERIFY_METRICS.days)).toEqual(
    expect.arrayContaining([
      [{ database: 'db', table: 'A', verdict: 'ok' }, 1],
      [{ database: 'db', table: 'A', verdict: 'missing-data' }, 1],
      [{ database: 'db', table: 'C', verdict: 'ok' }, 1],
    ]),
  );
  expect(points(VERIFY_METRICS.tablesNotOk)).toEqual(
    expect.arrayContaining([
      [{ database: 'db', verdict: 'missing-data' }, 1],
      [{ database: 'db', verdict: 'not-verified' }, 1],
    ]),
  );
});

it('warns when the only findings are explained by the ledger, and says ok otherwise', () => {
  const { logger, lines } = capture();
  const alerts = createVerificationAlerts(logger);
  alerts.report(report([tableVerification(base('A'), [day('2026-01-01', 1, 2, 1)])]));
  alerts.report(report([tableVerification(base('A'), [day('2026-01-01', 1, 1)])]));
  expect(lines.map((l) => [l.level, l.message])).toEqual([
    ['warn', "backup verification of 'db' is not ok: A extra-explained-by-deletions"],
    ['warn', 'backup verification finding'],
    ['info', 'backup verification ok'],
  ]);
});
