import { ActivityNames, OrchestratorNames } from '../../lib/names';
import type { SetupInput, SetupResult } from '../../lib/orchestrations/setupDatabase';
import { DurableReplayer } from '../helpers/durableReplay';
import { FakeSetup, dayChunks, fakeTable } from '../helpers/fakeSetupActivities';

const request = (parallelism: number): SetupInput => ({
  clusterUri: 'https://c1.kusto.windows.net',
  database: 'db',
  include: [],
  exclude: [],
  partitionColumns: {},
  containers: ['https://acct1.blob.core.windows.net/backup'],
  storageAuth: { kind: 'impersonate' },
  export: { intervalMs: 300_000, managedIdentity: 'system' },
  chunkTargetRows: 100,
  parallelism,
});
const tables = (n: number) => Array.from({ length: n }, (_, i) => fakeTable(`T${i}`));

test('200 tables x 20 chunks: every table ready and no history above 2,000 events', async () => {
  const fake = new FakeSetup({ tables: tables(200), chunksFor: () => dayChunks(20), pollsUntilDone: 3 });
  const kit = new DurableReplayer();
  const r = await kit.run(OrchestratorNames.setupDatabase, request(8), { instanceId: 'setup-big' });
  expect(r.status).toBe('Completed');
  const out = r.output as SetupResult;
  expect(out.tables).toHaveLength(200);
  expect(
    out.tables.every(
      (t) => t.status === 'ready' && t.historical?.chunks === 20 && t.historical.rows === 2000,
    ),
  ).toBe(true);
  expect(kit.stats.largestHistory()).toBeLessThanOrEqual(2000);
  expect(kit.stats.histories.size).toBe(1 + 200 + 200);
  expect(fake.maxActiveTables).toBe(8);
  expect(fake.count(ActivityNames.snapshotSchema)).toBe(1);
  // The policy the monitor follows is recorded once, by the first generation.
  expect(kit.stats.activityCalls.get(ActivityNames.recordBackupPolicy)).toBe(1);
}, 120_000);

test('at most `parallelism` tables at once', async () => {
  const fake = new FakeSetup({ tables: tables(7) });
  const r = await new DurableReplayer().run(OrchestratorNames.setupDatabase, request(3), { instanceId: 's' });
  expect(r.status).toBe('Completed');
  expect(fake.maxActiveTables).toBe(3);
});

test('a failing table does not stop the others; the run fails naming it and every listed problem', async () => {
  const fake = new FakeSetup({
    tables: tables(3),
    problems: [
      { table: 'X', field: 'partitionColumns.X', error: "partitionColumns.X: no table 'X' in the database" },
    ],
    fail: {
      activity: ActivityNames.ensureContinuousExport,
      table: 'T1',
      error: 'external table schema mismatch',
    },
  });
  const r = await new DurableReplayer().run(OrchestratorNames.setupDatabase, request(2), { instanceId: 's' });
  expect(r.status).toBe('Failed');
  expect(r.error).toContain(
    "backup setup of database 'db': 2 of 4 tables failed: X: partitionColumns.X: no table 'X' in the database; T1: external table schema mismatch",
  );
  expect(fake.phases.filter((p) => p.phase === 'ready').map((p) => p.table)).toEqual(['T0', 'T2']);
});

test('a cluster refusing the first command fails the run with its reason before any table is touched', async () => {
  const fake = new FakeSetup({
    tables: tables(2),
    fail: {
      activity: ActivityNames.snapshotSchema,
      error: 'Kusto show-database-schema-script failed with HTTP 401 Unauthorized',
    },
  });
  const r = await new DurableReplayer().run(OrchestratorNames.setupDatabase, request(2), { instanceId: 's' });
  expect(r.status).toBe('Failed');
  expect(r.error).toContain('HTTP 401 Unauthorized');
  expect(fake.count(ActivityNames.listTables)).toBe(0);
  expect(fake.phases).toEqual([]);
});
