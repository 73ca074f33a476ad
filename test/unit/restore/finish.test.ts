import { PermanentError } from '../../../lib/errors';
import { finishTable } from '../../../lib/restore/finish';
import type { TableProgress } from '../../../lib/restore/state';
import type { TablePlan } from '../../../lib/restore/types';
import { memoryLedger } from '../../helpers/memoryLedger';
import { memoryState } from '../../helpers/restoreFakes';
import { table } from '../../helpers/resultTables';
import { scriptedGateway } from '../../helpers/scriptedGateway';
import { schemaAnswer } from '../../helpers/schemaAnswers';
import { TARGET } from './fixtures';

const plan: TablePlan = {
  source: 'Orders',
  target: 'OrdersCopy',
  staging: '__restore_x_OrdersCopy',
  columns: [{ name: 'Customer', type: 'string' }],
  partitionColumn: null,
  targetExists: false,
  exportedBy: ['Out'],
  folders: [{ key: 'none', date: null, blobs: 2, bytes: 0, rows: 10, batches: 1, listed: 0 }],
  blobs: 2,
  bytes: 0,
  rows: 10,
  excluded: {},
};
const progress: TableProgress = {
  plan,
  state: 'ingesting',
  targetCreated: true,
  rowsIngested: 10,
  foldersDone: 1,
  requeued: 1,
  failures: [],
  handledFailures: [],
  requeues: {},
  result: null,
  error: null,
  updatedAt: '',
};
const target = { clusterUri: TARGET, database: 'SalesRestore' };
const tagged = (extents: number, rows: number, deleted = 0) =>
  table('Extents:long, RowCount:long, DeletedRowCount:long', [[extents, rows, deleted]]);
const count = (n: number) => table('count_:long', [[n]]);

async function withDeletion() {
  const ledger = memoryLedger();
  const where = {
    cluster: 'https://src.kusto.windows.net',
    database: 'Sales',
    table: 'Orders',
    time: '2026-01-01T00:00:00Z',
  };
  await ledger.append({
    type: 'deletion',
    id: 'd1',
    ...where,
    kind: 'purge',
    predicate: "Customer == 'alice'",
    columns: [{ name: 'Customer', type: 'string' }],
    requestedBy: 'x',
    principal: null,
    execute: true,
  });
  await ledger.append({
    type: 'execution',
    id: 'x1',
    ...where,
    deletionId: 'd1',
    outcome: 'succeeded',
    message: '',
    details: {},
  });
  return ledger;
}

describe('finishTable', () => {
  it('applies the ledger to staging, verifies, moves into the target, verifies, drops staging', async () => {
    const { state } = memoryState();
    await state.putTable('r1', progress);
    const gateway = scriptedGateway({
      'summarize-tagged-extents': [tagged(0, 0), tagged(2, 10, 3)],
      'count-source-rows': [count(10), count(7)],
      'show-table-schema': schemaAnswer(plan.staging, { Customer: 'string' }),
      'delete-records': table('RecordsMatchPredicate:long', [[2], [1]]),
      'move-extents': table('OriginalExtentId:string, ResultExtentId:string, Details:string', []),
      'drop-table': table('TableName:string', []),
    });
    const result = await finishTable(
      { gatewayFor: () => gateway, ledger: await withDeletion(), state },
      'r1',
      progress,
      { database: 'Sales' },
      target,
    );
    expect(gateway.mutating()).toEqual([
      ".delete table ['__restore_x_OrdersCopy'] records <| ['__restore_x_OrdersCopy'] | where Customer == 'alice'",
      ".move extents all from table ['__restore_x_OrdersCopy'] to table ['OrdersCopy']",
      ".drop table ['__restore_x_OrdersCopy'] ifexists",
    ]);
    expect(result).toEqual({
      source: 'Orders',
      target: 'OrdersCopy',
      status: 'completed',
      rowsExpected: 10,
      rowsIngested: 10,
      rowsDeleted: 3,
      rowsRestored: 7,
      deletionsApplied: 1,
      deletionsSkipped: 0,
      extentsMoved: 2,
      folders: 1,
      blobs: 2,
      requeued: 1,
      warnings: ["rows restored into 'OrdersCopy' may be exported again by continuous export Out"],
    });
    expect(await state.getTable('r1', 'Orders')).toMatchObject({ state: 'completed', result });
  });

  it('after a crash past the move, only drops staging', async () => {
    const { state } = memoryState();
    const earlier = {
      ...progress,
      state: 'finishing' as const,
      result: { rowsDeleted: 3, deletionsApplied: 1, deletionsSkipped: 0 },
    };
    await state.putTable('r1', earlier);
    const gateway = scriptedGateway({
      'summarize-tagged-extents': tagged(2, 10, 3),
      'drop-table': table('TableName:string', []),
    });
    const result = await finishTable(
      { gatewayFor: () => gateway, ledger: memoryLedger(), state },
      'r1',
      earlier,
      { database: 'Sales' },
      target,
    );
    expect(gateway.mutating()).toEqual([".drop table ['__restore_x_OrdersCopy'] ifexists"]);
    expect(result).toMatchObject({
      status: 'completed',
      rowsRestored: 7,
      rowsDeleted: 3,
      deletionsApplied: 1,
      extentsMoved: 2,
    });
  });

  it('refuses to move when staging does not hold the expected rows, or lost more than the ledger deleted', async () => {
    const { state } = memoryState();
    await state.putTable('r1', progress);
    const short = scriptedGateway({
      'summarize-tagged-extents': tagged(0, 0),
      'count-source-rows': count(9),
    });
    await expect(
      finishTable(
        { gatewayFor: () => short, ledger: memoryLedger(), state },
        'r1',
        progress,
        { database: 'Sales' },
        target,
      ),
    ).rejects.toThrow(
      new PermanentError(
        "staging table '__restore_x_OrdersCopy' holds 9 rows, the backup's artifacts hold 10",
      ),
    );
    expect(short.mutating()).toEqual([]);
    const lossy = scriptedGateway({
      'summarize-tagged-extents': tagged(0, 0),
      'count-source-rows': [count(10), count(5)],
      'show-table-schema': schemaAnswer(plan.staging, { Customer: 'string' }),
      'delete-records': table('RecordsMatchPredicate:long', [[3]]),
    });
    await expect(
      finishTable(
        { gatewayFor: () => lossy, ledger: await withDeletion(), state },
        'r1',
        progress,
        { database: 'Sales' },
        target,
      ),
    ).rejects.toThrow(/removed 3 rows .* went from 10 to 5 rows/);
    expect(lossy.mutating().some((t) => t.startsWith('.move'))).toBe(false);
  });
});
