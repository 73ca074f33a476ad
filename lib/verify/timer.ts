/**
 * The nightly verification timer (`ADX_BACKUP_VERIFY_SCHEDULE`, 02:00 UTC by default): every
 * database of `ADX_BACKUP_DATABASES` on `ADX_BACKUP_CLUSTER_URI`. A database that cannot be verified
 * is logged as an alert and does not stop the others.
 */
import type { InvocationContext } from '@azure/functions';
import type { Config } from '../config';
import type { Logger } from '../kusto/gateway';
import { redactError } from '../kusto/redact';
import type { VerificationReport, VerifyDeps } from './run';
import { runVerification } from './run';

/** The timer's dependencies. */
export interface VerifyTimerDeps extends Omit<VerifyDeps, 'logger' | 'alerts'> {
  readonly alertsFor: (logger: Logger) => VerifyDeps['alerts'];
  readonly config: Pick<Config, 'clusterUri' | 'databases'>;
}

/** Builds the timer handler; resolves with the reports produced. */
export function makeVerifyTimerHandler(
  deps: () => VerifyTimerDeps,
  loggerFor: (context: InvocationContext) => Logger,
): (timer: unknown, context: InvocationContext) => Promise<VerificationReport[]> {
  return async (_timer, context) => {
    const logger = loggerFor(context);
    const d = deps();
    const { clusterUri, databases } = d.config;
    if (clusterUri === undefined || databases.length === 0) {
      logger.warn(
        'verification skipped: ADX_BACKUP_CLUSTER_URI and ADX_BACKUP_DATABASES name nothing to verify',
      );
      return [];
    }
    const reports: VerificationReport[] = [];
    for (const database of databases) {
      try {
        reports.push(
          await runVerification({ ...d, logger, alerts: d.alertsFor(logger) }, { clusterUri, database }),
        );
      } catch (error) {
        logger.error('backup verification could not run', {
          alert: 'adx-backup-verification',
          database,
          error: redactError(error),
        });
      }
    }
    return reports;
  };
}
