/**
 * Replays orchestrations with the durable-functions SDK's own engine, outside the Functions host.
 *
 * The SDK's orchestrator wrapper is given a history exactly as the Durable extension would send it;
 * it answers with the actions it wants. This kit plays the host: it runs the requested activities
 * (registered with the real `df.app.activity`), runs sub-orchestrations recursively, fires timers on a
 * virtual clock, emulates `callActivityWithRetry` retry timers, follows `continueAsNew`, and appends
 * the resulting events to the history for the next episode. It records every instance's history size
 * so tests can bound it.
 *
 * Limits (the host differs): entities, external events and callHttp are not supported; at most one
 * retry failure is delivered per episode; timers beyond `maximumShortTimerDuration` are not split.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import Module from 'node:module';
import { InvocationContext } from '@azure/functions';
import * as coreStub from './functionsCoreStub';

/** Makes `require('@azure/functions-core')` return the stub outside Jest (Jest maps it by config). */
export function installFunctionsCoreStub(): void {
  const mod = Module as unknown as {
    _load: (request: string, ...rest: unknown[]) => unknown;
    __adxStub?: boolean;
  };
  if (mod.__adxStub) return;
  const original = mod._load;
  mod._load = function (request: string, ...rest: unknown[]) {
    return request === '@azure/functions-core' ? coreStub : original.call(this, request, ...rest);
  };
  mod.__adxStub = true;
}

const ET = {
  ExecutionStarted: 0,
  TaskScheduled: 4,
  TaskCompleted: 5,
  TaskFailed: 6,
  SubOrchestrationInstanceCreated: 7,
  SubOrchestrationInstanceCompleted: 8,
  SubOrchestrationInstanceFailed: 9,
  TimerCreated: 10,
  TimerFired: 11,
  OrchestratorStarted: 12,
} as const;
const AT = {
  CallActivity: 0,
  CallActivityWithRetry: 1,
  CallSubOrchestrator: 2,
  CallSubOrchestratorWithRetry: 3,
  ContinueAsNew: 4,
  CreateTimer: 5,
} as const;

interface HistoryEvent {
  EventType: number;
  EventId: number;
  IsPlayed: boolean;
  Timestamp: string;
  [k: string]: unknown;
}

/** Outcome of one orchestration instance. */
export interface ReplayResult {
  readonly instanceId: string;
  readonly status: 'Completed' | 'Failed' | 'Stuck';
  readonly output?: unknown;
  readonly error?: string;
  readonly customStatus?: unknown;
  /** Events in the last generation's history (after continueAsNew, only the last generation). */
  readonly historyLength: number;
  readonly episodes: number;
}

/** Options for a replay run. */
export interface ReplayOptions {
  readonly instanceId?: string;
  /** Virtual start time (default 2026-01-01T00:00:00Z). */
  readonly startTime?: Date;
  /** Upper bound on episodes per instance to catch runaway loops (default 100,000). */
  readonly maxEpisodes?: number;
}

/** Statistics collected across every instance of a run (including sub-orchestrations). */
export interface ReplayStats {
  /** History length of every instance generation, by instance id (largest generation kept). */
  readonly histories: Map<string, number>;
  /** Activity invocations by name. */
  readonly activityCalls: Map<string, number>;
  /** Largest history of any single instance. */
  largestHistory(): number;
}

const flatten = (acts: any[]): any[] =>
  acts.flatMap((a) =>
    Array.isArray(a) ? flatten(a) : a?.compoundActions ? flatten(a.compoundActions) : [a],
  );
const decodeInput = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);
const isRetry = (a: any): boolean =>
  a.actionType === AT.CallActivityWithRetry || a.actionType === AT.CallSubOrchestratorWithRetry;
const isActivity = (a: any): boolean =>
  a.actionType === AT.CallActivity || a.actionType === AT.CallActivityWithRetry;
const retryDelayMs = (o: any, n: number): number =>
  Math.min(
    o.firstRetryIntervalInMilliseconds * Math.pow(o.backoffCoefficient || 1, n - 1),
    o.maxRetryIntervalInMilliseconds || Infinity,
  );

/** Drives registered orchestrations; create one per test. */
export class DurableReplayer {
  readonly stats: ReplayStats;
  private instanceCounter = 0;

  constructor() {
    const histories = new Map<string, number>();
    this.stats = {
      histories,
      activityCalls: new Map(),
      largestHistory: () => Math.max(0, ...histories.values()),
    };
  }

  /** Runs an orchestration to completion (or failure) and returns its outcome. */
  async run(name: string, input: unknown, options: ReplayOptions = {}): Promise<ReplayResult> {
    const instanceId = options.instanceId ?? `instance-${++this.instanceCounter}`;
    return this.runInstance(
      name,
      input,
      instanceId,
      options.startTime ?? new Date('2026-01-01T00:00:00Z'),
      undefined,
      options.maxEpisodes ?? 100_000,
    );
  }

  private async runInstance(
    name: string,
    input: unknown,
    instanceId: string,
    startTime: Date,
    parent: string | undefined,
    maxEpisodes: number,
  ): Promise<ReplayResult> {
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
    const timers: { fireAt: Date; id: number; retryOf?: any }[] = [];
    let ready: HistoryEvent[] = [];
    const retryFailures: { ev: HistoryEvent; slot: any }[] = [];
    let hidden: ((id: number, pending: HistoryEvent[], work: any[]) => void) | null = null;
    let nextId = 0;
    let episodes = 0;
    const record = (): void => {
      const prev = this.stats.histories.get(instanceId) ?? 0;
      this.stats.histories.set(instanceId, Math.max(prev, history.length));
    };

    const execute = async (slot: any, pending: HistoryEvent[]): Promise<void> => {
      const a = slot.action;
      pending.push(
        isActivity(a)
          ? ev(ET.TaskScheduled, { EventId: slot.id, Name: a.functionName })
          : ev(ET.SubOrchestrationInstanceCreated, {
              EventId: slot.id,
              Name: a.functionName,
              InstanceId: a.instanceId,
            }),
      );
      try {
        let result: unknown;
        if (isActivity(a)) {
          const fn = coreStub.registry.get(a.functionName);
          if (!fn) throw new Error(`activity ${a.functionName} is not registered`);
          this.stats.activityCalls.set(
            a.functionName,
            (this.stats.activityCalls.get(a.functionName) ?? 0) + 1,
          );
          result = await fn.handler(
            decodeInput(a.input),
            new InvocationContext({ functionName: a.functionName, logHandler: () => {} }),
          );
        } else {
          const child = await this.runInstance(
            a.functionName,
            a.input,
            a.instanceId || `${instanceId}:${slot.id}`,
            clock,
            instanceId,
            maxEpisodes,
          );
          if (child.status !== 'Completed')
            throw new Error(child.error ?? `sub-orchestration ${child.status}`);
          result = child.output;
        }
        ready.push(
          ev(isActivity(a) ? ET.TaskCompleted : ET.SubOrchestrationInstanceCompleted, {
            TaskScheduledId: slot.id,
            Result: JSON.stringify(result ?? null),
          }),
        );
      } catch (e) {
        const err = e as Error;
        const failed = ev(isActivity(a) ? ET.TaskFailed : ET.SubOrchestrationInstanceFailed, {
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
      const orch = coreStub.registry.get(name);
      if (!orch) throw new Error(`orchestration ${name} is not registered`);
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
      let state: any;
      try {
        state = await orch.handler(
          JSON.parse(JSON.stringify(trigger)),
          new InvocationContext({ functionName: name, logHandler: () => {} }),
        );
      } catch (e) {
        const message = (e as Error).message;
        const m = /\$OutOfProcData\$:(.*)$/s.exec(message);
        const st = m ? JSON.parse(m[1]!) : {};
        record();
        return {
          instanceId,
          status: 'Failed',
          error: st.error || message,
          historyLength: history.length,
          episodes,
        };
      }
      if (state.isDone) {
        record();
        const can = flatten(state.actions).find((a) => a.actionType === AT.ContinueAsNew);
        if (can) {
          const nextInput = decodeInput(can.input);
          const next = await this.runInstance(name, nextInput, instanceId, clock, parent, maxEpisodes);
          return { ...next, episodes: next.episodes + episodes };
        }
        return {
          instanceId,
          status: 'Completed',
          output: state.output,
          customStatus: state.customStatus,
          historyLength: history.length,
          episodes,
        };
      }
      // New actions get ids in emission order; then the hidden id the SDK spends on a retry timer.
      const pending: HistoryEvent[] = [];
      const work: any[] = [];
      for (const a of flatten(state.actions).slice(known.length)) {
        known.push(a);
        const slot = { id: nextId++, action: a, attempt: 1 };
        if (a.actionType === AT.CreateTimer) {
          pending.push(ev(ET.TimerCreated, { EventId: slot.id, FireAt: new Date(a.fireAt).toISOString() }));
          timers.push({ fireAt: new Date(a.fireAt), id: slot.id });
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
        batch.push(r.ev);
        hidden = (timerId, p) => {
          timers.push({
            fireAt: new Date(clock.getTime() + retryDelayMs(r.slot.action.retryOptions, r.slot.attempt)),
            id: timerId,
            retryOf: r.slot,
          });
          p.push(ev(ET.TimerCreated, { EventId: timerId }));
        };
      } else if (!batch.length && timers.length) {
        timers.sort((x, y) => x.fireAt.getTime() - y.fireAt.getTime());
        const t = timers.shift()!;
        if (t.fireAt > clock) clock = t.fireAt;
        batch.push(ev(ET.TimerFired, { TimerId: t.id, FireAt: t.fireAt.toISOString() }));
        const prev = t.retryOf;
        if (prev && prev.attempt < prev.action.retryOptions.maxNumberOfAttempts) {
          hidden = (id, _p, w) => w.push({ ...prev, id, attempt: prev.attempt + 1 });
        }
      } else if (!batch.length) {
        record();
        return { instanceId, status: 'Stuck', historyLength: history.length, episodes };
      }
      history.push(ev(ET.OrchestratorStarted), ...pending, ...batch);
      record();
    }
  }
}
