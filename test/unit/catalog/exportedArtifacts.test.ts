import { commitExportedArtifacts } from '../../../lib/catalog/exportedArtifacts';
import { indexArtifacts } from '../../../lib/catalog/tableIndex';
import { FakeCatalog, FakeWatermarks, artifact, tableRecord } from '../../helpers/catalogFakes';
import { table } from '../../helpers/resultTables';
import { scriptedGateway } from '../../helpers/scriptedGateway';

const A = 'https://acct.blob.core.windows.net/backup/db/T';
const listing = (rows: [string, string, number][]) =>
  table(
    'Timestamp:datetime, ExternalTableName:string, Path:string, NumRecords:long, SizeInBytes:long',
    rows.map(([ts, path, n]) => [ts, 'adxbackup_T', path, n, 1000 + n]),
  );

it('commits listed files (pending or unknown), leaves committed and orphan ones, and advances the watermark', async () => {
  const catalog = new FakeCatalog();
  const pending = artifact(`${A}/20260101/p.parquet`, {
    state: 'pending',
    source: 'event',
    numRecords: null,
  });
  const orphan = artifact(`${A}/20260101/o.parquet`, { state: 'orphan', source: 'continuous' });
  const committed = artifact(`${A}/20260101/c.parquet`);
  await catalog.putArtifacts([pending, orphan, committed]);
  catalog.writes.length = 0;
  const watermarks = new FakeWatermarks();
  const gateway = scriptedGateway({
    'show-exported-artifacts': listing([
      ['2026-01-02T00:05:00Z', `${A}/20260101/p.parquet`, 5],
      ['2026-01-02T00:06:00Z', `${A}/20260102/new.parquet?sv=2024&sig=secret`, 7],
      ['2026-01-02T00:01:00Z', `${A}/20260101/o.parquet`, 3],
      ['2026-01-02T00:01:00Z', `${A}/20260101/c.parquet`, 10],
    ]),
  });
  const index = indexArtifacts(await catalog.listArtifacts('db', 'T'));
  const ctx = { gateway, catalog, watermarks, clusterUri: 'https://c1.kusto.windows.net', database: 'db' };
  const result = await commitExportedArtifacts(ctx, tableRecord('T'), index);
  expect(result).toEqual({ listed: 4, committed: 2, orphanListed: 1, watermark: '2026-01-02T00:06:00.000Z' });
  expect(gateway.sent[0]!.text).toBe(".show continuous-export ['adxbackup_T'] exported-artifacts");
  expect(catalog.writes).toEqual([
    [
      {
        ...pending,
        numRecords: 5,
        sizeInBytes: 1005,
        source: 'continuous',
        committedAt: '2026-01-02T00:05:00.000Z',
        state: 'committed',
      },
      {
        database: 'db',
        table: 'T',
        path: `${A}/20260102/new.parquet`,
        partitionDate: '2026-01-02',
        numRecords: 7,
        sizeInBytes: 1007,
        source: 'continuous',
        state: 'committed',
        committedAt: '2026-01-02T00:06:00.000Z',
        chunkId: null,
      },
    ],
  ]);
  expect(catalog.artifacts.get(orphan.path)!.state).toBe('orphan');
  expect(index.get(`${A}/20260102/new.parquet`)![0]!.state).toBe('committed');

  // Next run: only newer artifacts (a minute of overlap), nothing to commit, watermark unchanged.
  const again = await commitExportedArtifacts(ctx, tableRecord('T'), index);
  expect(gateway.sent[1]!.text).toContain('| where Timestamp > datetime(2026-01-02T00:05:00.0000000Z)');
  expect(again).toMatchObject({ committed: 0, orphanListed: 1 });
  expect(catalog.writes).toHaveLength(1);
});

it('an export that never listed anything keeps no watermark', async () => {
  const watermarks = new FakeWatermarks();
  const gateway = scriptedGateway({ 'show-exported-artifacts': listing([]) });
  const ctx = {
    gateway,
    catalog: new FakeCatalog(),
    watermarks,
    clusterUri: 'https://c1.kusto.windows.net',
    database: 'db',
  };
  expect(await commitExportedArtifacts(ctx, tableRecord('T'), new Map())).toEqual({
    listed: 0,
    committed: 0,
    orphanListed: 0,
    watermark: null,
  });
  expect(watermarks.marks.size).toBe(0);
});
