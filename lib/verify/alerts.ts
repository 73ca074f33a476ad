/**
 * The alert on a verification that is not ok: one structured log line per database (error when a
 * table is missing data, unexplained or not verified; warning when the only findings are extra rows
 * the deletion ledger explains), one per affected table, and OpenTelemetry counters an alert rule can
 * fire on. Metrics go to whatever meter provider the host registers (none: the API is a no-op).
 */
import type { Meter } from '@opentelemetry/api';
import { metrics } from '@opentelemetry/api';
import type { Logger } from '../kusto/gateway';
import type { VerificationReport } from './report';
import { DAY_VERDICTS } from './verdicts';

/** Metric names (OpenTelemetry semantic style). */
export const VERIFY_METRICS = {
  /** Days per verdict, per table (attributes database, table, verdict). */
  days: 'adxbackup.verification.days',
  /** Tables that need attention (attributes database, verdict). */
  tablesNotOk: 'adxbackup.verification.tables_not_ok',
} as const;

/** Receives every finished report. */
export interface VerificationAlerts {
  report(report: VerificationReport): void;
}

/** The meter of adx-backup from the global provider. */
export function defaultMeter(): Meter {
  return metrics.getMeter('adx-backup');
}

/** Logs and counts each report's findings. */
export function createVerificationAlerts(logger: Logger, meter: Meter = defaultMeter()): VerificationAlerts {
  const days = meter.createCounter(VERIFY_METRICS.days, {
    description: 'Verified table-days by verdict',
    unit: '{day}',
  });
  const tablesNotOk = meter.createCounter(VERIFY_METRICS.tablesNotOk, {
    description: 'Tables whose verification is not ok',
    unit: '{table}',
  });
  return {
    report(report) {
      const { database } = report;
      for (const t of report.tables) {
        for (const verdict of DAY_VERDICTS) {
          const n = t.daysByVerdict[verdict];
          if (n > 0) days.add(n, { database, table: t.table, verdict });
        }
      }
      const bad = report.tables.filter((t) => t.verdict !== 'ok');
      for (const t of bad) tablesNotOk.add(1, { database, verdict: t.verdict });
      if (bad.length === 0) {
        logger.info('backup verification ok', { database, tables: report.summary.tables });
        return;
      }
      const fields = {
        alert: 'adx-backup-verification',
        database,
        report: report.id,
        tablesNotOk: bad.length,
        ...Object.fromEntries(
          DAY_VERDICTS.filter((v) => v !== 'ok').map((v) => [v, report.summary.daysByVerdict[v]]),
        ),
        location: report.locations[0]?.html,
      };
      const serious = bad.some((t) => t.verdict !== 'extra-explained-by-deletions');
      const message = `backup verification of '${database}' is not ok: ${bad
        .map((t) => `${t.table} ${t.verdict}`)
        .slice(0, 20)
        .join(', ')}`;
      if (serious) logger.error(message, fields);
      else logger.warn(message, fields);
      for (const t of bad) {
        logger.warn('backup verification finding', {
          alert: 'adx-backup-verification',
          database,
          table: t.table,
          verdict: t.verdict,
          daysNotOk: t.notOk.length,
          firstDay: t.notOk[0]?.day ?? undefined,
          message: t.message,
        });
      }
    },
  };
}
