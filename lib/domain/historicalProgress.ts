/**
 * The state machine of one table's historical export, kept pure so the orchestrator only sequences
 * activities and timers. Chunks wait in `queue`, run as async export operations, and leave as
 * completed (artifacts recorded), or come back: split in two after a memory/time failure, re-planned
 * when the operation is lost or fails transiently, delayed when throttled. A chunk that cannot be
 * exported ends the export with a message naming the table and the range.
 */
import type { Chunk } from './chunks';
import { splitChunk } from './chunks';
import type { PolledOperation } from './operationVerdict';
import { classifyOperation } from './operationVerdict';

export type { PolledOperation } from './operationVerdict';

/** Attempts per chunk (lost, transient failure, unreadable result) before the export gives up. */
export const MAX_CHUNK_ATTEMPTS = 5;
/** First poll delay; doubles while nothing changes, up to {@link MAX_POLL_MS}. */
export const BASE_POLL_MS = 10_000;
export const MAX_POLL_MS = 300_000;
/** First wait after throttling; doubles per consecutive throttle, up to {@link MAX_THROTTLE_MS}. */
export const BASE_THROTTLE_MS = 30_000;
export const MAX_THROTTLE_MS = 600_000;

/** A chunk with its attempts so far and, while it runs, its operation id. */
export interface ChunkTask {
  readonly chunk: Chunk;
  readonly attempts: number;
  readonly operationId?: string;
}

/** Progress of a historical export; carried across `continueAsNew`. */
export interface HistoricalProgress {
  readonly queue: readonly ChunkTask[];
  readonly running: readonly ChunkTask[];
  readonly completedChunks: number;
  readonly exportedRows: number;
  readonly artifacts: number;
  /** Consecutive ticks in which nothing changed (poll back-off). */
  readonly quietTicks: number;
  /** Consecutive throttles, and the time (ISO) before which no export is started. */
  readonly throttles: number;
  readonly notBefore: string | null;
}

/** What `startExports` reports. Per-chunk failures are data, never exceptions. */
export interface StartResult {
  readonly started: readonly { readonly chunkId: string; readonly operationId: string }[];
  readonly throttled: readonly string[];
  readonly failed: readonly {
    readonly chunkId: string;
    readonly error: string;
    readonly permanent: boolean;
  }[];
}

/** A chunk state change the catalog should know about (besides completions). */
export interface ChunkUpdate {
  readonly task: ChunkTask;
  readonly state: 'split' | 'lost' | 'failed';
  readonly detail: string;
}

/** A chunk whose operation completed: its artifacts must be read and recorded. */
export interface CompletedChunk {
  readonly task: ChunkTask;
  readonly completedAt: string | null;
}

/** Human description of a chunk's range, for messages. */
export function describeChunk(chunk: Chunk): string {
  return chunk.kind === 'range' ? `[${chunk.from}, ${chunk.to})` : 'of rows without ingestion time';
}

/** The progress of a freshly planned export. */
export function initialProgress(chunks: readonly Chunk[]): HistoricalProgress {
  return {
    queue: chunks.map((chunk) => ({ chunk, attempts: 0 })),
    running: [],
    completedChunks: 0,
    exportedRows: 0,
    artifacts: 0,
    quietTicks: 0,
    throttles: 0,
    notBefore: null,
  };
}

/** True when nothing waits or runs. */
export function isFinished(p: HistoricalProgress): boolean {
  return p.queue.length === 0 && p.running.length === 0;
}

/** Whether exports may be started at `now` (not inside a throttling back-off). */
export function mayStart(p: HistoricalProgress, now: Date): boolean {
  return p.queue.length > 0 && (p.notBefore === null || now.getTime() >= Date.parse(p.notBefore));
}

function throttled(p: HistoricalProgress, now: Date): Pick<HistoricalProgress, 'throttles' | 'notBefore'> {
  const delay = Math.min(BASE_THROTTLE_MS * 2 ** p.throttles, MAX_THROTTLE_MS);
  return { throttles: p.throttles + 1, notBefore: new Date(now.getTime() + delay).toISOString() };
}

/** Thrown when the export cannot complete; the message names the table and the chunk. */
export class HistoricalExportFailure extends Error {
  override readonly name = 'HistoricalExportFailure';
}

/** Re-queues a task for another attempt, or fails the export when it has had enough. */
function retryOrFail(table: string, task: ChunkTask, why: string): ChunkTask {
  if (task.attempts >= MAX_CHUNK_ATTEMPTS) {
    throw new HistoricalExportFailure(
      `historical export of table '${table}' failed: chunk ${describeChunk(task.chunk)} failed ${task.attempts} times; last: ${why}`,
    );
  }
  return { chunk: task.chunk, attempts: task.attempts };
}

/** Applies what `startExports` did to the first queued chunks. */
export function applyStarts(
  table: string,
  p: HistoricalProgress,
  result: StartResult,
  now: Date,
): HistoricalProgress {
  const byId = new Map(p.queue.map((t) => [t.chunk.id, t] as const));
  const running: ChunkTask[] = [];
  const retry: ChunkTask[] = [];
  for (const s of result.started) {
    const task = byId.get(s.chunkId);
    if (!task) continue;
    byId.delete(s.chunkId);
    running.push({ chunk: task.chunk, attempts: task.attempts + 1, operationId: s.operationId });
  }
  for (const f of result.failed) {
    const task = byId.get(f.chunkId);
    if (!task) continue;
    byId.delete(f.chunkId);
    if (f.permanent) {
      throw new HistoricalExportFailure(
        `historical export of table '${table}' failed: chunk ${describeChunk(task.chunk)} could not be started: ${f.error}`,
      );
    }
    retry.push(retryOrFail(table, { ...task, attempts: task.attempts + 1 }, f.error));
  }
  const rest = p.queue.filter((t) => byId.has(t.chunk.id));
  const wasThrottled = result.throttled.length > 0;
  return {
    ...p,
    queue: [...retry, ...rest],
    running: [...p.running, ...running],
    // With nothing running there is no poll to back off on, so an idle start attempt counts instead.
    quietTicks: running.length > 0 ? 0 : p.quietTicks + (p.running.length === 0 ? 1 : 0),
    ...(wasThrottled ? throttled(p, now) : running.length > 0 ? { throttles: 0, notBefore: null } : {}),
  };
}

/** Result of applying one `.show operations` answer. */
export interface PollOutcome {
  readonly progress: HistoricalProgress;
  readonly completed: readonly CompletedChunk[];
  readonly updates: readonly ChunkUpdate[];
}

/**
 * Applies one poll. Ids missing from the answer are lost operations (forgotten after ~6 h): their
 * chunks are planned again, and whatever they wrote stays uncommitted (an orphan).
 * @throws HistoricalExportFailure when a chunk cannot be exported.
 */
export function applyPoll(
  table: string,
  p: HistoricalProgress,
  polled: readonly PolledOperation[],
  now: Date,
): PollOutcome {
  const byId = new Map(polled.map((o) => [o.operationId.toLowerCase(), o] as const));
  const running: ChunkTask[] = [];
  const front: ChunkTask[] = [];
  const completed: CompletedChunk[] = [];
  const updates: ChunkUpdate[] = [];
  let wasThrottled = false;
  for (const task of p.running) {
    const op = byId.get((task.operationId ?? '').toLowerCase());
    if (!op) {
      updates.push({
        task,
        state: 'lost',
        detail: `operation ${task.operationId ?? '?'} is no longer listed`,
      });
      front.push(retryOrFail(table, task, 'operation lost'));
      continue;
    }
    const verdict = classifyOperation(op);
    if (verdict === 'running') running.push(task);
    else if (verdict === 'completed') completed.push({ task, completedAt: op.lastUpdatedOn ?? null });
    else if (verdict === 'throttled') {
      wasThrottled = true;
      front.push({ chunk: task.chunk, attempts: task.attempts - 1 });
    } else if (verdict === 'retry') {
      updates.push({ task, state: 'failed', detail: `${op.state}: ${op.status}` });
      front.push(retryOrFail(table, task, `${op.state}: ${op.status}`));
    } else {
      const halves = verdict === 'split' ? splitChunk(task.chunk) : null;
      if (!halves) {
        const why =
          verdict === 'split'
            ? `still fails for memory or time at the smallest chunk size: ${op.status}`
            : `${op.state}: ${op.status}`;
        throw new HistoricalExportFailure(
          `historical export of table '${table}' failed: chunk ${describeChunk(task.chunk)} ${why}`,
        );
      }
      updates.push({ task, state: 'split', detail: op.status });
      front.push(...halves.map((chunk) => ({ chunk, attempts: 0 })));
    }
  }
  const changed = running.length !== p.running.length;
  return {
    progress: {
      ...p,
      queue: [...front, ...p.queue],
      running,
      quietTicks: changed ? 0 : p.quietTicks + 1,
      ...(wasThrottled ? throttled(p, now) : {}),
    },
    completed,
    updates,
  };
}

/** What `recordChunkResults` reports per completed chunk; `error` when its result was unreadable. */
export interface RecordedChunk {
  readonly chunkId: string;
  readonly rows: number;
  readonly artifacts: number;
  readonly error?: string;
}

/** Counts recorded chunks; a chunk whose result could not be read is exported again. */
export function applyRecorded(
  table: string,
  p: HistoricalProgress,
  completed: readonly CompletedChunk[],
  recorded: readonly RecordedChunk[],
): HistoricalProgress {
  const byId = new Map(recorded.map((r) => [r.chunkId, r] as const));
  let { completedChunks, exportedRows, artifacts } = p;
  const again: ChunkTask[] = [];
  for (const { task } of completed) {
    const r = byId.get(task.chunk.id);
    if (!r || r.error !== undefined) {
      again.push(retryOrFail(table, task, r?.error ?? 'result not recorded'));
      continue;
    }
    completedChunks += 1;
    exportedRows += r.rows;
    artifacts += r.artifacts;
  }
  return { ...p, queue: [...again, ...p.queue], completedChunks, exportedRows, artifacts };
}

/** How long to wait before the next tick. */
export function nextDelayMs(p: HistoricalProgress, now: Date): number {
  if (p.running.length === 0 && p.notBefore !== null) {
    return Math.max(BASE_POLL_MS, Date.parse(p.notBefore) - now.getTime());
  }
  return Math.min(BASE_POLL_MS * 2 ** p.quietTicks, MAX_POLL_MS);
}
