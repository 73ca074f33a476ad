import {
  createPlanHistoricalChunksActivity,
  parseDayCounts,
} from '../../../lib/activities/planHistoricalChunks';
import { table } from '../../helpers/resultTables';
import { scriptedGateway } from '../../helpers/scriptedGateway';
import { silentLogger } from '../../helpers/setupHarness';
import { CLUSTER } from './fixtures';

const counts = table('ingestion_time:datetime, count_:long', [
  ['2026-01-03T00:00:00.0000000Z', 300],
  [null, 7],
  ['2026-01-01T00:00:00.0000000Z', 100],
  ['2026-01-02T00:00:00.0000000Z', 100],
]);

test('parseDayCounts finds the bin and the count by type, null for rows without ingestion time', () => {
  expect(parseDayCounts(counts)).toEqual([
    { day: new Date('2026-01-03T00:00:00Z'), count: 300 },
    { day: null, count: 7 },
    { day: new Date('2026-01-01T00:00:00Z'), count: 100 },
    { day: new Date('2026-01-02T00:00:00Z'), count: 100 },
  ]);
  expect(() => parseDayCounts(table('a:string, b:string', []))).toThrow(
    'expected a datetime and a count column',
  );
  expect(() => parseDayCounts(table('d:datetime, n:long', [['yesterday', 1]]))).toThrow('row 0 is malformed');
});

test('one count query below the cursor plans the chunks', async () => {
  const gateway = scriptedGateway({ 'count-by-ingestion-day': counts });
  const out = await createPlanHistoricalChunksActivity({ gatewayFor: () => gateway, logger: silentLogger })({
    clusterUri: CLUSTER,
    database: 'db',
    table: 'Events',
    externalTable: 'adxbackup_Events',
    cursor: '637000000000000042',
    partitioned: true,
    targetRows: 250,
  });
  expect(out.rows).toBe(507);
  expect(
    out.chunks.map((c) =>
      c.kind === 'range'
        ? `${c.from.slice(0, 10)}..${c.to.slice(0, 10)}:${c.expectedRows}`
        : `null:${c.expectedRows}`,
    ),
  ).toEqual(['2026-01-01..2026-01-03:200', '2026-01-03..2026-01-04:300', 'null:7']);
  expect(gateway.sent.map((c) => c.text)).toEqual([
    "['Events'] | where cursor_before_or_at('637000000000000042') | summarize count() by bin(ingestion_time(), 1d)",
  ]);
});
