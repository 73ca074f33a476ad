/**
 * The hourly reconcile timer: every database of `ADX_BACKUP_DATABASES` on `ADX_BACKUP_CLUSTER_URI`.
 * One database failing is logged and does not stop the others.
 */
import type { InvocationContext } from '@azure/functions';
import type { Config } from '../config';
import type { Logger } from '../kusto/gateway';
import { redactError } from '../kusto/redact';
import type { ReconcileDeps, ReconcileReport } from './reconcile';
import { reconcileDatabase } from './reconcile';

/** The timer's dependencies: the reconcile's, minus the per-invocation logger, plus the configuration. */
export interface ReconcileTimerDeps extends Omit<ReconcileDeps, 'logger'> {
  readonly config: Pick<Config, 'clusterUri' | 'databases'>;
}

/** Builds the timer handler; resolves with the reports of the databases reconciled. */
export function makeReconcileTimerHandler(
  deps: () => ReconcileTimerDeps,
  loggerFor: (context: InvocationContext) => Logger,
): (timer: unknown, context: InvocationContext) => Promise<ReconcileReport[]> {
  return async (_timer, context) => {
    const logger = loggerFor(context);
    const d = deps();
    const { clusterUri, databases } = d.config;
    if (clusterUri === undefined || databases.length === 0) {
      logger.warn(
        'catalog reconcile skipped: ADX_BACKUP_CLUSTER_URI and ADX_BACKUP_DATABASES name nothing to reconcile',
      );
      return [];
    }
    const reports: ReconcileReport[] = [];
    for (const database of databases) {
      try {
        reports.push(await reconcileDatabase({ ...d, logger }, { clusterUri, database }));
      } catch (error) {
        logger.error('catalog reconcile failed', { database, error: redactError(error) });
      }
    }
    return reports;
  };
}
