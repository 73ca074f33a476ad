import { ActivityNames, OrchestratorNames } from '../../lib/names';
import type { RestoreRecordInput } from '../../lib/activities/restoreContracts';
import type { RestoreInput } from '../../lib/orchestrations/restore';
import { TABLES_PER_GENERATION } from '../../lib/orchestrations/restore';
import { DurableReplayer } from '../helpers/durableReplay';
import { FakeRestore, completedResult, dayFolders } from '../helpers/fakeRestoreActivities';
import { request } from '../unit/restore/fixtures';

const input: RestoreInput = { request: request(), settings: { batchSize: 500, stallTimeoutMs: 60_000 } };
const run = async () => {
  const kit = new DurableReplayer();
  const r = await kit.run(OrchestratorNames.restore, input, { instanceId: 'restore-r1' });
  return { r, kit };
};
const tables = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ source: `T${i}`, folders: dayFolders(2), rows: 20 }));

test('prepares, restores every table, and records the report', async () => {
  const fake = new FakeRestore({ tables: tables(3) });
  const { r } = await run();
  expect(r.status).toBe('Completed');
  const record = fake.calls.get(ActivityNames.restoreRecord) as RestoreRecordInput[];
  expect(record).toEqual([
    {
      restoreId: 'r1',
      status: 'completed',
      tables: ['T0', 'T1', 'T2'].map((t) => completedResult(t, 20)),
      error: null,
    },
  ]);
  expect(r.output).toEqual({ status: 'completed', tables: record[0]!.tables, error: null });
});

test('a refused restore fails before any table starts, and says nothing was restored', async () => {
  const fake = new FakeRestore({
    tables: tables(2),
    fail: {
      activity: ActivityNames.restorePrepare,
      error: "restore 'r1' refused (target-table-exists): target.tables.T0: exists",
    },
  });
  const { r } = await run();
  expect(r.status).toBe('Failed');
  expect(r.error).toContain('nothing was restored');
  expect(fake.count(ActivityNames.restoreTableState)).toBe(0);
  expect((fake.calls.get(ActivityNames.restoreRecord) as RestoreRecordInput[])[0]).toMatchObject({
    status: 'failed',
    error: expect.stringContaining('target-table-exists'),
  });
});

test('one failing table does not stop the others; the restore then fails listing it', async () => {
  const fake = new FakeRestore({
    tables: tables(3),
    fail: { activity: ActivityNames.restoreFinishTable, table: 'T1', error: 'move refused' },
  });
  const { r } = await run();
  expect(r.status).toBe('Failed');
  expect(r.error).toContain("restore 'r1': 1 of 3 tables failed: T1: move refused");
  const record = (fake.calls.get(ActivityNames.restoreRecord) as RestoreRecordInput[]).find(
    (c) => c.table === undefined,
  )!;
  expect(record.tables.map((t) => [t.source, t.status])).toEqual([
    ['T0', 'completed'],
    ['T1', 'failed'],
    ['T2', 'completed'],
  ]);
});

test(`more than ${TABLES_PER_GENERATION} tables continue as new; histories stay small`, async () => {
  const fake = new FakeRestore({ tables: tables(TABLES_PER_GENERATION + 30) });
  const { r, kit } = await run();
  expect(r.status).toBe('Completed');
  expect(fake.count(ActivityNames.restoreFinishTable)).toBe(TABLES_PER_GENERATION + 30);
  expect(kit.stats.largestHistory()).toBeLessThan(2000);
});
