import { dryRunPlan } from '../../../lib/restore/dryRun';
import type { TablePlan } from '../../../lib/restore/types';
import { memoryLedger } from '../../helpers/memoryLedger';
import { request } from './fixtures';

const plan = (over: Partial<TablePlan> = {}): TablePlan => ({
  source: 'Orders',
  target: 'Orders',
  staging: '__restore_abcd1234_Orders',
  columns: [{ name: 'Customer', type: 'string' }],
  partitionColumn: 'Ts',
  targetExists: false,
  exportedBy: [],
  folders: [
    { key: '20250101', date: '2025-01-01', blobs: 2, bytes: 10, rows: 5, batches: 1, listed: 0 },
    { key: '20250105', date: '2025-01-05', blobs: 1, bytes: 5, rows: 2, batches: 1, listed: 1 },
  ],
  blobs: 3,
  bytes: 15,
  rows: 7,
  excluded: { orphan: 2 },
  ...over,
});
const snapshot = { containerUrl: 'c', blobName: 'Sales/_schema/x.kql', takenAt: '2025-01-01T00:00:00.000Z' };

test('lists, per table, what would be read and every command, in order; totals add up', async () => {
  const ledger = memoryLedger();
  const where = { cluster: 'https://c.kusto.windows.net', database: 'Sales', table: 'Orders', time: 't' };
  await ledger.append({
    type: 'deletion',
    id: 'd1',
    ...where,
    kind: 'delete',
    predicate: "Customer == 'a'",
    columns: [{ name: 'Customer', type: 'string' }],
    requestedBy: 'x',
    principal: null,
    execute: true,
  });
  await ledger.append({
    type: 'deletion',
    id: 'd2',
    ...where,
    kind: 'delete',
    predicate: 'Gone == 1',
    columns: [{ name: 'Gone', type: 'long' }],
    requestedBy: 'x',
    principal: null,
    execute: true,
  });
  const answer = await dryRunPlan(ledger, request(), { snapshot, tables: [], warnings: ['w'] }, [
    plan(),
    plan({
      source: 'Lines',
      target: 'L',
      staging: '__restore_abcd1234_L',
      targetExists: true,
      folders: [],
      blobs: 0,
      bytes: 0,
      rows: 0,
    }),
  ]);
  expect(answer.totals).toEqual({ folders: 2, blobs: 3, bytes: 15, expectedRows: 7 });
  expect(answer.warnings).toEqual(['w']);
  const [orders, lines] = answer.tables;
  expect(orders).toMatchObject({
    createsTarget: true,
    firstDay: '2025-01-01',
    lastDay: '2025-01-05',
    deletions: 2,
    excluded: { orphan: 2 },
  });
  expect(orders!.commands).toEqual([
    ".create table ['Orders'] (['Customer']:string)",
    ".create-merge table ['__restore_abcd1234_Orders'] (['Customer']:string)",
    "(queued ingestion of 3 parquet blobs into '__restore_abcd1234_Orders', spread over every ingestion queue)",
    ".delete table ['__restore_abcd1234_Orders'] records <| ['__restore_abcd1234_Orders'] | where Customer == 'a'",
    ".move extents all from table ['__restore_abcd1234_Orders'] to table ['Orders']",
    ".drop table ['__restore_abcd1234_Orders'] ifexists",
  ]);
  expect(orders!.problems).toEqual([expect.stringContaining('deletion d2 cannot be applied')]);
  expect(lines).toMatchObject({ createsTarget: false, firstDay: null, deletions: 0 });
  expect(lines!.commands[0]).toMatch(/^\.create-merge table/);
});
