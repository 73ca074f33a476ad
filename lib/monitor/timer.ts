/**
 * The monitor timer (`ADX_BACKUP_MONITOR_SCHEDULE`): one tick over the configured cluster and
 * databases. Without them there is nothing to watch, which is logged rather than failed, so a
 * fresh deployment does not report errors every five minutes.
 */
import type { InvocationContext, Timer } from '@azure/functions';
import type { Config } from '../config';
import type { MonitorDeps, MonitorReport } from './tick';
import { runMonitorTick } from './tick';

/** Dependencies of the handler; `tickDeps` is built per invocation (logger, durable client). */
export interface MonitorTimerDeps {
  readonly config: () => Config;
  readonly tickDeps: (context: InvocationContext) => MonitorDeps;
}

/** Builds the handler; it throws (a failed invocation) only when the settings are invalid. */
export function makeMonitorTimerHandler(
  deps: MonitorTimerDeps,
): (timer: Timer, context: InvocationContext) => Promise<MonitorReport | undefined> {
  return async (_timer, context) => {
    const config = deps.config();
    if (config.clusterUri === undefined || config.databases.length === 0) {
      context.warn(
        'adx-backup monitor: set ADX_BACKUP_CLUSTER_URI and ADX_BACKUP_DATABASES to monitor backups',
      );
      return undefined;
    }
    return runMonitorTick(deps.tickDeps(context), {
      clusterUri: config.clusterUri,
      databases: config.databases,
    });
  };
}
