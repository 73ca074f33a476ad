import { TableClient } from '@azure/data-tables';
import {
  CATALOG_TABLES,
  CatalogStore,
  type ArtifactRecord,
  type TableBackupRecord,
} from '../../../lib/storage/catalog';
import { startAzurite, type AzuriteHandle } from '../../helpers/azurite';

let az: AzuriteHandle;
let store: CatalogStore;
beforeAll(async () => {
  az = await startAzurite();
  store = CatalogStore.fromConnectionString(az.connectionString);
});
afterAll(() => az.stop());

const cluster = 'https://C1.westeurope.kusto.windows.net/';

const record = (table: string, over: Partial<TableBackupRecord> = {}): TableBackupRecord => ({
  cluster,
  database: 'Sales db',
  table,
  state: 'ready',
  exportName: `${table}_backup`,
  externalTableName: `${table}_ext`,
  partitionColumn: 'Timestamp',
  startCursor: '637000000000000123',
  columns: [{ name: 'Timestamp', type: 'datetime' }],
  historicalChunks: 3,
  historicalRows: 300,
  lastError: null,
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

test('table records round-trip, including names with characters keys forbid', async () => {
  const names = ['Events', 'a b.c-d', "O'Brien", 'Ünïcode', 'x/y#z?'];
  for (const n of names) await store.putTable(record(n));
  await store.putTable(record('Events', { state: 'failed', lastError: 'boom', partitionColumn: null }));
  const list = await store.listTables('https://c1.westeurope.kusto.windows.net', 'Sales db');
  expect(list.map((r) => r.table).sort()).toEqual([...names].sort());
  const ev = await store.getTable(cluster, 'Sales db', 'Events');
  expect(ev).toMatchObject({
    state: 'failed',
    lastError: 'boom',
    partitionColumn: null,
    startCursor: '637000000000000123',
  });
  expect(ev?.columns).toEqual([{ name: 'Timestamp', type: 'datetime' }]);
  expect(await store.getTable(cluster, 'Sales db', 'Nope')).toBeUndefined();
  expect(await store.listTables(cluster, 'Other')).toEqual([]);
});

test('chunks are stored per table, more than one batch', async () => {
  const chunks = Array.from({ length: 150 }, (_, i) => ({
    chunkId: `r-${i}`,
    kind: 'range' as const,
    from: `2025-01-01T00:00:00.000Z`,
    to: `2025-01-02T00:00:00.000Z`,
    expectedRows: i,
    state: 'completed' as const,
    operationId: null,
    attempts: 1,
    exportedRows: i,
    artifactCount: 1,
    detail: null,
    updatedAt: '2026-01-01T00:00:00.000Z',
  }));
  await store.putChunks(cluster, 'Sales db', 'Events', chunks);
  const back = await store.listChunks(cluster, 'Sales db', 'Events');
  expect(back).toHaveLength(150);
  expect(back.reduce((n, c) => n + c.exportedRows, 0)).toBe((149 * 150) / 2);
  expect(await store.listChunks(cluster, 'Sales db', 'Other')).toEqual([]);
});

test('artifacts are idempotent by path and a late pending event never demotes a committed artifact', async () => {
  const a = (path: string, state: ArtifactRecord['state']): ArtifactRecord => ({
    database: 'Sales db',
    table: 'Events',
    path,
    partitionDate: '2025-01-01',
    numRecords: state === 'committed' ? 10 : null,
    sizeInBytes: 100,
    source: state === 'committed' ? 'continuous' : 'event',
    state,
    committedAt: state === 'committed' ? '2026-01-01T00:00:00.000Z' : null,
    chunkId: null,
  });
  await store.putArtifacts([
    a('https://x/backup/1.parquet', 'pending'),
    a('https://x/backup/2.parquet', 'pending'),
  ]);
  await store.putArtifacts([a('https://x/backup/1.parquet', 'committed')]);
  await store.putArtifacts([
    a('https://x/backup/1.parquet', 'pending'),
    a('https://x/backup/2.parquet', 'pending'),
  ]);
  const list = await store.listArtifacts('Sales db', 'Events');
  expect(list).toHaveLength(2);
  const one = list.find((x) => x.path.endsWith('1.parquet'));
  expect(one).toMatchObject({ state: 'committed', numRecords: 10 });
  expect(list.find((x) => x.path.endsWith('2.parquet'))).toMatchObject({
    state: 'pending',
    numRecords: null,
  });
});

test('insertArtifactsIfAbsent inserts unknown paths only and never touches a known record', async () => {
  const a = (path: string, state: ArtifactRecord['state']): ArtifactRecord => ({
    database: 'Sales db',
    table: 'Inserts',
    path,
    partitionDate: null,
    numRecords: state === 'committed' ? 7 : null,
    sizeInBytes: 50,
    source: state === 'committed' ? 'continuous' : 'event',
    state,
    committedAt: state === 'committed' ? '2026-01-01T00:00:00.000Z' : null,
    chunkId: null,
  });
  await store.putArtifacts([
    a('https://x/backup/c.parquet', 'committed'),
    a('https://x/backup/o.parquet', 'orphan'),
  ]);
  const inserted = await store.insertArtifactsIfAbsent([
    a('https://x/backup/c.parquet', 'pending'),
    a('https://x/backup/o.parquet', 'pending'),
    a('https://x/backup/new.parquet', 'pending'),
  ]);
  expect(inserted.map((x) => x.path)).toEqual(['https://x/backup/new.parquet']);
  expect(await store.insertArtifactsIfAbsent([a('https://x/backup/new.parquet', 'pending')])).toEqual([]);
  const states = Object.fromEntries(
    (await store.listArtifacts('Sales db', 'Inserts')).map((x) => [
      x.path.slice(17),
      [x.state, x.numRecords],
    ]),
  );
  expect(states).toEqual({
    'c.parquet': ['committed', 7],
    'o.parquet': ['orphan', null],
    'new.parquet': ['pending', null],
  });
});

test('listTableEntries reports an unreadable record instead of failing the list', async () => {
  await store.putTable(record('Fine', { database: 'Entries' }));
  const raw = TableClient.fromConnectionString(az.connectionString, CATALOG_TABLES.tables, {
    allowInsecureConnection: true,
  });
  await raw.upsertEntity({
    partitionKey: 'c1.westeurope.kusto.windows.net|Entries',
    rowKey: 'Bad',
    columns: '[{',
  });
  await expect(store.listTables(cluster, 'Entries')).rejects.toThrow(SyntaxError);
  const entries = await store.listTableEntries(cluster, 'Entries');
  expect(entries.map((e) => [e.table, e.record?.state ?? null, e.error ?? null])).toEqual([
    ['Bad', null, expect.stringMatching(/^unreadable record: /)],
    ['Fine', 'ready', null],
  ]);
});

test('a database policy is stored beside the table records without appearing among them', async () => {
  expect(await store.getDatabasePolicy(cluster, 'Policies')).toBeUndefined();
  await store.putTable(record('T', { database: 'Policies' }));
  await store.putDatabasePolicy(cluster, 'Policies', '{"version":1}');
  await store.putDatabasePolicy('https://c1.westeurope.kusto.windows.net', 'Policies', '{"version":1,"x":2}');
  expect(await store.getDatabasePolicy(cluster, 'Policies')).toEqual({
    policyJson: '{"version":1,"x":2}',
    recordedAt: expect.stringMatching(/^\d{4}-/),
  });
  expect((await store.listTables(cluster, 'Policies')).map((r) => r.table)).toEqual(['T']);
});
