/**
 * `adx-backup monitor --once`: one `runMonitorTick` over the databases, with the same dependencies
 * as the timer. A table the monitor wants set up (a new table, a backup to rebuild) is set up here by
 * the local durable runner, running setup's per-table orchestration to its end before the command
 * exits. Exit code 0 when every database was checked and every action (and table setup) succeeded.
 */
import { registerSetupFunctions } from '../../../functions/setup';
import type { TableStatus } from '../../domain/monitorStatus';
import type { TableSetupStarter } from '../../monitor/tableSetup';
import { runMonitorTick } from '../../monitor/tick';
import type { MonitorReport } from '../../monitor/tick';
import { OrchestratorNames, setupInstanceId, setupTableInstanceId } from '../../names';
import type { SetupTableResult } from '../../orchestrations/setupTable';
import { LocalRunner } from '../../runtime/localRunner';
import type { RunResult } from '../../runtime/localRunner';
import { monitorTickDeps } from '../../wiring/monitorDeps';
import type { CommandContext } from '../context';
import { printResult } from '../context';
import { UsageError } from '../io';
import { clusterOption, databasesOption } from '../options';
import { cliMonitorDeps, stderrLogger } from '../serviceDeps';
import { renderTable } from '../table';

/** Options of `monitor`. */
export interface MonitorOptions {
  readonly once?: boolean;
  readonly cluster?: string;
  readonly database?: readonly string[];
}

/** Starts table setups on a local runner; `finished()` waits for all of them. */
function localTableSetups(runner: LocalRunner): TableSetupStarter & { finished(): Promise<RunResult[]> } {
  const runs = new Map<string, Promise<RunResult>>();
  return {
    start(input) {
      const instanceId = setupTableInstanceId(
        setupInstanceId(input.clusterUri, input.plan.database),
        input.plan.table,
      );
      if (runs.has(instanceId)) return Promise.resolve({ status: 'running' as const, instanceId });
      runs.set(instanceId, runner.run(OrchestratorNames.setupTable, input, { instanceId }));
      return Promise.resolve({ status: 'started' as const, instanceId });
    },
    finished: () => Promise.all(runs.values()),
  };
}

/** The status carries the last action of any tick; this tick's started at `checkedAt` or later. */
function actedThisTick(t: TableStatus, report: MonitorReport): boolean {
  return t.lastAction !== null && t.lastAction.at >= report.checkedAt;
}

function monitorText(report: MonitorReport, setups: readonly SetupTableResult[]): string {
  const rows = report.databases.flatMap((d) =>
    d.status.outcome !== 'checked'
      ? [[d.status.database, '-', d.status.outcome, '-', d.status.message ?? '']]
      : d.tables.map((t) => [
          d.status.database,
          t.table,
          t.state,
          t.latenessMinutes === null ? '-' : `${t.latenessMinutes} min`,
          t.lastAction && actedThisTick(t, report) ? `${t.lastAction.kind}: ${t.lastAction.outcome}` : '',
        ]),
  );
  const setupLines = setups.map(
    (s) => `table setup of ${s.table}: ${s.status}${s.error ? ` (${s.error})` : ''}`,
  );
  return [
    renderTable(['database', 'table', 'state seen', 'lateness', 'action this tick'], rows),
    ...setupLines,
  ].join('\n');
}

/** Runs the subcommand; resolves with the exit code. */
export async function monitorCommand(ctx: CommandContext, opts: MonitorOptions): Promise<number> {
  if (opts.once !== true) {
    throw new UsageError('--once', 'is required (the deployed timer runs the monitor on its schedule)');
  }
  const clusterUri = clusterOption(opts.cluster, ctx.config);
  const databases = databasesOption(opts.database, ctx.config);
  const deps = ctx.deps();
  registerSetupFunctions(() => deps.setupDeps());
  const setups = localTableSetups(new LocalRunner({ clock: 'real' }));
  const logger = stderrLogger(ctx.io);
  const report = await runMonitorTick(monitorTickDeps(cliMonitorDeps(deps), logger, setups), {
    clusterUri,
    databases,
  });
  const runs = await setups.finished();
  const results = runs.map((r) =>
    r.status === 'Completed'
      ? (r.output as SetupTableResult)
      : {
          table: r.instanceId,
          status: 'failed' as const,
          changed: [],
          startCursor: null,
          error: r.error ?? r.status,
        },
  );
  printResult(ctx, { ...report, tableSetups: results }, monitorText(report, results));
  const failedActions = report.databases.some(
    (d) =>
      d.status.outcome !== 'checked' ||
      d.tables.some((t) => actedThisTick(t, report) && t.lastAction?.outcome === 'failed'),
  );
  return failedActions || results.some((r) => r.status === 'failed') ? 1 : 0;
}
