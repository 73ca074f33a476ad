import { restoreStatusView } from '../../../lib/restore/report';
import type { RestoreRecord, TableProgress } from '../../../lib/restore/state';
import { request } from './fixtures';

const record: RestoreRecord = {
  request: request(),
  settings: { batchSize: 500, stallTimeoutMs: 1 },
  status: 'running',
  createdAt: 'c',
  updatedAt: 'u',
  error: null,
  planned: true,
  warnings: ['w'],
  report: null,
};
const table = (source: string, state: TableProgress['state'], foldersDone: number): TableProgress => ({
  plan: {
    source,
    target: `${source}2`,
    staging: `s_${source}`,
    columns: [],
    partitionColumn: 'Ts',
    targetExists: false,
    exportedBy: [],
    folders: [
      { key: 'a', date: null, blobs: 0, bytes: 0, rows: 0, batches: 0, listed: 0 },
      { key: 'b', date: null, blobs: 0, bytes: 0, rows: 0, batches: 0, listed: 0 },
    ],
    blobs: 700,
    bytes: 0,
    rows: 900,
    excluded: {},
  },
  state,
  targetCreated: false,
  rowsIngested: 450,
  foldersDone,
  requeued: 2,
  failures: [{ path: 'p', error: 'e', attempts: 1 }],
  handledFailures: ['op'],
  requeues: { p: 1 },
  result: null,
  error: null,
  updatedAt: '',
});

test('shows per table folders done, blobs queued, rows ingested and failures, without internal bookkeeping', () => {
  const view = restoreStatusView(
    'r1',
    record,
    [table('Orders', 'ingesting', 1), table('Lines', 'completed', 0)],
    [
      { table: 'Orders', folder: 'a', count: 500, queuedCount: 500 },
      { table: 'Orders', folder: 'b', count: 200, queuedCount: 0 },
      { table: 'Lines', folder: 'a', count: 700, queuedCount: 700 },
    ],
    'Running',
  );
  expect(view).toMatchObject({
    restoreId: 'r1',
    status: 'running',
    runtimeStatus: 'Running',
    warnings: ['w'],
  });
  expect(view.request).not.toHaveProperty('dryRun');
  expect(view.tables).toEqual([
    {
      source: 'Orders',
      target: 'Orders2',
      staging: 's_Orders',
      state: 'ingesting',
      folders: { done: 1, total: 2 },
      blobs: { queued: 500, total: 700 },
      rows: { ingested: 450, expected: 900 },
      requeued: 2,
      failures: [{ path: 'p', error: 'e', attempts: 1 }],
      error: null,
      result: null,
    },
    expect.objectContaining({
      source: 'Lines',
      folders: { done: 2, total: 2 },
      blobs: { queued: 700, total: 700 },
    }),
  ]);
  expect(JSON.stringify(view)).not.toContain('handledFailures');
});
