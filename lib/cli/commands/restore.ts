/**
 * `adx-backup restore`: the restore through the function app's own `POST /api/restores` handler
 * (validation, the read-only checks of backup and target, the dry run, the restore record), called
 * in this process with a local durable client, so the restore orchestration runs here with real
 * timers; then `GET /api/restores/{id}` for the final status and report. Exit code 0 only when the
 * restore completed (or the dry run was planned).
 */
import { registerRestoreFunctions } from '../../../functions/restore';
import { parseRestoreRequest } from '../../http/restoreRequest';
import { makeRestoreStartHandler, makeRestoreStatusHandler } from '../../http/restores';
import { RequestValidationError } from '../../http/setupRequest';
import { OrchestratorNames, restoreInstanceId } from '../../names';
import { LocalDurableClient } from '../../runtime/localDurableClient';
import { LocalRunner } from '../../runtime/localRunner';
import type { RunnerEvent } from '../../runtime/localRunner';
import type { RestoreStatusView } from '../../restore/report';
import { newRestoreId } from '../../wiring/restoreDeps';
import type { CommandContext } from '../context';
import { note, printResult } from '../context';
import { callHandler } from '../httpCall';
import { OperationFailed, UsageError } from '../io';
import { clusterOption, nameOption, pairsOption } from '../options';
import { createProgressBar } from '../progress';
import { cliRestoreDeps } from '../serviceDeps';
import { renderTable } from '../table';

/** Options of `restore`. */
export interface RestoreOptions {
  readonly cluster?: string;
  readonly database?: string;
  readonly table?: readonly string[];
  readonly container?: readonly string[];
  readonly targetCluster?: string;
  readonly targetDatabase?: string;
  readonly rename?: readonly string[];
  readonly pointInTime?: string;
  readonly fromDay?: string;
  readonly toDay?: string;
  readonly append?: boolean;
  readonly allowExportedTarget?: boolean;
  readonly restoreId?: string;
  readonly dryRun?: boolean;
}

const FIELD_OPTIONS: readonly (readonly [RegExp, string])[] = [
  [/^source\.clusterUri/, '--cluster'],
  [/^source\.database/, '--database'],
  [/^source\.tables/, '--table'],
  [/^source\.containers/, '--container'],
  [/^target\.clusterUri/, '--target-cluster'],
  [/^target\.database/, '--target-database'],
  [/^renames/, '--rename'],
  [/^asOf/, '--point-in-time'],
  [/^partitions\.to/, '--to-day'],
  [/^partitions/, '--from-day'],
  [/^restoreId/, '--restore-id'],
];
const optionOf = (field: string): string => FIELD_OPTIONS.find(([re]) => re.test(field))?.[1] ?? field;

/** The `POST /api/restores` body the options describe (validated by the handler). */
export function restoreBody(opts: RestoreOptions, clusterUri: string): Record<string, unknown> {
  const tables = opts.table && opts.table.length > 0 ? [...opts.table] : 'all';
  return {
    ...(opts.restoreId !== undefined ? { restoreId: opts.restoreId } : {}),
    source: {
      clusterUri,
      database: nameOption(opts.database, '--database'),
      tables,
      ...(opts.container && opts.container.length > 0 ? { containers: [...opts.container] } : {}),
    },
    target: {
      clusterUri: opts.targetCluster ?? clusterUri,
      database: nameOption(opts.targetDatabase, '--target-database'),
    },
    renames: pairsOption(opts.rename, '--rename'),
    ...(opts.pointInTime !== undefined ? { asOf: opts.pointInTime } : {}),
    ...(opts.fromDay !== undefined || opts.toDay !== undefined
      ? { partitions: { from: opts.fromDay ?? opts.toDay, to: opts.toDay ?? opts.fromDay } }
      : {}),
    mode: opts.append === true ? 'append' : 'new-tables',
    allowExportedTarget: opts.allowExportedTarget === true,
    dryRun: opts.dryRun === true,
  };
}

/** Rows restored of rows expected, summed over the tables' restore orchestrations. */
function restoreProgress(ctx: CommandContext): { onEvent: (e: RunnerEvent) => void; stop: () => void } {
  const bar = createProgressBar(ctx.io, { label: 'restore', unit: 'rows', json: ctx.json });
  const tables = new Map<string, { rows: number; expected: number }>();
  return {
    onEvent(e) {
      if (e.kind !== 'custom-status' || e.name !== OrchestratorNames.restoreTable) return;
      const s = e.customStatus as { rows?: number; expected?: number } | undefined;
      if (typeof s?.expected !== 'number') return;
      tables.set(e.instanceId, { rows: s.rows ?? 0, expected: s.expected });
      const all = [...tables.values()];
      bar.setTotal(all.reduce((n, t) => n + t.expected, 0));
      bar.update(
        all.reduce((n, t) => n + t.rows, 0),
        `| tables ${all.length}`,
      );
    },
    stop: () => bar.stop(),
  };
}

/** The final status as text: one row per table, then the outcome and warnings. */
export function restoreText(view: RestoreStatusView): string {
  const rows = view.tables.map((t) => [
    t.source,
    t.target,
    t.state,
    `${t.rows.ingested}/${t.rows.expected}`,
    `${t.folders.done}/${t.folders.total}`,
    t.error ?? '',
  ]);
  return [
    renderTable(['table', 'restored as', 'state', 'rows', 'folders', 'error'], rows),
    `restore ${view.restoreId}: ${view.status}${view.error ? ` (${view.error})` : ''}`,
    ...view.warnings.map((w) => `warning: ${w}`),
  ].join('\n');
}

/** Runs the subcommand; resolves with the exit code. */
export async function restoreCommand(ctx: CommandContext, opts: RestoreOptions): Promise<number> {
  const clusterUri = clusterOption(opts.cluster, ctx.config);
  if (opts.targetCluster !== undefined) clusterOption(opts.targetCluster, ctx.config, '--target-cluster');
  const body = restoreBody(opts, clusterUri);
  // The handler validates again; checking here first reports a bad option before storage is needed.
  try {
    parseRestoreRequest(body, ctx.config, newRestoreId);
  } catch (error) {
    if (!(error instanceof RequestValidationError)) throw error;
    const [first] = error.problems;
    throw new UsageError(optionOf(first?.field ?? error.field), first?.message ?? error.message);
  }
  const deps = cliRestoreDeps(ctx.deps());
  registerRestoreFunctions(() => deps);
  const progress = restoreProgress(ctx);
  const client = new LocalDurableClient(new LocalRunner({ clock: 'real', onEvent: progress.onEvent }));
  const http = () => ({ ...deps, durableClient: () => client });
  const started = await callHandler(makeRestoreStartHandler(http), {
    method: 'POST',
    path: 'restores',
    body,
  });
  const problem = (started.body.problems as { field: string; message: string }[] | undefined)?.[0];
  if (started.status === 400) {
    progress.stop();
    throw new UsageError(
      optionOf(problem?.field ?? String(started.body.field)),
      problem?.message ?? 'is invalid',
    );
  }
  if (started.status === 200) {
    progress.stop();
    printResult(ctx, started.body, JSON.stringify(started.body.plan, null, 2));
    return 0;
  }
  if (started.status !== 202) {
    progress.stop();
    const text = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v ?? ''));
    const detail = problem ? `${optionOf(problem.field)}: ${problem.message}` : text(started.body.message);
    throw new OperationFailed(`restore refused (${text(started.body.error ?? started.status)}): ${detail}`);
  }
  const restoreId = String(started.body.restoreId);
  for (const w of (started.body.warnings as string[] | undefined) ?? []) note(ctx, `warning: ${w}`);
  const run = await client.wait(restoreInstanceId(restoreId)).finally(progress.stop);
  const status = await callHandler(makeRestoreStatusHandler(http), {
    method: 'GET',
    path: `restores/${restoreId}`,
    params: { id: restoreId },
  });
  const view = status.body as unknown as RestoreStatusView;
  printResult(ctx, view, restoreText(view));
  if (run.status !== 'Completed' || view.status !== 'completed') {
    throw new OperationFailed(
      `restore ${restoreId} ${view.status}: ${view.error ?? run.error ?? run.status}`,
    );
  }
  return 0;
}
