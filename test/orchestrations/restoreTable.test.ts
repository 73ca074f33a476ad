import { ActivityNames, OrchestratorNames } from '../../lib/names';
import type { RestoreRecordInput } from '../../lib/activities/restoreContracts';
import type { TableResult } from '../../lib/restore/finish';
import type { RestoreTableInput } from '../../lib/orchestrations/restoreTable';
import { DurableReplayer } from '../helpers/durableReplay';
import { FakeRestore, completedResult, dayFolders } from '../helpers/fakeRestoreActivities';

const input: RestoreTableInput = {
  restoreId: 'r1',
  table: 'Orders',
  sourceDatabase: 'Sales',
  target: { clusterUri: 'https://dst.kusto.windows.net', database: 'T' },
  settings: { batchSize: 500, stallTimeoutMs: 30 * 60_000 },
};
const run = async () => {
  const kit = new DurableReplayer();
  const r = await kit.run(OrchestratorNames.restoreTable, input, { instanceId: 't' });
  return { r, kit, result: r.output as TableResult };
};

test('3,000 folders: every folder queued, then finished once; every history stays under 2,000 events', async () => {
  const fake = new FakeRestore({ tables: [{ source: 'Orders', folders: dayFolders(3000), rows: 300 }] });
  const { r, kit, result } = await run();
  expect(r.status).toBe('Completed');
  expect(result).toEqual(completedResult('Orders', 300));
  expect(fake.count(ActivityNames.queueRestoreBatch)).toBe(3000);
  expect(fake.count(ActivityNames.restoreFinishTable)).toBe(1);
  expect(kit.stats.largestHistory()).toBeLessThan(2000);
});

test('waits on timers while rows arrive slowly, however many checks it takes', async () => {
  const fake = new FakeRestore({
    tables: [{ source: 'Orders', folders: dayFolders(2), rows: 500 }],
    rowsAt: (_t, n) => Math.min(500, n),
  });
  const { r, kit } = await run();
  expect(r.status).toBe('Completed');
  expect(fake.count(ActivityNames.countStaging)).toBe(500);
  expect(kit.stats.largestHistory()).toBeLessThan(2000);
});

test('fails clearly when no row arrives for the stall timeout, and records the failure', async () => {
  const fake = new FakeRestore({
    tables: [{ source: 'Orders', folders: dayFolders(1), rows: 10 }],
    rowsAt: () => 4,
  });
  const { r, result } = await run();
  expect(r.status).toBe('Completed');
  expect(result).toMatchObject({
    status: 'failed',
    error:
      "staging table 's_Orders' stayed at 4 of 10 rows for 30 minutes: queued ingestion stalled (see .show ingestion failures)",
  });
  expect(fake.count(ActivityNames.restoreFinishTable)).toBe(0);
  expect(fake.calls.get(ActivityNames.restoreRecord)).toEqual([
    {
      restoreId: 'r1',
      status: 'failed',
      tables: [],
      error: result.error ?? null,
      table: 'Orders',
    } satisfies RestoreRecordInput,
  ]);
  // Checks back off to a minute: about 30 of them in 30 minutes, not 360 at 5 s.
  expect(fake.count(ActivityNames.countStaging)).toBeLessThan(40);
});

test('fails naming the blob that kept failing, or when staging holds more rows than the backup', async () => {
  new FakeRestore({
    tables: [{ source: 'Orders', folders: dayFolders(1), rows: 10 }],
    rowsAt: () => 0,
    exhaust: { table: 'Orders', check: 2 },
  });
  expect((await run()).result.error).toBe(
    'ingestion of https://a.blob.core.windows.net/b/p.parquet failed 4 times (latest: BadRequest_InvalidBlob: bad)',
  );
  new FakeRestore({ tables: [{ source: 'Orders', folders: dayFolders(1), rows: 10 }], rowsAt: () => 11 });
  expect((await run()).result.error).toBe(
    "staging table 's_Orders' holds 11 rows, more than the 10 the backup's artifacts hold",
  );
});

test('a table a re-run finds completed is not restored again', async () => {
  const fake = new FakeRestore({
    tables: [{ source: 'Orders', folders: dayFolders(3), rows: 30, completed: true }],
  });
  const { result } = await run();
  expect(result).toEqual(completedResult('Orders', 30));
  expect(fake.count(ActivityNames.queueRestoreBatch)).toBe(0);
  expect(fake.count(ActivityNames.restoreFinishTable)).toBe(0);
});

test('a failing folder fails the table, as data', async () => {
  new FakeRestore({
    tables: [{ source: 'Orders', folders: dayFolders(3), rows: 30 }],
    fail: { activity: ActivityNames.queueRestoreBatch, error: 'queue down' },
  });
  const { r, result } = await run();
  expect(r.status).toBe('Completed');
  expect(result).toMatchObject({ status: 'failed', source: 'Orders', rowsExpected: 30 });
  expect(result.error).toContain('queue down');
});
