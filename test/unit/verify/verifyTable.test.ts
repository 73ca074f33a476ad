import type { ContinuousExport } from '../../../lib/kusto/results';
import type { TableCheckContext } from '../../../lib/verify/verifyTable';
import { verifyTable } from '../../../lib/verify/verifyTable';
import { writeParquet } from '../../emulator/parquet';
import { FakeBlobs, FakeCatalog, FakeWatermarks, artifact, tableRecord } from '../../helpers/catalogFakes';
import { memoryLedger } from '../../helpers/memoryLedger';
import { table } from '../../helpers/resultTables';
import type { Answer } from '../../helpers/scriptedGateway';
import { notFound, scriptedGateway } from '../../helpers/scriptedGateway';

const A = 'https://acct.blob.core.windows.net/backup/db/T';
const NO_ARTIFACTS = table('Timestamp:datetime, ExternalTableName:string, Path:string, NumRecords:long', []);
const exp = (over: Partial<ContinuousExport> = {}): ContinuousExport => ({
  name: 'adxbackup_T',
  externalTableName: 'adxbackup_T',
  query: 'T',
  cursorScopedTables: [],
  exportProperties: {},
  startCursor: '1',
  isDisabled: false,
  lastRunResult: 'Completed',
  isRunning: false,
  intervalBetweenRunsMs: 300_000,
  lastRunTime: new Date('2026-01-03T00:00:00Z'),
  exportedTo: new Date('2026-01-03T00:00:00Z'),
  ...over,
});
const file = (rows: number) =>
  writeParquet(
    [{ name: 'Id', type: 'long' }],
    Array.from({ length: rows }, (_, i) => [i]),
  );

function context(script: Record<string, Answer>, catalog = new FakeCatalog(), blobs = new FakeBlobs()) {
  const gateway = scriptedGateway({ 'show-exported-artifacts': NO_ARTIFACTS, ...script });
  const ctx: TableCheckContext = {
    clusterUri: 'https://c1.kusto.windows.net',
    database: 'db',
    gateway,
    catalog,
    watermarks: new FakeWatermarks(),
    ledger: memoryLedger(),
    blobs,
    storageAuth: { kind: 'impersonate' },
  };
  return { ctx, gateway };
}

it('compares covered days only, bounds the source by ExportedTo, and counts an aliased file once', async () => {
  const catalog = new FakeCatalog();
  const blobs = new FakeBlobs();
  const put = async (path: string, rows: number, over = {}) => {
    blobs.add(path, file(rows));
    await catalog.putArtifacts([
      artifact(path, { numRecords: rows, sizeInBytes: file(rows).byteLength, ...over }),
    ]);
  };
  await put(`${A}/20260101/a.parquet`, 3);
  await put(`${A}/20260101/alias.parquet`, 3);
  await catalog.putArtifacts([
    artifact(`${A.replace('.blob.', '.dfs.')}/20260101/alias.parquet`, {
      numRecords: 3,
      sizeInBytes: file(3).byteLength,
    }),
  ]);
  // Day 2: a continuous file listed after the run that set ExportedTo; day 3: not over yet.
  await put(`${A}/20260102/b.parquet`, 2, { source: 'continuous', committedAt: '2026-01-02T12:00:00Z' });
  await put(`${A}/20260102/late.parquet`, 4, { source: 'continuous', committedAt: '2026-01-03T00:06:00Z' });
  await put(`${A}/20260103/c.parquet`, 1);
  await put(`${A}/20260101/pending.parquet`, 9, { state: 'pending' });
  const { ctx, gateway } = context(
    {
      'count-by-source-day': table('Timestamp:datetime, count_:long', [
        ['2026-01-01T00:00:00Z', 6],
        ['2026-01-02T00:00:00Z', 2],
        ['2026-01-03T00:00:00Z', 1],
      ]),
    },
    catalog,
    blobs,
  );
  const result = await verifyTable(ctx, tableRecord('T'), exp());
  expect(result).toMatchObject({
    verdict: 'ok',
    daysChecked: 2,
    sourceRows: 8,
    backupRows: 8,
    committedFiles: 3,
    exportedTo: '2026-01-03T00:00:00.000Z',
  });
  expect(gateway.sent.map((c) => c.operation)).toEqual(['show-exported-artifacts', 'count-by-source-day']);
  expect(gateway.sent[1]!.text).toContain('ingestion_time() <= datetime(2026-01-03T00:00:00.0000000Z)');
});

it('counts an unpartitioned table as one whole', async () => {
  const catalog = new FakeCatalog();
  const blobs = new FakeBlobs();
  blobs.add('https://acct.blob.core.windows.net/backup/db/N/x.parquet', file(4));
  await catalog.putArtifacts([
    artifact('https://acct.blob.core.windows.net/backup/db/N/x.parquet', {
      table: 'N',
      numRecords: 4,
      sizeInBytes: null,
    }),
  ]);
  const { ctx, gateway } = context({ 'count-source-rows': table('count_:long', [[5]]) }, catalog, blobs);
  const result = await verifyTable(
    ctx,
    tableRecord('N', { partitionColumn: null }),
    exp({ name: 'adxbackup_N' }),
  );
  expect(result.notOk.map((d) => [d.day, d.verdict, d.sourceRows, d.backupRows, d.fileRows])).toEqual([
    [null, 'missing-data', 5, 4, 4],
  ]);
  expect(gateway.sent[1]!.text).toBe(
    "['N'] | where ingestion_time() <= datetime(2026-01-03T00:00:00.0000000Z) or isnull(ingestion_time()) | summarize count()",
  );
});

it.each<[string, ContinuousExport | undefined, Record<string, Answer>, string]>([
  ['no export', undefined, {}, 'its continuous export does not exist'],
  [
    'nothing exported yet',
    exp({ exportedTo: undefined }),
    {},
    'its continuous export has not exported anything yet',
  ],
  [
    'an export dropped meanwhile',
    exp(),
    { 'show-exported-artifacts': notFound('Continuous export', 'adxbackup_T') },
    'its continuous export does not exist',
  ],
  [
    'a failing count',
    exp(),
    { 'count-by-source-day': new Error('timeout sig=abc123') },
    'timeout sig=[REDACTED]',
  ],
])('reports %s as not verified', async (_label, e, script, message) => {
  const { ctx } = context(script);
  expect(await verifyTable(ctx, tableRecord('T'), e)).toMatchObject({
    verdict: 'not-verified',
    message,
    daysChecked: 0,
  });
});
