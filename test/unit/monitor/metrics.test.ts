import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import type { TableStatus } from '../../../lib/domain/monitorStatus';
import { MetricNames, createMonitorMetrics } from '../../../lib/monitor/metrics';

/** A pull reader; delta temporality, so a series not observed in a collection is not reported. */
class TestReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.DELTA });
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

const status = (table: string, state: TableStatus['state'], latenessMinutes: number | null): TableStatus => ({
  table,
  state,
  cause: null,
  latenessMinutes,
  exportedTo: null,
  lastFailure: null,
  lastAction: null,
  alert: null,
  notes: [],
  checkedAt: '',
});

async function collect(reader: TestReader): Promise<Record<string, [Record<string, unknown>, number][]>> {
  const { resourceMetrics } = await reader.collect();
  const out: Record<string, [Record<string, unknown>, number][]> = {};
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      out[metric.descriptor.name] = metric.dataPoints.map((p) => [p.attributes, p.value as number]);
    }
  }
  return out;
}

test('lateness per table and unhealthy tables per database, from the latest tick only', async () => {
  const reader = new TestReader();
  const provider = new MeterProvider({ readers: [reader] });
  const metrics = createMonitorMetrics(provider.getMeter('test'));
  metrics.publish('c', 'db', [
    status('A', 'healthy', 2),
    status('B', 'late', 95.5),
    status('C', 'missing', null),
    status('D', 'source-dropped', 900),
  ]);
  expect(await collect(reader)).toEqual({
    [MetricNames.lateness]: [
      [{ cluster: 'c', database: 'db', table: 'A', state: 'healthy' }, 2],
      [{ cluster: 'c', database: 'db', table: 'B', state: 'late' }, 95.5],
    ],
    [MetricNames.unhealthy]: [[{ cluster: 'c', database: 'db' }, 2]],
  });
  metrics.publish('c', 'db', [status('A', 'healthy', 1)]);
  const next = await collect(reader);
  expect(next[MetricNames.lateness]).toEqual([
    [{ cluster: 'c', database: 'db', table: 'A', state: 'healthy' }, 1],
  ]);
  expect(next[MetricNames.unhealthy]).toEqual([[{ cluster: 'c', database: 'db' }, 0]]);
  await provider.shutdown();
});
