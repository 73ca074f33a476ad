import { createRecordTableStateActivity } from '../../../lib/activities/recordTableState';
import type { ArtifactRecord } from '../../../lib/storage/catalog';
import { MemoryCatalog, silentLogger } from '../../helpers/setupHarness';
import { CLUSTER, PLAN } from './fixtures';

const artifact = (path: string, source: ArtifactRecord['source']): ArtifactRecord => ({
  database: 'db',
  table: 'Events',
  path,
  partitionDate: '2026-01-01',
  numRecords: 10,
  sizeInBytes: 100,
  source,
  state: 'committed',
  committedAt: null,
  chunkId: null,
});

function setup() {
  const catalog = new MemoryCatalog();
  const run = createRecordTableStateActivity({ catalog, logger: silentLogger });
  return { catalog, run, base: { clusterUri: CLUSTER, plan: PLAN } };
}

test('begin records the table as in historical export; ready records the counts', async () => {
  const { catalog, run, base } = setup();
  expect(await run({ ...base, phase: 'begin', startCursor: '42' })).toEqual({
    historicalDone: false,
    chunks: 0,
    rows: 0,
  });
  expect(catalog.tables.get('db|Events')).toMatchObject({
    state: 'historical',
    startCursor: '42',
    exportName: 'adxbackup_Events',
    partitionColumn: 'Timestamp',
  });
  await run({ ...base, phase: 'ready', startCursor: '42', historical: { chunks: 3, rows: 900 } });
  expect(catalog.tables.get('db|Events')).toMatchObject({
    state: 'ready',
    historicalChunks: 3,
    historicalRows: 900,
  });
});

test('a completed historical export for the same StartCursor is not run again', async () => {
  const { catalog, run, base } = setup();
  await run({ ...base, phase: 'ready', startCursor: '42', historical: { chunks: 3, rows: 900 } });
  const before = catalog.tables.get('db|Events');
  expect(await run({ ...base, phase: 'begin', startCursor: '42' })).toEqual({
    historicalDone: true,
    chunks: 3,
    rows: 900,
  });
  expect(catalog.tables.get('db|Events')).toBe(before);
});

test('an unfinished or superseded run: its historical artifacts become orphans, continuous ones stay', async () => {
  const { catalog, run, base } = setup();
  await run({ ...base, phase: 'ready', startCursor: '41', historical: { chunks: 1, rows: 10 } });
  await catalog.putArtifacts([artifact('h1', 'historical'), artifact('c1', 'continuous')]);
  expect((await run({ ...base, phase: 'begin', startCursor: '42' })).historicalDone).toBe(false);
  expect(catalog.artifacts.get('h1')!.state).toBe('orphan');
  expect(catalog.artifacts.get('c1')!.state).toBe('committed');
});

test('failed keeps the last known StartCursor and the reason', async () => {
  const { catalog, run, base } = setup();
  await run({ ...base, phase: 'begin', startCursor: '42' });
  await run({ ...base, phase: 'failed', startCursor: null, error: 'HTTP 403' });
  expect(catalog.tables.get('db|Events')).toMatchObject({
    state: 'failed',
    startCursor: '42',
    lastError: 'HTTP 403',
  });
});
