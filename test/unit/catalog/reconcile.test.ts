import { reconcileDatabase } from '../../../lib/catalog/reconcile';
import type { ReconcileDeps } from '../../../lib/catalog/reconcile';
import { FakeBlobs, FakeCatalog, FakeWatermarks, tableRecord } from '../../helpers/catalogFakes';
import { table } from '../../helpers/resultTables';
import { notFound, scriptedGateway } from '../../helpers/scriptedGateway';
import { silentLogger } from '../../helpers/setupHarness';

const C = 'https://acct.blob.core.windows.net/backup';
const DAY = 86_400_000;
const NOW = new Date('2026-01-05T00:00:00Z');
const listing = (rows: [string, string, number][]) =>
  table(
    'Timestamp:datetime, ExternalTableName:string, Path:string, NumRecords:long',
    rows.map(([ts, p, n]) => [ts, 'x', p, n]),
  );

function deps(over: Partial<ReconcileDeps> = {}): ReconcileDeps & { catalog: FakeCatalog; blobs: FakeBlobs } {
  return {
    gatewayFor: () => scriptedGateway({ 'show-exported-artifacts': listing([]) }),
    catalog: new FakeCatalog(),
    watermarks: new FakeWatermarks(),
    blobs: new FakeBlobs(),
    containers: [C],
    orphanHorizonMs: DAY,
    quarantineOrphans: false,
    logger: silentLogger,
    now: () => NOW,
    ...over,
  } as ReconcileDeps & { catalog: FakeCatalog; blobs: FakeBlobs };
}

it('commits listed files, sweeps lost ones, orphans stale ones; a second run is an empty diff', async () => {
  const d = deps({
    gatewayFor: () =>
      scriptedGateway({
        'show-exported-artifacts': listing([['2026-01-04T00:00:00Z', `${C}/db/T/20260103/a.parquet`, 4]]),
      }),
  });
  d.catalog.tables.push(tableRecord('T'));
  const old = new Date(NOW.getTime() - 2 * DAY);
  d.blobs.add(`${C}/db/T/20260103/a.parquet`, undefined, old);
  d.blobs.add(`${C}/db/T/20260103/partial.parquet`, undefined, old);
  d.blobs.add(`${C}/db/T/20260104/recent.parquet`, undefined, new Date(NOW.getTime() - 1000));
  const first = await reconcileDatabase(d, { clusterUri: 'https://c1.kusto.windows.net', database: 'db' });
  expect(first.tables).toEqual([
    {
      table: 'T',
      listed: 1,
      committed: 1,
      orphanListed: 0,
      swept: 2,
      orphaned: 1,
      quarantined: 0,
      aliases: 0,
      watermark: '2026-01-04T00:00:00.000Z',
    },
  ]);
  const states = () =>
    Object.fromEntries([...d.catalog.artifacts.values()].map((a) => [a.path.slice(C.length), a.state]));
  expect(states()).toEqual({
    '/db/T/20260103/a.parquet': 'committed',
    '/db/T/20260103/partial.parquet': 'orphan',
    '/db/T/20260104/recent.parquet': 'pending',
  });
  const writes = d.catalog.writes.length;
  const second = await reconcileDatabase(d, { clusterUri: 'https://c1.kusto.windows.net', database: 'db' });
  expect(second.tables[0]).toMatchObject({ committed: 0, swept: 0, orphaned: 0 });
  expect(d.catalog.writes).toHaveLength(writes);
});

it('a missing export still sweeps and ages the folder; a failing table does not stop the others', async () => {
  const d = deps({
    gatewayFor: () =>
      scriptedGateway({
        'show-exported-artifacts': (c) => {
          if (c.text.includes('Gone')) throw notFound('Continuous export', 'adxbackup_Gone');
          if (c.text.includes('Broken')) throw new Error('boom sig=secret');
          return listing([]);
        },
      }),
  });
  d.catalog.tables.push(tableRecord('Gone'), tableRecord('Broken'), tableRecord('Fine'));
  d.blobs.add(`${C}/db/Gone/20260101/x.parquet`, undefined, new Date(NOW.getTime() - 2 * DAY));
  const lines: string[] = [];
  const report = await reconcileDatabase(
    { ...d, logger: { ...silentLogger, error: (m, f) => void lines.push(`${m} ${String(f?.table)}`) } },
    { clusterUri: 'https://c1.kusto.windows.net', database: 'db' },
  );
  expect(report.tables.map((t) => [t.table, t.exportMissing ?? false, t.swept, t.orphaned, t.error])).toEqual(
    [
      ['Gone', true, 1, 1, undefined],
      ['Broken', false, 0, 0, expect.not.stringContaining('secret')],
      ['Fine', false, 0, 0, undefined],
    ],
  );
  expect(lines).toEqual(['catalog reconcile of a table failed Broken']);
});
