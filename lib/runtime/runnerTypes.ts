/** The local runner's public types: what a run returns, its options, and the events it reports. */

/** Outcome of one orchestration instance. */
export interface RunResult {
  readonly instanceId: string;
  readonly status: 'Completed' | 'Failed' | 'Stuck';
  readonly output?: unknown;
  readonly error?: string;
  readonly customStatus?: unknown;
  /** Events in the last generation's history (after continueAsNew, only the last generation). */
  readonly historyLength: number;
  readonly episodes: number;
}

/** Options of one run. */
export interface RunOptions {
  readonly instanceId?: string;
  /** Virtual start time (default 2026-01-01T00:00:00Z); ignored by the real clock. */
  readonly startTime?: Date;
  /** Upper bound on episodes per instance to catch runaway loops (default 100,000). */
  readonly maxEpisodes?: number;
}

/** Statistics across every instance of a runner (sub-orchestrations included). */
export interface RunStats {
  /** Largest history of each instance generation, by instance id. */
  readonly histories: Map<string, number>;
  /** Activity invocations by name. */
  readonly activityCalls: Map<string, number>;
  /** Largest history of any single instance. */
  largestHistory(): number;
}

/** What the runner reports while it works (progress bars, logs). */
export type RunnerEvent =
  | { readonly kind: 'orchestration-started'; readonly instanceId: string; readonly name: string }
  | {
      readonly kind: 'orchestration-finished';
      readonly instanceId: string;
      readonly name: string;
      readonly status: RunResult['status'];
      readonly output?: unknown;
      readonly error?: string;
    }
  | {
      readonly kind: 'custom-status';
      readonly instanceId: string;
      readonly name: string;
      readonly customStatus: unknown;
    }
  | {
      readonly kind: 'activity-completed';
      readonly instanceId: string;
      readonly name: string;
      readonly input: unknown;
      readonly output: unknown;
    }
  | {
      readonly kind: 'activity-failed';
      readonly instanceId: string;
      readonly name: string;
      readonly input: unknown;
      readonly error: string;
    }
  | { readonly kind: 'timer'; readonly instanceId: string; readonly fireAt: Date; readonly waitMs: number };

/** Construction options of {@link LocalRunner}. */
export interface LocalRunnerOptions {
  /** `virtual` (default) fires timers at once on a virtual clock; `real` waits for them. */
  readonly clock?: 'virtual' | 'real';
  readonly onEvent?: (event: RunnerEvent) => void;
  /** Receives `context.log/warn/error` of orchestrators and activities (silent by default). */
  readonly logHandler?: (level: string, ...args: unknown[]) => void;
}
