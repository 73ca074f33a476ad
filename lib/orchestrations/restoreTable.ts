/**
 * Restores one table: queues every partition folder (one `restoreFolder` sub-orchestration each,
 * {@link FOLDERS_AT_ONCE} at a time), then waits on durable timers until the staging table holds
 * every expected row (each check also queues failed ingestions again), then finishes (deletion
 * ledger, verification, `.move extents`, staging dropped).
 *
 * It fails, clearly, when a blob keeps failing, when staging holds more rows than the backup, or
 * when no row arrives for the configured stall timeout. A failure is recorded and returned as data,
 * so one table does not stop the others. History stays small whatever the number of folders or
 * checks: the orchestration continues as new once a generation's estimated history reaches
 * {@link EVENTS_PER_GENERATION}.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import type {
  CountStagingInput,
  CountStagingOutput,
  FinishTableInput,
  RestoreRecordInput,
  RestoreTableRef,
  RestoreTableStateOutput,
  TargetRef,
} from '../activities/restoreContracts';
import { ActivityNames, OrchestratorNames, restoreFolderInstanceId } from '../names';
import type { TableResult } from '../restore/finish';
import type { RestoreSettings } from '../restore/types';
import { failureReason, idempotentRetry } from './common';
import type { RestoreFolderInput } from './restoreFolder';

/** Folders queued at once. */
export const FOLDERS_AT_ONCE = 8;
/** Estimated history events per generation before `continueAsNew` (well below 2,000). */
export const EVENTS_PER_GENERATION = 1_200;
/** First wait between progress checks, and the longest. */
export const FIRST_CHECK_MS = 5_000;
export const MAX_CHECK_MS = 60_000;

/** Where the table's restore is, carried across generations. */
interface Carried {
  readonly table: RestoreTableStateOutput;
  readonly nextFolder: number;
  readonly rows: number;
  readonly lastProgressAt: string;
  readonly waitMs: number;
}

/** Input of the orchestrator. */
export interface RestoreTableInput {
  readonly restoreId: string;
  readonly table: string;
  readonly sourceDatabase: string;
  readonly target: TargetRef;
  readonly settings: RestoreSettings;
  readonly carried?: Carried;
}

/** A failed table as the restore's report shows it. */
function failed(
  input: RestoreTableInput,
  table: RestoreTableStateOutput | undefined,
  error: string,
): TableResult {
  return {
    source: input.table,
    target: table?.target ?? input.table,
    status: 'failed',
    rowsExpected: table?.rows ?? 0,
    rowsIngested: 0,
    rowsDeleted: 0,
    rowsRestored: 0,
    deletionsApplied: 0,
    deletionsSkipped: 0,
    extentsMoved: 0,
    folders: table?.folders.length ?? 0,
    blobs: table?.blobs ?? 0,
    requeued: 0,
    warnings: [],
    error,
  };
}

/** The orchestrator (registered as `OrchestratorNames.restoreTable`). */
export function* restoreTableOrchestrator(ctx: OrchestrationContext): Generator<Task, TableResult, unknown> {
  const input = ctx.df.getInput<RestoreTableInput>();
  const retry = idempotentRetry();
  const ref: RestoreTableRef = { restoreId: input.restoreId, table: input.table };
  let carried = input.carried;
  try {
    if (!carried) {
      const table = (yield ctx.df.callActivityWithRetry(
        ActivityNames.restoreTableState,
        retry,
        ref,
      )) as RestoreTableStateOutput;
      if (table.result) return table.result;
      carried = {
        table,
        nextFolder: 0,
        rows: -1,
        lastProgressAt: ctx.df.currentUtcDateTime.toISOString(),
        waitMs: FIRST_CHECK_MS,
      };
    }
    const { table } = carried;
    let { nextFolder, rows, waitMs } = carried;
    let lastProgressAt = new Date(carried.lastProgressAt);
    let events = 0;
    const generationFull = (): boolean => events >= EVENTS_PER_GENERATION;
    while (nextFolder < table.folders.length && !generationFull()) {
      const wave = table.folders.slice(nextFolder, nextFolder + FOLDERS_AT_ONCE);
      yield ctx.df.Task.all(
        wave.map(([folder, batches]) =>
          ctx.df.callSubOrchestrator(
            OrchestratorNames.restoreFolder,
            {
              ...ref,
              folder,
              batches,
              target: input.target,
              staging: table.staging,
            } satisfies RestoreFolderInput,
            restoreFolderInstanceId(ctx.df.instanceId, folder),
          ),
        ),
      );
      nextFolder += wave.length;
      events += 2 * wave.length + 2;
      ctx.df.setCustomStatus({ phase: 'queueing', folders: table.folders.length, queued: nextFolder });
    }
    while (nextFolder >= table.folders.length && rows !== table.rows && !generationFull()) {
      yield ctx.df.createTimer(new Date(ctx.df.currentUtcDateTime.getTime() + waitMs));
      const check = (yield ctx.df.callActivityWithRetry(ActivityNames.countStaging, retry, {
        ...ref,
        target: input.target,
      } satisfies CountStagingInput)) as CountStagingOutput;
      events += 6;
      const now = ctx.df.currentUtcDateTime;
      const [gaveUp] = check.exhausted;
      if (gaveUp)
        throw new Error(
          `ingestion of ${gaveUp.path} failed ${gaveUp.attempts} times (latest: ${gaveUp.error})`,
        );
      if (check.rows > table.rows)
        throw new Error(
          `staging table '${table.staging}' holds ${check.rows} rows, more than the ${table.rows} the backup's artifacts hold`,
        );
      if (check.rows !== rows || check.requeued > 0) {
        lastProgressAt = now;
        waitMs = FIRST_CHECK_MS;
      } else {
        waitMs = Math.min(waitMs * 2, MAX_CHECK_MS);
        if (now.getTime() - lastProgressAt.getTime() > input.settings.stallTimeoutMs)
          throw new Error(
            `staging table '${table.staging}' stayed at ${check.rows} of ${table.rows} rows for ${Math.round(input.settings.stallTimeoutMs / 60_000)} minutes: queued ingestion stalled (see .show ingestion failures)`,
          );
      }
      rows = check.rows;
      ctx.df.setCustomStatus({
        phase: 'ingesting',
        rows,
        expected: table.rows,
        foldersDone: check.foldersDone,
      });
    }
    // The loops stop early only when the generation is full: carry on in a fresh history.
    if (nextFolder < table.folders.length || rows !== table.rows) {
      ctx.df.continueAsNew({
        ...input,
        carried: { table, nextFolder, rows, lastProgressAt: lastProgressAt.toISOString(), waitMs },
      } satisfies RestoreTableInput);
      // Ignored: the instance continues as new with the carried state.
      return failed(input, table, 'continued as new');
    }
    return (yield ctx.df.callActivityWithRetry(ActivityNames.restoreFinishTable, retry, {
      ...ref,
      sourceDatabase: input.sourceDatabase,
      target: input.target,
    } satisfies FinishTableInput)) as TableResult;
  } catch (error) {
    const reason = failureReason(error);
    if (!ctx.df.isReplaying) ctx.error(`restore of table '${input.table}' failed: ${reason}`);
    try {
      yield ctx.df.callActivity(ActivityNames.restoreRecord, {
        restoreId: input.restoreId,
        status: 'failed',
        tables: [],
        error: reason,
        table: input.table,
      } satisfies RestoreRecordInput);
    } catch {
      // The failure is returned either way; a store outage must not hide it.
    }
    return failed(input, carried?.table, reason);
  }
}
