/**
 * Queues one partition folder of a table's restore: one `queueRestoreBatch` activity per manifest
 * batch, {@link BATCHES_AT_ONCE} at a time. A folder of a million blobs is 2,000 batches, so the
 * orchestration continues as new every {@link BATCHES_PER_GENERATION} batches to keep its history
 * small.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import type { QueueBatchInput, QueueBatchOutput, TargetRef } from '../activities/restoreContracts';
import { ActivityNames } from '../names';
import { idempotentRetry } from './common';

/** Batches queued at once. */
export const BATCHES_AT_ONCE = 4;
/** Batches per generation before `continueAsNew` (about 2 events each). */
export const BATCHES_PER_GENERATION = 400;

/** Input of the orchestrator. */
export interface RestoreFolderInput {
  readonly restoreId: string;
  readonly table: string;
  readonly folder: string;
  readonly batches: number;
  readonly target: TargetRef;
  readonly staging: string;
  /** First batch of this generation (0 on the first). */
  readonly next?: number;
  /** Blobs queued by earlier generations. */
  readonly queued?: number;
}

/** What the folder's activities queued. */
export interface RestoreFolderResult {
  readonly folder: string;
  readonly queued: number;
}

/** The orchestrator (registered as `OrchestratorNames.restoreFolder`). */
export function* restoreFolderOrchestrator(
  ctx: OrchestrationContext,
): Generator<Task, RestoreFolderResult, unknown> {
  const input = ctx.df.getInput<RestoreFolderInput>();
  const retry = idempotentRetry();
  let next = input.next ?? 0;
  let queued = input.queued ?? 0;
  const end = Math.min(input.batches, next + BATCHES_PER_GENERATION);
  while (next < end) {
    const wave = Array.from({ length: Math.min(BATCHES_AT_ONCE, end - next) }, (_, i) => next + i);
    const done = (yield ctx.df.Task.all(
      wave.map((index) =>
        ctx.df.callActivityWithRetry(ActivityNames.queueRestoreBatch, retry, {
          restoreId: input.restoreId,
          table: input.table,
          folder: input.folder,
          index,
          target: input.target,
          staging: input.staging,
        } satisfies QueueBatchInput),
      ),
    )) as QueueBatchOutput[];
    queued += done.reduce((n, d) => n + d.queued, 0);
    next += wave.length;
  }
  if (next < input.batches) {
    ctx.df.continueAsNew({ ...input, next, queued } satisfies RestoreFolderInput);
    return { folder: input.folder, queued };
  }
  return { folder: input.folder, queued };
}
