/**
 * Registration of the artifact catalog: the Event Grid trigger (Microsoft.Storage.BlobCreated on the
 * backup containers, Event Grid or CloudEvents schema) and the reconcile timer. Wiring only; `deps`
 * is called on each invocation, so production builds it lazily from configuration (importing never
 * throws) and tests register the same functions with their own dependencies.
 */
import { app } from '@azure/functions';
import type { ArtifactIntakeDeps } from '../lib/catalog/intake';
import { makeArtifactEventHandler } from '../lib/catalog/intake';
import type { ReconcileTimerDeps } from '../lib/catalog/timer';
import { makeReconcileTimerHandler } from '../lib/catalog/timer';
import { timerScheduleFor } from '../lib/config';
import { FunctionNames } from '../lib/names';
import { productionCatalogDeps } from '../lib/wiring/catalogDeps';
import { contextLogger } from '../lib/wiring/setupDeps';

/** Registers the Event Grid intake and the reconcile timer. */
export function registerCatalogFunctions(
  deps: () => ArtifactIntakeDeps & ReconcileTimerDeps,
  schedule = timerScheduleFor('ADX_BACKUP_RECONCILE_SCHEDULE'),
): void {
  app.eventGrid(FunctionNames.artifactEvents, {
    handler: makeArtifactEventHandler(deps, contextLogger),
  });
  app.timer(FunctionNames.reconcileTimer, {
    schedule,
    handler: makeReconcileTimerHandler(deps, contextLogger),
  });
}

registerCatalogFunctions(productionCatalogDeps());
