/**
 * Registration of the restore: `POST /api/restores`, `GET /api/restores/{id}`, the three
 * orchestrators and their activities. Wiring only; `deps` is called on each invocation, so production
 * builds it lazily and tests register the same functions with their own dependencies.
 */
import type { InvocationContext } from '@azure/functions';
import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { createCountStagingActivity } from '../lib/activities/countStaging';
import { createQueueRestoreBatchActivity } from '../lib/activities/queueRestoreBatch';
import type { RestoreDeps } from '../lib/activities/restoreContracts';
import { createRestoreFinishTableActivity } from '../lib/activities/restoreFinishTable';
import { createRestorePrepareActivity } from '../lib/activities/restorePrepare';
import { createRestoreRecordActivity } from '../lib/activities/restoreRecord';
import { createRestoreTableStateActivity } from '../lib/activities/restoreTableState';
import { makeRestoreStartHandler, makeRestoreStatusHandler } from '../lib/http/restores';
import type { RestoreHttpDeps } from '../lib/http/restores';
import { ActivityNames, FunctionNames, OrchestratorNames } from '../lib/names';
import { restoreOrchestrator } from '../lib/orchestrations/restore';
import { restoreFolderOrchestrator } from '../lib/orchestrations/restoreFolder';
import { restoreTableOrchestrator } from '../lib/orchestrations/restoreTable';
import type { RestoreFunctionDeps } from '../lib/wiring/restoreDeps';
import { productionRestoreDeps } from '../lib/wiring/restoreDeps';
import { contextLogger } from '../lib/wiring/setupDeps';

type Factory = (deps: RestoreDeps) => (input: never) => Promise<unknown>;

const ACTIVITIES: readonly (readonly [string, Factory])[] = [
  [ActivityNames.restorePrepare, createRestorePrepareActivity],
  [ActivityNames.restoreTableState, createRestoreTableStateActivity],
  [ActivityNames.queueRestoreBatch, createQueueRestoreBatchActivity],
  [ActivityNames.countStaging, createCountStagingActivity],
  [ActivityNames.restoreFinishTable, createRestoreFinishTableActivity],
  [ActivityNames.restoreRecord, createRestoreRecordActivity],
];

/** Registers every restore function; `deps` supplies the dependencies at invocation time. */
export function registerRestoreFunctions(deps: () => RestoreFunctionDeps): void {
  const http = (): RestoreHttpDeps => ({ ...deps(), durableClient: (context) => df.getClient(context) });
  app.http(FunctionNames.restoreStart, {
    methods: ['POST'],
    route: 'restores',
    authLevel: 'function',
    extraInputs: [df.input.durableClient()],
    handler: makeRestoreStartHandler(http),
  });
  app.http(FunctionNames.restoreStatus, {
    methods: ['GET'],
    route: 'restores/{id}',
    authLevel: 'function',
    extraInputs: [df.input.durableClient()],
    handler: makeRestoreStatusHandler(http),
  });
  df.app.orchestration(OrchestratorNames.restore, restoreOrchestrator);
  df.app.orchestration(OrchestratorNames.restoreTable, restoreTableOrchestrator);
  df.app.orchestration(OrchestratorNames.restoreFolder, restoreFolderOrchestrator);
  for (const [name, factory] of ACTIVITIES) {
    df.app.activity(name, {
      handler: (input: unknown, context: InvocationContext) =>
        factory({ ...deps(), logger: contextLogger(context) })(input as never),
    });
  }
}

registerRestoreFunctions(productionRestoreDeps());
