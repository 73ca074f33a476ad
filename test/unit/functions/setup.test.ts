import '../../../functions/index';
import { registry } from '../../helpers/functionsCoreStub';
import { ActivityNames, FunctionNames, OrchestratorNames } from '../../../lib/names';

// The import above ran with whatever settings the test process has (none of the app's): it must not
// throw, since production dependencies are built on first use (see test/unit/wiring/setupDeps.test.ts).
test('importing the function app registers the setup functions', () => {
  const http = registry.get(FunctionNames.setupStart);
  expect(http?.type).toBe('httpTrigger');
  const bindings = Object.values(
    http?.metadata.bindings as Record<string, { type: string; route?: string; methods?: string[] }>,
  );
  expect(bindings).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ type: 'httpTrigger', route: 'backups/{database}/setup', methods: ['POST'] }),
      expect.objectContaining({ type: 'durableClient' }),
    ]),
  );
  for (const name of [
    OrchestratorNames.setupDatabase,
    OrchestratorNames.setupTable,
    OrchestratorNames.historicalExport,
  ]) {
    expect(registry.get(name)?.type).toBe('orchestrationTrigger');
  }
  const setupActivities = [
    ActivityNames.recordBackupPolicy,
    ActivityNames.snapshotSchema,
    ActivityNames.listTables,
    ActivityNames.ensureIngestionTimePolicy,
    ActivityNames.ensureExternalTable,
    ActivityNames.ensureContinuousExport,
    ActivityNames.recordTableState,
    ActivityNames.planHistoricalChunks,
    ActivityNames.startExports,
    ActivityNames.pollOperations,
    ActivityNames.recordChunkResults,
  ];
  for (const name of setupActivities)
    expect([name, registry.get(name)?.type]).toEqual([name, 'activityTrigger']);
});
