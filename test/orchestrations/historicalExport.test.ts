import type {
  HistoricalExportInput,
  HistoricalExportResult,
} from '../../lib/orchestrations/historicalExport';
import { TICKS_PER_GENERATION } from '../../lib/orchestrations/historicalExport';
import { ActivityNames, OrchestratorNames } from '../../lib/names';
import type { StartExportsInput } from '../../lib/activities/contracts';
import { DurableReplayer } from '../helpers/durableReplay';
import { FakeSetup, dayChunks, fakeTable } from '../helpers/fakeSetupActivities';

const LOW_MEMORY = 'Partial query failure: Low memory condition (E_LOW_MEMORY_CONDITION).';
const input: HistoricalExportInput = {
  clusterUri: 'https://c1.kusto.windows.net',
  database: 'db',
  table: 'T',
  externalTable: 'adxbackup_T',
  cursor: '42',
  partitioned: true,
  chunkTargetRows: 100,
};
const run = () => {
  const kit = new DurableReplayer();
  return kit.run(OrchestratorNames.historicalExport, input, { instanceId: 'h' }).then((r) => ({ r, kit }));
};

test('20 chunks with long-running exports: continues as new, every history stays small', async () => {
  const fake = new FakeSetup({
    tables: [fakeTable('T')],
    chunksFor: () => dayChunks(20),
    pollsUntilDone: 60,
  });
  const { r, kit } = await run();
  expect(r.status).toBe('Completed');
  expect(r.output).toEqual({
    chunks: 20,
    rows: 2000,
    artifacts: 20,
    plannedRows: 2000,
  } satisfies HistoricalExportResult);
  // More ticks than one generation holds, so the loop went through continueAsNew.
  expect(fake.count(ActivityNames.pollOperations)).toBeGreaterThan(TICKS_PER_GENERATION);
  expect(kit.stats.largestHistory()).toBeLessThan(400);
  // Every tick polls all twenty at once.
  expect(fake.count(ActivityNames.startExports)).toBe(1);
});

test('never more exports in flight than the capacity allows', async () => {
  const fake = new FakeSetup({
    tables: [fakeTable('T')],
    chunksFor: () => dayChunks(10),
    capacity: 3,
    pollsUntilDone: 2,
  });
  const { r } = await run();
  expect(r.status).toBe('Completed');
  expect(fake.maxRunning).toBe(3);
  expect((r.output as HistoricalExportResult).chunks).toBe(10);
});

test('a chunk failing for memory is split and its halves exported', async () => {
  const [big, small] = dayChunks(2);
  const fake = new FakeSetup({
    tables: [fakeTable('T')],
    chunksFor: () => [big!, small!],
    outcome: (_t, chunk) =>
      chunk.id === big!.id
        ? { state: 'Failed', status: LOW_MEMORY, shouldRetry: true }
        : { state: 'Completed', status: '' },
  });
  const { r } = await run();
  expect(r.status).toBe('Completed');
  expect((r.output as HistoricalExportResult).chunks).toBe(3);
  const offered = (fake.calls.get(ActivityNames.startExports) as StartExportsInput[]).flatMap((i) =>
    i.chunks.map((c) => c.id),
  );
  expect(offered).toContain('r-2026-01-01T00:00:00.000Z-2026-01-01T12:00:00.000Z');
  expect(offered).toContain('r-2026-01-01T12:00:00.000Z-2026-01-02T00:00:00.000Z');
});

test('a lost operation is started again; a throttled one later', async () => {
  const fake = new FakeSetup({
    tables: [fakeTable('T')],
    chunksFor: () => dayChunks(2),
    outcome: (_t, chunk, attempt) =>
      attempt > 1
        ? { state: 'Completed', status: '' }
        : chunk.id.includes('01-01T')
          ? 'lost'
          : { state: 'Throttled', status: 'throttled', shouldRetry: true },
  });
  const { r } = await run();
  expect(r.status).toBe('Completed');
  expect([...fake.attempts.values()]).toEqual([2, 2]);
});

test('a chunk that cannot be exported fails the orchestration naming table and range', async () => {
  new FakeSetup({
    tables: [fakeTable('T')],
    chunksFor: () => dayChunks(1),
    outcome: () => ({
      state: 'Failed',
      status: "External table 'adxbackup_T' was not found",
      shouldRetry: false,
    }),
  });
  const { r } = await run();
  expect(r.status).toBe('Failed');
  expect(r.error).toContain(
    "historical export of table 'T' failed: chunk [2026-01-01T00:00:00.000Z, 2026-01-02T00:00:00.000Z) Failed: External table 'adxbackup_T' was not found",
  );
});

test('nothing below the cursor: done without starting anything', async () => {
  const fake = new FakeSetup({ tables: [fakeTable('T')], chunksFor: () => [] });
  const { r } = await run();
  expect(r.output).toEqual({ chunks: 0, rows: 0, artifacts: 0, plannedRows: 0 });
  expect(fake.count(ActivityNames.startExports)).toBe(0);
});
