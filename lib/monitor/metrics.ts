/**
 * The monitor's OpenTelemetry metrics, through `@opentelemetry/api` (a no-op until the host installs
 * an SDK, e.g. Azure Monitor OpenTelemetry): per table the export's lateness in minutes, per
 * database the number of unhealthy tables. Both are observable gauges observing the latest tick's
 * values: a table no longer watched (dropped in the source) is no longer observed. (A reader with
 * cumulative temporality keeps repeating a series' last point; delta readers drop it.)
 */
import type { Meter } from '@opentelemetry/api';
import type { TableStatus } from '../domain/monitorStatus';
import { isUnhealthy } from '../domain/monitorStatus';

/** Metric names (documented in the README). */
export const MetricNames = {
  lateness: 'adxbackup.export.lateness',
  unhealthy: 'adxbackup.tables.unhealthy',
} as const;

/** Receives each tick's table statuses of a database. */
export interface MonitorMetrics {
  publish(cluster: string, database: string, tables: readonly TableStatus[]): void;
}

/** Registers the gauges on `meter`; create once per process. */
export function createMonitorMetrics(meter: Meter): MonitorMetrics {
  const latest = new Map<string, { cluster: string; database: string; tables: readonly TableStatus[] }>();
  meter
    .createObservableGauge(MetricNames.lateness, {
      unit: 'min',
      description:
        "Minutes between now and the newest ingestion time a table's continuous export has exported",
    })
    .addCallback((result) => {
      for (const { cluster, database, tables } of latest.values()) {
        for (const t of tables) {
          if (t.latenessMinutes === null || t.state === 'source-dropped') continue;
          result.observe(t.latenessMinutes, { cluster, database, table: t.table, state: t.state });
        }
      }
    });
  meter
    .createObservableGauge(MetricNames.unhealthy, {
      unit: '{table}',
      description: 'Tables whose backup is late, failing, disabled, drifted, missing or invalid',
    })
    .addCallback((result) => {
      for (const { cluster, database, tables } of latest.values()) {
        result.observe(tables.filter((t) => isUnhealthy(t.state)).length, { cluster, database });
      }
    });
  return {
    publish(cluster, database, tables) {
      latest.set(`${cluster}\u0000${database}`, { cluster, database, tables });
    },
  };
}
