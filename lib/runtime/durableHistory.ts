/**
 * The slice of the Durable Task protocol the local runner speaks: history event types the
 * durable-functions SDK replays, the action types it answers with, and helpers to read actions.
 * Values are the wire numbers of the Durable extension (HistoryEventType / ActionType).
 */
/** History event types. */
export const EventType = {
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

/** Orchestrator action types. */
export const ActionType = {
  CallActivity: 0,
  CallActivityWithRetry: 1,
  CallSubOrchestrator: 2,
  CallSubOrchestratorWithRetry: 3,
  ContinueAsNew: 4,
  CreateTimer: 5,
} as const;

/** One event of an instance's history, as the SDK reads it. */
export interface HistoryEvent {
  EventType: number;
  EventId: number;
  IsPlayed: boolean;
  Timestamp: string;
  [k: string]: unknown;
}

/** `RetryOptions` as the SDK serialises them into an action. */
export interface RetryOptionsWire {
  readonly firstRetryIntervalInMilliseconds: number;
  readonly maxNumberOfAttempts: number;
  readonly backoffCoefficient?: number;
  readonly maxRetryIntervalInMilliseconds?: number;
}

/** One action an orchestrator episode asks for (the fields the runner reads). */
export interface Action {
  readonly actionType: number;
  readonly functionName: string;
  readonly input?: unknown;
  readonly instanceId?: string;
  readonly fireAt?: string | Date;
  readonly retryOptions?: RetryOptionsWire;
  readonly compoundActions?: readonly unknown[];
}

/** What the SDK's orchestrator wrapper answers for an episode. */
export interface OrchestratorState {
  readonly isDone: boolean;
  readonly actions: readonly unknown[];
  readonly output?: unknown;
  readonly customStatus?: unknown;
}

/** The actions of an episode, flattened out of `Task.all`/`Task.any` groups, in emission order. */
export const flattenActions = (acts: readonly unknown[]): Action[] =>
  acts.flatMap((a): Action[] => {
    if (Array.isArray(a)) return flattenActions(a);
    const action = a as Action;
    return action.compoundActions ? flattenActions(action.compoundActions) : [action];
  });

/** Inputs arrive JSON-encoded from the SDK; plain values pass through. */
export const decodeInput = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

/** True for `callActivityWithRetry` / `callSubOrchestratorWithRetry`. */
export const isRetry = (a: Action): boolean =>
  a.actionType === ActionType.CallActivityWithRetry ||
  a.actionType === ActionType.CallSubOrchestratorWithRetry;

/** True for activity calls (with or without retry). */
export const isActivity = (a: Action): boolean =>
  a.actionType === ActionType.CallActivity || a.actionType === ActionType.CallActivityWithRetry;

/** Delay before retry attempt `n + 1` under the SDK's RetryOptions (as the extension computes it). */
export const retryDelayMs = (o: RetryOptionsWire, n: number): number =>
  Math.min(
    o.firstRetryIntervalInMilliseconds * Math.pow(o.backoffCoefficient || 1, n - 1),
    o.maxRetryIntervalInMilliseconds || Infinity,
  );
