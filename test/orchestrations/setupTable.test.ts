import { ActivityNames, OrchestratorNames } from '../../lib/names';
import type { SetupTableInput, SetupTableResult } from '../../lib/orchestrations/setupTable';
import { DurableReplayer } from '../helpers/durableReplay';
import { FakeSetup, fakeTable } from '../helpers/fakeSetupActivities';

const input: SetupTableInput = {
  clusterUri: 'https://c1.kusto.windows.net',
  plan: {
    database: 'db',
    table: 'T',
    columns: [{ name: 'Timestamp', type: 'datetime' }],
    partitionColumn: 'Timestamp',
    containers: ['https://acct1.blob.core.windows.net/backup'],
    storageAuth: { kind: 'impersonate' },
    export: { intervalMs: 300_000, managedIdentity: 'system' },
  },
  chunkTargetRows: 100,
};
const run = () =>
  new DurableReplayer().run(OrchestratorNames.setupTable, input, { instanceId: 'setup-x-t-1' });

test('provisions in order, exports history up to the StartCursor, and records the table ready', async () => {
  const fake = new FakeSetup({ tables: [fakeTable('T')] });
  const r = await run();
  expect(r.output).toEqual({
    table: 'T',
    status: 'ready',
    changed: [],
    startCursor: '42',
    historical: { chunks: 3, rows: 300, skipped: false },
  } satisfies SetupTableResult);
  expect(fake.phases.map((p) => p.phase)).toEqual(['begin', 'ready']);
  const order = [...fake.calls.keys()];
  expect(order.slice(0, 5)).toEqual([
    ActivityNames.ensureIngestionTimePolicy,
    ActivityNames.ensureExternalTable,
    ActivityNames.ensureContinuousExport,
    ActivityNames.recordTableState,
    ActivityNames.planHistoricalChunks,
  ]);
});

test('a historical export already complete for this cursor is not run again', async () => {
  const fake = new FakeSetup({ tables: [fakeTable('T')], historicalDone: new Set(['T']) });
  const r = await run();
  expect((r.output as SetupTableResult).historical).toEqual({ chunks: 3, rows: 300, skipped: true });
  expect(fake.count(ActivityNames.planHistoricalChunks)).toBe(0);
});

test('a failure is retried, then recorded and returned as data with its reason', async () => {
  const fake = new FakeSetup({
    tables: [fakeTable('T')],
    fail: {
      activity: ActivityNames.ensureExternalTable,
      error: 'Kusto create-or-alter failed with HTTP 403 Forbidden',
    },
  });
  const r = await run();
  expect(r.status).toBe('Completed');
  expect(r.output).toMatchObject({
    table: 'T',
    status: 'failed',
    error: 'Kusto create-or-alter failed with HTTP 403 Forbidden',
  });
  expect(fake.count(ActivityNames.ensureExternalTable)).toBe(3);
  expect(fake.count(ActivityNames.ensureContinuousExport)).toBe(0);
  expect(fake.phases).toEqual([
    { table: 'T', phase: 'failed', error: 'Kusto create-or-alter failed with HTTP 403 Forbidden' },
  ]);
});

test('a failed historical export fails the table, naming the range', async () => {
  const fake = new FakeSetup({
    tables: [fakeTable('T')],
    outcome: () => ({ state: 'BadInput', status: 'bad query', shouldRetry: false }),
  });
  const r = await run();
  expect((r.output as SetupTableResult).status).toBe('failed');
  expect((r.output as SetupTableResult).error).toContain(
    "historical export of table 'T' failed: chunk [2026-01-01",
  );
  expect(fake.phases.map((p) => p.phase)).toEqual(['begin', 'failed']);
});
