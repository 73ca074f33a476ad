/**
 * A restore (started by `POST /api/restores`): prepare (resolve, plan, store the manifest, create
 * the target and staging tables; anything that would make the restore fail fails here, before any
 * data moves), then one `restoreTable` sub-orchestration per table, {@link TABLES_AT_ONCE} at a time,
 * then the final report. Waves of `Task.all` rather than a sliding `Task.any` window, as in setup
 * (azure-functions-durable-js#574). Every {@link TABLES_PER_GENERATION} tables the orchestration
 * continues as new.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import type {
  RestorePrepareInput,
  RestorePrepareOutput,
  RestoreRecordInput,
} from '../activities/restoreContracts';
import type { RestoreReport } from '../activities/restoreRecord';
import { ActivityNames, OrchestratorNames, restoreTableInstanceId } from '../names';
import type { TableResult } from '../restore/finish';
import type { RestoreRequest, RestoreSettings } from '../restore/types';
import { failureReason, idempotentRetry } from './common';
import type { RestoreTableInput } from './restoreTable';

/** Tables restored at once. */
export const TABLES_AT_ONCE = 4;
/** Tables per generation before `continueAsNew`. */
export const TABLES_PER_GENERATION = 100;

/** What a finished generation carries into the next. */
interface Carried {
  readonly remaining: readonly string[];
  readonly results: readonly TableResult[];
}

/** Input of the orchestrator. */
export interface RestoreInput {
  readonly request: RestoreRequest;
  readonly settings: RestoreSettings;
  readonly carried?: Carried;
}

function summary(restoreId: string, failedTables: readonly TableResult[], total: number): string {
  const lines = failedTables.map((t) => `${t.source}: ${t.error ?? 'failed'}`);
  return `restore '${restoreId}': ${failedTables.length} of ${total} tables failed: ${lines.join('; ')}`;
}

/** The orchestrator (registered as `OrchestratorNames.restore`). */
export function* restoreOrchestrator(ctx: OrchestrationContext): Generator<Task, RestoreReport, unknown> {
  const { request, settings, carried: previous } = ctx.df.getInput<RestoreInput>();
  const retry = idempotentRetry();
  const record = (status: 'completed' | 'failed', tables: readonly TableResult[], error: string | null) =>
    ctx.df.callActivityWithRetry(ActivityNames.restoreRecord, retry, {
      restoreId: request.restoreId,
      status,
      tables,
      error,
    } satisfies RestoreRecordInput);
  let carried = previous;
  if (!carried) {
    let prepared: RestorePrepareOutput;
    try {
      prepared = (yield ctx.df.callActivityWithRetry(ActivityNames.restorePrepare, retry, {
        request,
        settings,
      } satisfies RestorePrepareInput)) as RestorePrepareOutput;
    } catch (error) {
      const reason = `nothing was restored: ${failureReason(error)}`;
      try {
        yield record('failed', [], reason);
      } catch {
        // The refusal is what the caller must see; a store outage must not replace it.
      }
      throw new Error(`restore '${request.restoreId}': ${reason}`, { cause: error });
    }
    carried = { remaining: prepared.tables.map((t) => t.source), results: [] };
  }
  const total = carried.remaining.length + carried.results.length;
  let { remaining, results } = carried;
  let handled = 0;
  while (remaining.length > 0 && handled < TABLES_PER_GENERATION) {
    const wave = remaining.slice(0, TABLES_AT_ONCE);
    const done = (yield ctx.df.Task.all(
      wave.map((table) =>
        ctx.df.callSubOrchestrator(
          OrchestratorNames.restoreTable,
          {
            restoreId: request.restoreId,
            table,
            sourceDatabase: request.source.database,
            target: request.target,
            settings,
          } satisfies RestoreTableInput,
          restoreTableInstanceId(ctx.df.instanceId, table),
        ),
      ),
    )) as TableResult[];
    results = [...results, ...done];
    remaining = remaining.slice(wave.length);
    handled += wave.length;
    ctx.df.setCustomStatus({
      tables: total,
      done: results.length,
      failed: results.filter((r) => r.status === 'failed').length,
    });
  }
  if (remaining.length > 0) {
    ctx.df.continueAsNew({ request, settings, carried: { remaining, results } } satisfies RestoreInput);
    return undefined as unknown as RestoreReport;
  }
  const failedTables = results.filter((r) => r.status === 'failed');
  const error = failedTables.length > 0 ? summary(request.restoreId, failedTables, total) : null;
  const report = (yield record(error ? 'failed' : 'completed', results, error)) as RestoreReport;
  if (error) throw new Error(error);
  if (!ctx.df.isReplaying) ctx.log(`restore '${request.restoreId}' complete: ${total} tables`);
  return report;
}
