/**
 * Registration of the monitor: the timer, `POST /api/monitor/run` and `GET /api/status`. Wiring
 * only; `deps` is called on each invocation, so production builds it lazily from configuration
 * (importing never throws) and tests register the same functions with their own dependencies.
 */
import type { InvocationContext } from '@azure/functions';
import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { timerScheduleFor } from '../lib/config';
import { makeMonitorRunHandler } from '../lib/http/monitorRun';
import { makeStatusHandler } from '../lib/http/status';
import { durableTableSetupStarter } from '../lib/monitor/tableSetup';
import type { MonitorDeps } from '../lib/monitor/tick';
import { makeMonitorTimerHandler } from '../lib/monitor/timer';
import { FunctionNames } from '../lib/names';
import type { MonitorAppDeps } from '../lib/wiring/monitorDeps';
import { monitorTickDeps, productionMonitorDeps } from '../lib/wiring/monitorDeps';
import { contextLogger } from '../lib/wiring/setupDeps';

/** Registers the monitor functions; `deps` supplies the dependencies at invocation time. */
export function registerMonitorFunctions(deps: () => MonitorAppDeps): void {
  const tickDeps = (context: InvocationContext): MonitorDeps =>
    monitorTickDeps(deps(), contextLogger(context), durableTableSetupStarter(df.getClient(context)));
  const config = () => deps().config;
  app.timer(FunctionNames.monitorTimer, {
    schedule: timerScheduleFor('ADX_BACKUP_MONITOR_SCHEDULE'),
    extraInputs: [df.input.durableClient()],
    handler: makeMonitorTimerHandler({ config, tickDeps }),
  });
  app.http(FunctionNames.monitorRun, {
    methods: ['POST'],
    route: 'monitor/run',
    authLevel: 'function',
    extraInputs: [df.input.durableClient()],
    handler: makeMonitorRunHandler({ config, tickDeps }),
  });
  app.http(FunctionNames.status, {
    methods: ['GET'],
    route: 'status',
    authLevel: 'function',
    handler: makeStatusHandler({ config, status: () => deps().status }),
  });
}

registerMonitorFunctions(productionMonitorDeps());
