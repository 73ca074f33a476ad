import { createRecordChunkResultsActivity } from '../../../lib/activities/recordChunkResults';
import type { Chunk } from '../../../lib/domain/chunks';
import { PermanentError } from '../../../lib/errors';
import { table } from '../../helpers/resultTables';
import { scriptedGateway } from '../../helpers/scriptedGateway';
import { MemoryCatalog } from '../../helpers/setupHarness';
import { CLUSTER } from './fixtures';

const ID1 = '11111111-1111-4111-8111-111111111111';
const ID2 = '22222222-2222-4222-8222-222222222222';
const chunk = (d: number): Chunk => {
  const from = new Date(Date.UTC(2026, 0, d)).toISOString();
  const to = new Date(Date.UTC(2026, 0, d + 1)).toISOString();
  return { id: `r-${from}-${to}`, kind: 'range', from, to, expectedRows: 30 };
};
const base = 'https://acct1.blob.core.windows.net/backup/db/Events';
const details = table('ExternalTableName:string, Path:string, NumRecords:long, SizeInBytes:long', [
  ['adxbackup_Events', `${base}/20251201/1_a.parquet?sv=1&sig=SECRET`, 20, 2000],
  ['adxbackup_Events', `${base}/20251202/1_b.parquet`, 10, 1000],
]);
const target = {
  clusterUri: CLUSTER,
  database: 'db',
  table: 'Events',
  externalTable: 'adxbackup_Events',
  cursor: '42',
  partitioned: true,
};

test('records the artifacts of completed chunks as committed historical artifacts, and every chunk state', async () => {
  const catalog = new MemoryCatalog();
  const gateway = scriptedGateway({
    'show-operation-details': [details, new PermanentError('details are gone')],
  });
  const out = await createRecordChunkResultsActivity({ gatewayFor: () => gateway, catalog })({
    ...target,
    completed: [
      { task: { chunk: chunk(1), attempts: 1, operationId: ID1 }, completedAt: '2026-02-01T00:00:00.000Z' },
      { task: { chunk: chunk(2), attempts: 2, operationId: ID2 }, completedAt: null },
    ],
    updates: [
      {
        task: { chunk: chunk(3), attempts: 1, operationId: ID1 },
        state: 'split',
        detail: 'E_LOW_MEMORY_CONDITION',
      },
    ],
  });
  expect(out.chunks).toEqual([
    { chunkId: chunk(1).id, rows: 30, artifacts: 2 },
    { chunkId: chunk(2).id, rows: 0, artifacts: 0, error: 'details are gone' },
  ]);
  expect(gateway.sent.map((c) => c.text)).toEqual([
    `.show operation ${ID1} details`,
    `.show operation ${ID2} details`,
  ]);
  expect([...catalog.artifacts.values()]).toEqual([
    {
      database: 'db',
      table: 'Events',
      path: `${base}/20251201/1_a.parquet`,
      partitionDate: '2025-12-01',
      numRecords: 20,
      sizeInBytes: 2000,
      source: 'historical',
      state: 'committed',
      committedAt: '2026-02-01T00:00:00.000Z',
      chunkId: chunk(1).id,
    },
    {
      database: 'db',
      table: 'Events',
      path: `${base}/20251202/1_b.parquet`,
      partitionDate: '2025-12-02',
      numRecords: 10,
      sizeInBytes: 1000,
      source: 'historical',
      state: 'committed',
      committedAt: '2026-02-01T00:00:00.000Z',
      chunkId: chunk(1).id,
    },
  ]);
  const states = [...catalog.chunks.values()].map((c) => [c.chunkId, c.state, c.exportedRows, c.attempts]);
  expect(states).toEqual([
    [chunk(3).id, 'split', 0, 1],
    [chunk(1).id, 'completed', 30, 1],
    [chunk(2).id, 'failed', 0, 2],
  ]);
  expect(JSON.stringify([...catalog.artifacts.values()])).not.toContain('SECRET');
});
