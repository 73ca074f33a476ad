/**
 * The queued-ingestion consumer: one loop per ready-for-aggregation queue receives messages in
 * batches, ingests each (`runIngestion`), reports per ReportLevel, and deletes it. Queues are
 * drained continuously because Azurite's dequeue cost grows with queue depth (local-stack notes §1):
 * a queue that is kept shallow stays fast. Unlike the real service there is no batching delay;
 * every message becomes its own extent as soon as it is read.
 */
import type { EmulatorCore, IngestionEngine } from '../core';
import type { StorageEndpoints } from '../state';
import { asIngestionError } from './errors';
import { recordFailure } from './failures';
import { runIngestion } from './ingest';
import type { IngestionOutcome } from './ingest';
import { ReportLevel, ReportMethod, decodeIngestionMessage } from './message';
import type { IngestionMessage } from './message';
import { statusReport, sendReport } from './reporting';
import { READY_QUEUES, ensureIngestionResources, queueClient } from './resources';
import { asText } from './text';

/** Tuning of the consumer; the defaults suit tests and the demo. */
export interface ConsumerOptions {
  /** Messages per receive (Azure's maximum is 32). */
  readonly batchSize?: number;
  /** Messages of one batch ingested at the same time, per queue. */
  readonly concurrency?: number;
  /** First wait after an empty receive; doubles while the queue stays empty. */
  readonly minPollIntervalMs?: number;
  /** Longest wait between receives of an idle queue. */
  readonly maxPollIntervalMs?: number;
  /** How long a received message stays invisible to other receivers while it is processed. */
  readonly visibilityTimeoutSeconds?: number;
}

/** The consumer as the emulator drives it. */
export interface IngestionConsumer extends IngestionEngine {
  /** Starts polling every ready queue (idempotent). */
  start(): void;
  /** Stops polling; resolves once every loop has finished its current batch and no timer is left. */
  stop(): Promise<void>;
}

/** Runs `fn` over `items` with at most `limit` running at once. */
async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/** A message that could not even be decoded: recorded and reported like any other failure. */
function corruptOutcome(
  core: EmulatorCore,
  error: unknown,
): { message: IngestionMessage; outcome: IngestionOutcome } {
  const ids = { operationId: core.state.newId(), rootActivityId: core.state.newId() };
  const ingestionError = asIngestionError(error);
  const failure = recordFailure(core.state, {
    ...ids,
    database: '',
    table: '',
    sourcePath: '',
    error: ingestionError,
    ingestionProperties: '',
  });
  const message: IngestionMessage = {
    id: '',
    blobPath: '',
    rawDataSize: null,
    database: '',
    table: '',
    reportLevel: ReportLevel.FailuresOnly,
    reportMethod: ReportMethod.Queue,
    properties: {},
  };
  return { message, outcome: { ...ids, status: 'Failed', error: ingestionError, failure } };
}

/** Ingests one queue message and sends the report it asks for. */
export async function processMessage(core: EmulatorCore, messageText: string): Promise<IngestionOutcome> {
  let message: IngestionMessage;
  let outcome: IngestionOutcome;
  try {
    message = decodeIngestionMessage(messageText);
    outcome = await runIngestion(core, {
      database: message.database,
      table: message.table,
      sources: [message.blobPath],
      properties: message.properties,
      requireAuthorizationContext: true,
    });
  } catch (error) {
    ({ message, outcome } = corruptOutcome(core, error));
  }
  const report = statusReport(message, outcome, core.state.clock.now());
  if (report) {
    try {
      await sendReport(core.state.storage, report);
    } catch (error) {
      console.warn(`ingestion: could not send the status report: ${(error as Error).message}`);
    }
  }
  return outcome;
}

/** Creates the consumer. `coreRef` is read on every poll, so the core may be wired after creation. */
export function createIngestionConsumer(
  coreRef: () => EmulatorCore,
  options: ConsumerOptions = {},
): IngestionConsumer {
  const batchSize = options.batchSize ?? 32;
  const concurrency = options.concurrency ?? 8;
  const minPoll = options.minPollIntervalMs ?? 20;
  const maxPoll = options.maxPollIntervalMs ?? 500;
  const visibilityTimeout = options.visibilityTimeoutSeconds ?? 300;

  let running = false;
  let loops: Promise<void>[] = [];
  let inFlight = 0;
  const sleepers = new Set<() => void>();
  /** Round counter: a loop's receive that started in round r and came back empty proves the queue drained by r. */
  let round = 0;
  const emptyInRound = new Map<string, number>();
  /** The latest polling failure, by round, so a waiting drain fails instead of hanging. */
  let pollFailure: { round: number; error: Error } | undefined;
  const idleWaiters = new Set<() => void>();
  const notifyIdle = (): void => {
    for (const notify of [...idleWaiters]) notify();
  };

  /** A wait that `wakeAll` (new work expected, or stopping) cuts short. */
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });
  const wakeAll = (): void => {
    for (const wake of [...sleepers]) wake();
  };

  /** One receive-process-delete round on a queue; returns how many messages it handled. */
  async function pollOnce(core: EmulatorCore, queue: string): Promise<number> {
    const storage = core.state.storage;
    await ensureIngestionResources(storage);
    const client = queueClient(storage, queue);
    const { receivedMessageItems: items } = await client.receiveMessages({
      numberOfMessages: batchSize,
      visibilityTimeout,
    });
    if (items.length === 0) return 0;
    inFlight += items.length;
    await forEachLimited(items, concurrency, async (item) => {
      try {
        await processMessage(core, item.messageText);
      } finally {
        try {
          await client.deleteMessage(item.messageId, item.popReceipt);
        } catch (error) {
          // Only possible if processing outlived the visibility timeout: the message comes back.
          console.warn(`ingestion: could not delete message ${item.messageId}: ${(error as Error).message}`);
        }
        inFlight -= 1;
      }
    });
    return items.length;
  }

  async function loop(queue: string): Promise<void> {
    let idle = minPoll;
    let failing = false;
    while (running) {
      try {
        const startedIn = round;
        const handled = await pollOnce(coreRef(), queue);
        failing = false;
        if (handled > 0) {
          idle = minPoll;
          continue;
        }
        emptyInRound.set(queue, startedIn);
        notifyIdle();
        // A drain that began during this receive needs a fresh one, not a wait.
        if (startedIn < round) continue;
        await sleep(idle);
        idle = Math.min(idle * 2, maxPoll);
      } catch (error) {
        if (!running) break;
        if (!failing) console.warn(`ingestion: polling ${queue} failed: ${(error as Error).message}`);
        failing = true;
        pollFailure = { round, error: error instanceof Error ? error : new Error(asText(error)) };
        notifyIdle();
        await sleep(maxPoll);
      }
    }
  }

  async function queuesEmpty(storage: StorageEndpoints): Promise<boolean> {
    const counts = await Promise.all(
      READY_QUEUES.map(
        async (q) => (await queueClient(storage, q).getProperties()).approximateMessagesCount ?? 0,
      ),
    );
    return counts.every((c) => c === 0);
  }

  return {
    start(): void {
      if (running) return;
      running = true;
      loops = READY_QUEUES.map((q) => loop(q));
    },

    async stop(): Promise<void> {
      running = false;
      wakeAll();
      await Promise.all(loops);
      loops = [];
      notifyIdle(); // a drain waiting on the loops takes over
    },

    /**
     * Resolves once every ready queue is empty and nothing is being processed. Azurite's message
     * count includes messages received but not yet deleted, and a message is deleted only after
     * it has been ingested, so an empty count with nothing in flight means everything is done.
     * While the loops run, drain waits for each of them to find its queue empty (no polling of
     * its own: Azurite's cost per request grows with the number of queued messages); when they
     * do not run, drain consumes the queues itself.
     */
    async drain(): Promise<void> {
      const core = coreRef();
      await ensureIngestionResources(core.state.storage);
      for (;;) {
        if (running) {
          const target = ++round;
          wakeAll();
          await new Promise<void>((resolve, reject) => {
            const check = (): void => {
              const settled =
                READY_QUEUES.every((q) => (emptyInRound.get(q) ?? -1) >= target) && inFlight === 0;
              const failed = pollFailure && pollFailure.round >= target ? pollFailure : undefined;
              if (settled || failed || !running) {
                idleWaiters.delete(check);
                if (failed) reject(failed.error);
                else resolve();
              }
            };
            idleWaiters.add(check);
            check();
          });
          if (!running) continue;
        } else {
          let handled: number;
          do {
            const counts = await Promise.all(READY_QUEUES.map((q) => pollOnce(core, q)));
            handled = counts.reduce((a, b) => a + b, 0);
          } while (handled > 0);
        }
        if (inFlight === 0 && (await queuesEmpty(core.state.storage)) && inFlight === 0) return;
        await new Promise((resolve) => setTimeout(resolve, minPoll));
      }
    },
  };
}
