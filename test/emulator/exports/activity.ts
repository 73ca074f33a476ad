/**
 * Exports in flight per emulator, for the export capacity (`.show capacity` DataExport, throttling
 * of `.export`, pending continuous exports) and for `ExportEngine.idle()`. Kept beside the state
 * rather than in the engine object so command handlers reach it through `core.state` alone.
 */
import type { EmulatorState } from '../state';

/** What is running now. */
export interface ExportActivity {
  /** Background `.export async` operations by operation id. */
  readonly async: Map<string, Promise<void>>;
  /** Synchronous `.export` commands executing. */
  sync: number;
  /** Continuous-export runs executing. */
  continuous: number;
}

const activities = new WeakMap<EmulatorState, ExportActivity>();

/** The activity record of an emulator (created on first use). */
export function activityOf(state: EmulatorState): ExportActivity {
  let activity = activities.get(state);
  if (!activity) {
    activity = { async: new Map(), sync: 0, continuous: 0 };
    activities.set(state, activity);
  }
  return activity;
}

/** Exports consuming export capacity right now. */
export function exportsInFlight(state: EmulatorState): number {
  const a = activityOf(state);
  return a.async.size + a.sync + a.continuous;
}

/** Whether another export may start (capacity `exportTotal`, reference §4). */
export function hasExportCapacity(state: EmulatorState): boolean {
  return exportsInFlight(state) < state.capacity.exportTotal;
}

/** Resolves once no async export operation is running (operations started meanwhile are awaited too). */
export async function asyncExportsIdle(state: EmulatorState): Promise<void> {
  const a = activityOf(state);
  while (a.async.size > 0) await Promise.allSettled([...a.async.values()]);
}
