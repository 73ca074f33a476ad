/**
 * Registration of the backup setup: the HTTP starter, the three orchestrators and their activities.
 * Wiring only; `deps` is called on each invocation, so production can build it lazily and tests can
 * register the same functions with their own dependencies.
 */
import type { InvocationContext } from '@azure/functions';
import { app } from '@azure/functions';
import * as df from 'durable-functions';
import type { ActivityDeps } from '../lib/activities/contracts';
import { createEnsureContinuousExportActivity } from '../lib/activities/ensureContinuousExport';
import { createEnsureExternalTableActivity } from '../lib/activities/ensureExternalTable';
import { createEnsureIngestionTimePolicyActivity } from '../lib/activities/ensureIngestionTimePolicy';
import { createListTablesActivity } from '../lib/activities/listTables';
import { createPlanHistoricalChunksActivity } from '../lib/activities/planHistoricalChunks';
import { createPollOperationsActivity } from '../lib/activities/pollOperations';
import { createRecordBackupPolicyActivity } from '../lib/activities/recordBackupPolicy';
import { createRecordChunkResultsActivity } from '../lib/activities/recordChunkResults';
import { createRecordTableStateActivity } from '../lib/activities/recordTableState';
import { createSnapshotSchemaActivity } from '../lib/activities/snapshotSchema';
import { createStartExportsActivity } from '../lib/activities/startExports';
import { makeSetupHandler } from '../lib/http/setup';
import { ActivityNames, FunctionNames, OrchestratorNames } from '../lib/names';
import { historicalExportOrchestrator } from '../lib/orchestrations/historicalExport';
import { setupDatabaseOrchestrator } from '../lib/orchestrations/setupDatabase';
import { setupTableOrchestrator } from '../lib/orchestrations/setupTable';
import type { SetupDeps } from '../lib/wiring/setupDeps';
import { contextLogger } from '../lib/wiring/setupDeps';

type Factory = (deps: ActivityDeps) => (input: never) => Promise<unknown>;

const ACTIVITIES: readonly (readonly [string, Factory])[] = [
  [ActivityNames.recordBackupPolicy, createRecordBackupPolicyActivity],
  [ActivityNames.snapshotSchema, createSnapshotSchemaActivity],
  [ActivityNames.listTables, createListTablesActivity],
  [ActivityNames.ensureIngestionTimePolicy, createEnsureIngestionTimePolicyActivity],
  [ActivityNames.ensureExternalTable, createEnsureExternalTableActivity],
  [ActivityNames.ensureContinuousExport, createEnsureContinuousExportActivity],
  [ActivityNames.recordTableState, createRecordTableStateActivity],
  [ActivityNames.planHistoricalChunks, createPlanHistoricalChunksActivity],
  [ActivityNames.startExports, createStartExportsActivity],
  [ActivityNames.pollOperations, createPollOperationsActivity],
  [ActivityNames.recordChunkResults, createRecordChunkResultsActivity],
];

/** Registers every setup function; `deps` supplies the dependencies at invocation time. */
export function registerSetupFunctions(deps: () => SetupDeps): void {
  app.http(FunctionNames.setupStart, {
    methods: ['POST'],
    route: 'backups/{database}/setup',
    authLevel: 'function',
    extraInputs: [df.input.durableClient()],
    handler: makeSetupHandler({
      config: () => deps().config,
      gatewayFor: (clusterUri) => deps().gatewayFor(clusterUri),
      durableClient: (context) => df.getClient(context),
    }),
  });
  df.app.orchestration(OrchestratorNames.setupDatabase, setupDatabaseOrchestrator);
  df.app.orchestration(OrchestratorNames.setupTable, setupTableOrchestrator);
  df.app.orchestration(OrchestratorNames.historicalExport, historicalExportOrchestrator);
  for (const [name, factory] of ACTIVITIES) {
    df.app.activity(name, {
      handler: (input: unknown, context: InvocationContext) =>
        factory({ ...deps(), logger: contextLogger(context) })(input as never),
    });
  }
}
