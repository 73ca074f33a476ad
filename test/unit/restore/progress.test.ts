import { MAX_REQUEUES, checkProgress } from '../../../lib/restore/progress';
import type { TableProgress } from '../../../lib/restore/state';
import type { TablePlan } from '../../../lib/restore/types';
import { memoryState, recordingSender } from '../../helpers/restoreFakes';
import { table } from '../../helpers/resultTables';
import { scriptedGateway } from '../../helpers/scriptedGateway';
import { CONTAINER, TARGET } from './fixtures';

const plan: TablePlan = {
  source: 'Orders',
  target: 'Orders',
  staging: '__restore_x_Orders',
  columns: [{ name: 'Ts', type: 'datetime' }],
  partitionColumn: 'Ts',
  targetExists: false,
  exportedBy: [],
  folders: [
    { key: '20250101', date: '2025-01-01', blobs: 2, bytes: 0, rows: 5, batches: 1, listed: 0 },
    { key: '20250102', date: '2025-01-02', blobs: 1, bytes: 0, rows: 3, batches: 1, listed: 0 },
  ],
  blobs: 3,
  bytes: 0,
  rows: 8,
  excluded: {},
};
const progress: TableProgress = {
  plan,
  state: 'queueing',
  targetCreated: true,
  rowsIngested: 0,
  foldersDone: 0,
  requeued: 0,
  failures: [],
  handledFailures: [],
  requeues: {},
  result: null,
  error: null,
  updatedAt: '',
};
const target = { clusterUri: TARGET, database: 'SalesRestore' };
const BLOB = `${CONTAINER}/Sales/Orders/20250102/p.parquet`;

const days = (rows: [string, number][]) => table('Ts:datetime, count_:long', rows);
const failure = (op: string, path = BLOB) => [
  op,
  'SalesRestore',
  plan.staging,
  '2026-01-01T00:00:00Z',
  path,
  'Blob is invalid',
  'Permanent',
  'BadRequest_InvalidBlob',
];
const failures = (...rows: unknown[][]) =>
  table(
    'OperationId:guid, Database:string, Table:string, FailedOn:datetime, IngestionSourcePath:string, Details:string, FailureKind:string, ErrorCode:string',
    rows,
  );

async function setup(answers: Parameters<typeof scriptedGateway>[0]) {
  const { state } = memoryState();
  await state.putTable('r1', progress);
  const gateway = scriptedGateway(answers);
  const ingest = recordingSender();
  return {
    state,
    gateway,
    ingest,
    deps: { gatewayFor: () => gateway, state, ingest, storageAuth: { kind: 'impersonate' as const } },
  };
}

describe('checkProgress', () => {
  it('counts rows per day, tells the folders done and records it', async () => {
    const s = await setup({
      'count-by-source-day': days([
        ['2025-01-01T00:00:00Z', 5],
        ['2025-01-02T00:00:00Z', 1],
      ]),
      'show-ingestion-failures': failures(),
    });
    const check = await checkProgress(s.deps, 'r1', progress, target);
    expect(check).toEqual({ rows: 6, foldersDone: 1, requeued: 0, exhausted: [] });
    expect(await s.state.getTable('r1', 'Orders')).toMatchObject({
      state: 'ingesting',
      rowsIngested: 6,
      foldersDone: 1,
    });
    expect(s.gateway.sent.map((c) => c.text)).toEqual([
      "['__restore_x_Orders'] | summarize count() by bin(['Ts'], 1d)",
      ".show ingestion failures | where Table == '__restore_x_Orders'",
    ]);
  });

  it('counts the whole table when the partition column is unknown', async () => {
    const s = await setup({
      'count-source-rows': table('count_:long', [[8]]),
      'show-ingestion-failures': failures(),
    });
    const check = await checkProgress(
      s.deps,
      'r1',
      { ...progress, plan: { ...plan, partitionColumn: null } },
      target,
    );
    expect(check).toMatchObject({ rows: 8, foldersDone: 2 });
  });

  it('queues a failed blob again with its own key and day, once per failure, and gives up after the limit', async () => {
    const s = await setup({
      'count-by-source-day': days([]),
      'show-ingestion-failures': failures(failure('op-1'), failure('op-1')),
    });
    const first = await checkProgress(s.deps, 'r1', progress, target);
    expect(first).toMatchObject({ requeued: 1, exhausted: [] });
    expect(s.ingest.calls).toHaveLength(1);
    const { target: where, blobs } = s.ingest.calls[0]!;
    expect(where).toMatchObject({
      table: plan.staging,
      database: 'SalesRestore',
      tags: ['adxbackup-restore:r1'],
    });
    expect(blobs).toEqual([
      {
        path: BLOB,
        size: null,
        key: expect.stringMatching(/^adxbackup:/),
        creationTime: '2025-01-02T00:00:00.000Z',
      },
    ]);
    // The same failure is not handled twice.
    const stored = (await s.state.getTable('r1', 'Orders'))!;
    expect(await checkProgress(s.deps, 'r1', stored, target)).toMatchObject({ requeued: 0 });
    // New failures of the same blob: queued again up to the limit, then reported as exhausted.
    let current = (await s.state.getTable('r1', 'Orders'))!;
    for (let attempt = 2; attempt <= MAX_REQUEUES + 1; attempt++) {
      const again = await setup({
        'count-by-source-day': days([]),
        'show-ingestion-failures': failures(failure(`op-${attempt}`)),
      });
      await again.state.putTable('r1', current);
      const check = await checkProgress(again.deps, 'r1', current, target);
      current = (await again.state.getTable('r1', 'Orders'))!;
      if (attempt <= MAX_REQUEUES) expect(check).toMatchObject({ requeued: 1, exhausted: [] });
      else
        expect(check.exhausted).toEqual([
          { path: BLOB, error: 'BadRequest_InvalidBlob: Blob is invalid', attempts: MAX_REQUEUES + 1 },
        ]);
    }
    expect(current.requeued).toBe(MAX_REQUEUES);
    expect(current.failures).toHaveLength(MAX_REQUEUES + 1);
  });
});
