/**
 * Historical export of one table: every row at or before the continuous export's StartCursor, in
 * chunks by ingestion time. Each tick starts what the export capacity allows, waits on a durable
 * timer (backing off while nothing changes), polls every running operation with ONE
 * `.show operations (...)`, and records completed chunks. The decisions live in
 * `domain/historicalProgress.ts`; this generator only sequences them, and restarts itself with
 * `continueAsNew` every few ticks so no history grows past a few hundred events.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import type {
  HistoricalTarget,
  PlanChunksOutput,
  PollOperationsOutput,
  RecordChunksOutput,
  StartExportsOutput,
} from '../activities/contracts';
import type { HistoricalProgress } from '../domain/historicalProgress';
import {
  applyPoll,
  applyRecorded,
  applyStarts,
  initialProgress,
  isFinished,
  mayStart,
  nextDelayMs,
} from '../domain/historicalProgress';
import { ActivityNames } from '../names';
import { idempotentRetry } from './common';

/** Ticks per generation: about 10 events each, so a generation stays far below 2,000 events. */
export const TICKS_PER_GENERATION = 30;
/** Most chunks offered to one `startExports` (the capacity decides how many start). */
export const MAX_STARTS_PER_TICK = 100;

/** Input of the orchestrator; `progress` is absent on the first generation. */
export interface HistoricalExportInput extends HistoricalTarget {
  readonly chunkTargetRows: number;
  readonly plannedRows?: number;
  readonly progress?: HistoricalProgress;
}

/** What the export did. `plannedRows` is what the count query found; `rows` what the exports wrote. */
export interface HistoricalExportResult {
  readonly chunks: number;
  readonly rows: number;
  readonly artifacts: number;
  readonly plannedRows: number;
}

/** The orchestrator (registered as `OrchestratorNames.historicalExport`). */
export function* historicalExportOrchestrator(
  ctx: OrchestrationContext,
): Generator<Task, HistoricalExportResult | undefined, unknown> {
  const input = ctx.df.getInput<HistoricalExportInput>();
  const { progress: carried, plannedRows: carriedRows, chunkTargetRows, ...target } = input;
  const retry = idempotentRetry();
  let progress = carried;
  let plannedRows = carriedRows ?? 0;
  if (!progress) {
    const plan = (yield ctx.df.callActivityWithRetry(ActivityNames.planHistoricalChunks, retry, {
      ...target,
      targetRows: chunkTargetRows,
    })) as PlanChunksOutput;
    progress = initialProgress(plan.chunks);
    plannedRows = plan.rows;
    if (!ctx.df.isReplaying) {
      ctx.log(`historical export of '${target.table}': ${plan.rows} rows in ${plan.chunks.length} chunks`);
    }
  }
  for (let tick = 0; tick < TICKS_PER_GENERATION && !isFinished(progress); tick++) {
    let now = ctx.df.currentUtcDateTime;
    if (mayStart(progress, now)) {
      const started = (yield ctx.df.callActivityWithRetry(ActivityNames.startExports, retry, {
        ...target,
        chunks: progress.queue.slice(0, MAX_STARTS_PER_TICK).map((t) => t.chunk),
      })) as StartExportsOutput;
      progress = applyStarts(target.table, progress, started, now);
    }
    yield ctx.df.createTimer(new Date(now.getTime() + nextDelayMs(progress, now)));
    now = ctx.df.currentUtcDateTime;
    if (progress.running.length === 0) continue;
    const polled = (yield ctx.df.callActivityWithRetry(ActivityNames.pollOperations, retry, {
      clusterUri: target.clusterUri,
      database: target.database,
      operationIds: progress.running.map((t) => t.operationId ?? ''),
    })) as PollOperationsOutput;
    const outcome = applyPoll(target.table, progress, polled.operations, now);
    progress = outcome.progress;
    if (outcome.completed.length > 0 || outcome.updates.length > 0) {
      const recorded = (yield ctx.df.callActivityWithRetry(ActivityNames.recordChunkResults, retry, {
        ...target,
        completed: outcome.completed,
        updates: outcome.updates,
      })) as RecordChunksOutput;
      progress = applyRecorded(target.table, progress, outcome.completed, recorded.chunks);
    }
  }
  if (!isFinished(progress)) {
    ctx.df.continueAsNew({ ...input, plannedRows, progress } satisfies HistoricalExportInput);
    return undefined;
  }
  if (!ctx.df.isReplaying && progress.exportedRows !== plannedRows) {
    ctx.warn(
      `historical export of '${target.table}' wrote ${progress.exportedRows} rows; the count query found ${plannedRows}`,
    );
  }
  return {
    chunks: progress.completedChunks,
    rows: progress.exportedRows,
    artifacts: progress.artifacts,
    plannedRows,
  };
}
