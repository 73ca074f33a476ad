/**
 * Runs orchestrations registered with the real `df.app.*` outside the Functions host, with the
 * durable-functions SDK's own replay engine: the SDK's orchestrator wrapper is given a history
 * exactly as the Durable extension would send it and answers with the actions it wants. The runner
 * plays the host: it runs the requested activities, runs sub-orchestrations (concurrently, like the
 * host), fires timers, emulates `callActivityWithRetry` retry timers, follows `continueAsNew`, and
 * appends the resulting events to the history for the next episode.
 *
 * Two clocks: `virtual` (tests) jumps straight to each timer's fire time; `real` (CLI, demo) waits
 * `fireAt - now` and stamps episodes with the wall clock, so a poll loop really polls.
 *
 * Limits (the host differs): no persistence (a crashed process loses the run), no entities,
 * external events or callHttp; at most one retry failure is delivered per episode; timers beyond
 * `maximumShortTimerDuration` are not split.
 */
import { InvocationContext } from '@azure/functions';
import type { Action, HistoryEvent, OrchestratorState } from './durableHistory';
import {
  EventType as ET,
  ActionType as AT,
  decodeInput,
  flattenActions,
  isActivity,
  isRetry,
  retryDelayMs,
} from './durableHistory';
import * as coreStub from './functionsCoreStub';
import type { LocalRunnerOptions, RunOptions, RunResult, RunStats, RunnerEvent } from './runnerTypes';

export type { LocalRunnerOptions, RunOptions, RunResult, RunStats, RunnerEvent } from './runnerTypes';

interface Slot {
  readonly id: number;
  readonly action: Action;
  readonly attempt: number;
}

/** The error text the SDK packs into a failed orchestrator's exception (`$OutOfProcData$:{...}`). */
function orchestratorError(message: string): string {
  const m = /\$OutOfProcData\$:(.*)$/s.exec(message);
  if (!m) return message;
  try {
    const data = JSON.parse(m[1]!) as { error?: unknown };
    return typeof data.error === 'string' && data.error !== '' ? data.error : message;
  } catch {
    return message;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Drives registered orchestrations; one runner per run (or per test). */
export class LocalRunner {
  readonly stats: RunStats;
  private instanceCounter = 0;
  private readonly real: boolean;
  private readonly emit: (event: RunnerEvent) => void;
  private readonly logHandler: (level: string, ...args: unknown[]) => void;

  constructor(options: LocalRunnerOptions = {}) {
    const histories = new Map<string, number>();
    this.stats = {
      histories,
      activityCalls: new Map(),
      largestHistory: () => Math.max(0, ...histories.values()),
    };
    this.real = options.clock === 'real';
    this.emit = options.onEvent ?? (() => undefined);
    this.logHandler = options.logHandler ?? (() => undefined);
  }

  /** Runs an orchestration to completion (or failure) and returns its outcome. */
  async run(name: string, input: unknown, options: RunOptions = {}): Promise<RunResult> {
    const instanceId = options.instanceId ?? `instance-${++this.instanceCounter}`;
    const start = this.real ? new Date() : (options.startTime ?? new Date('2026-01-01T00:00:00Z'));
    return this.runInstance(name, input, instanceId, start, undefined, options.maxEpisodes ?? 100_000);
  }

  private context(functionName: string): InvocationContext {
    return new InvocationContext({ functionName, logHandler: this.logHandler });
  }

  private async runInstance(
    name: string,
    input: unknown,
    instanceId: string,
    startTime: Date,
    parent: string | undefined,
    maxEpisodes: number,
  ): Promise<RunResult> {
    this.emit({ kind: 'orchestration-started', instanceId, name });
    const result = await this.generation(name, input, instanceId, startTime, parent, maxEpisodes);
    const { status, output, error } = result;
    this.emit({
      kind: 'orchestration-finished',
      instanceId,
      name,
      status,
      output,
      ...(error ? { error } : {}),
    });
    return result;
  }

  /** One generation of an instance (until it finishes or continues as new). */
  private async generation(
    name: string,
    input: unknown,
    instanceId: string,
    startTime: Date,
    parent: string | undefined,
    maxEpisodes: number,
  ): Promise<RunResult> {
    let clock = new Date(startTime);
    const ev = (EventType: number, extra: Record<string, unknown> = {}): HistoryEvent => ({
      EventType,
      EventId: -1,
      IsPlayed: false,
      Timestamp: clock.toISOString(),
      ...extra,
    });
    const history: HistoryEvent[] = [
      ev(ET.OrchestratorStarted),
      ev(ET.ExecutionStarted, { Name: name, Input: JSON.stringify(input ?? null) }),
    ];
    const known: unknown[] = [];
    const timers: { fireAt: Date; id: number; retryOf?: Slot }[] = [];
    let ready: HistoryEvent[] = [];
    const retryFailures: { ev: HistoryEvent; slot: Slot }[] = [];
    let hidden: ((id: number, pending: HistoryEvent[], work: Slot[]) => void) | null = null;
    let nextId = 0;
    let episodes = 0;
    let lastStatus = 'null';
    const record = (): void => {
      this.stats.histories.set(
        instanceId,
        Math.max(this.stats.histories.get(instanceId) ?? 0, history.length),
      );
    };
    const done = (r: Omit<RunResult, 'instanceId' | 'historyLength' | 'episodes'>): RunResult => {
      record();
      return { instanceId, ...r, historyLength: history.length, episodes };
    };

    const execute = async (slot: Slot, pending: HistoryEvent[]): Promise<void> => {
      const a = slot.action;
      const activity = isActivity(a);
      pending.push(
        activity
          ? ev(ET.TaskScheduled, { EventId: slot.id, Name: a.functionName })
          : ev(ET.SubOrchestrationInstanceCreated, {
              EventId: slot.id,
              Name: a.functionName,
              InstanceId: a.instanceId,
            }),
      );
      const actInput = decodeInput(a.input);
      try {
        let result: unknown;
        if (activity) {
          const fn = coreStub.registry.get(a.functionName);
          if (!fn) throw new Error(`activity ${a.functionName} is not registered`);
          this.stats.activityCalls.set(
            a.functionName,
            (this.stats.activityCalls.get(a.functionName) ?? 0) + 1,
          );
          result = await fn.handler(actInput, this.context(a.functionName));
          this.emit({
            kind: 'activity-completed',
            instanceId,
            name: a.functionName,
            input: actInput,
            output: result,
          });
        } else {
          const childId = a.instanceId || `${instanceId}:${slot.id}`;
          const child = await this.runInstance(
            a.functionName,
            a.input,
            childId,
            clock,
            instanceId,
            maxEpisodes,
          );
          if (child.status !== 'Completed')
            throw new Error(child.error ?? `sub-orchestration ${child.status}`);
          result = child.output;
        }
        ready.push(
          ev(activity ? ET.TaskCompleted : ET.SubOrchestrationInstanceCompleted, {
            TaskScheduledId: slot.id,
            Result: JSON.stringify(result ?? null),
          }),
        );
      } catch (e) {
        const err = e as Error;
        if (activity)
          this.emit({
            kind: 'activity-failed',
            instanceId,
            name: a.functionName,
            input: actInput,
            error: err.message,
          });
        const failed = ev(activity ? ET.TaskFailed : ET.SubOrchestrationInstanceFailed, {
          TaskScheduledId: slot.id,
          Reason: err.message,
          Details: String(err.stack),
        });
        if (isRetry(a)) retryFailures.push({ ev: failed, slot });
        else ready.push(failed);
      }
    };

    for (;;) {
      episodes++;
      if (episodes > maxEpisodes) throw new Error(`${name} (${instanceId}) exceeded ${maxEpisodes} episodes`);
      if (this.real) clock = new Date();
      const orch = coreStub.registry.get(name);
      if (!orch) {
        throw new Error(
          `orchestration ${name} is not registered (outside the Functions host, import lib/runtime/hostless before any function module)`,
        );
      }
      const trigger = {
        history,
        input,
        instanceId,
        isReplaying: episodes > 1,
        parentInstanceId: parent,
        upperSchemaVersion: 3,
        longRunningTimerIntervalDuration: '3.00:00:00',
        maximumShortTimerDuration: '6.00:00:00',
        defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
      };
      let state: OrchestratorState;
      try {
        // A JSON round trip, as the trigger crosses the host's wire.
        const wire = JSON.parse(JSON.stringify(trigger)) as unknown;
        state = (await orch.handler(wire, this.context(name))) as OrchestratorState;
      } catch (e) {
        return done({ status: 'Failed', error: orchestratorError((e as Error).message) });
      }
      const status = JSON.stringify(state.customStatus ?? null);
      if (status !== lastStatus) {
        lastStatus = status;
        this.emit({ kind: 'custom-status', instanceId, name, customStatus: state.customStatus });
      }
      if (state.isDone) {
        const can = flattenActions(state.actions).find((a) => a.actionType === AT.ContinueAsNew);
        if (can) {
          record();
          const next = await this.generation(
            name,
            decodeInput(can.input),
            instanceId,
            clock,
            parent,
            maxEpisodes,
          );
          return { ...next, episodes: next.episodes + episodes };
        }
        return done({ status: 'Completed', output: state.output, customStatus: state.customStatus });
      }
      // New actions get ids in emission order; then the hidden id the SDK spends on a retry timer.
      const pending: HistoryEvent[] = [];
      const work: Slot[] = [];
      for (const a of flattenActions(state.actions).slice(known.length)) {
        known.push(a);
        const slot: Slot = { id: nextId++, action: a, attempt: 1 };
        if (a.actionType === AT.CreateTimer) {
          const fireAt = new Date(a.fireAt ?? clock);
          pending.push(ev(ET.TimerCreated, { EventId: slot.id, FireAt: fireAt.toISOString() }));
          timers.push({ fireAt, id: slot.id });
        } else work.push(slot);
      }
      if (hidden) {
        hidden(nextId++, pending, work);
        hidden = null;
      }
      await Promise.all(work.map((s) => execute(s, pending)));
      const batch = ready;
      ready = [];
      if (retryFailures.length) {
        const r = retryFailures.shift()!;
        const options = r.slot.action.retryOptions;
        batch.push(r.ev);
        hidden = (timerId, p) => {
          timers.push({
            fireAt: new Date(clock.getTime() + (options ? retryDelayMs(options, r.slot.attempt) : 0)),
            id: timerId,
            retryOf: r.slot,
          });
          p.push(ev(ET.TimerCreated, { EventId: timerId }));
        };
      } else if (!batch.length && timers.length) {
        timers.sort((x, y) => x.fireAt.getTime() - y.fireAt.getTime());
        const t = timers.shift()!;
        if (this.real) {
          const waitMs = Math.max(0, t.fireAt.getTime() - Date.now());
          this.emit({ kind: 'timer', instanceId, fireAt: t.fireAt, waitMs });
          await sleep(waitMs);
          clock = new Date();
        } else if (t.fireAt > clock) clock = t.fireAt;
        batch.push(ev(ET.TimerFired, { TimerId: t.id, FireAt: t.fireAt.toISOString() }));
        const prev = t.retryOf;
        if (prev && prev.attempt < (prev.action.retryOptions?.maxNumberOfAttempts ?? 1)) {
          hidden = (id, _p, w) => w.push({ ...prev, id, attempt: prev.attempt + 1 });
        }
      } else if (!batch.length) {
        return done({ status: 'Stuck' });
      }
      history.push(ev(ET.OrchestratorStarted), ...pending, ...batch);
      record();
    }
  }
}
