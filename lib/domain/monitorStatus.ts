/**
 * The status the monitor persists and serves (`GET /api/status`): per table the state seen at the
 * tick, lateness, the last failure and the last action (carried over from earlier ticks until a new
 * one replaces them), the alert if any; per database the outcome of the tick and a summary. Pure:
 * built from the tick's assessment, diagnosis, plan and action outcomes.
 */
import { redact } from '../kusto/redact';
import type { FailureCause } from './exportFailures';
import type { TableAssessment, TableState } from './monitorDiff';
import { TABLE_STATES } from './monitorDiff';
import type { Alert, Diagnosis, MonitorAction, TablePlan } from './monitorPlan';

/** Longest failure or error text kept (Table Storage properties hold at most 32 K characters). */
export const MAX_TEXT = 2000;

/** What happened to one action. */
export interface ActionOutcome {
  readonly kind: MonitorAction['kind'];
  readonly at: string;
  readonly outcome: 'done' | 'failed';
  readonly detail: string;
}

/** One table's status. */
export interface TableStatus {
  readonly table: string;
  readonly state: TableState;
  readonly cause: FailureCause | null;
  readonly latenessMinutes: number | null;
  readonly exportedTo: string | null;
  readonly lastFailure: { readonly at: string; readonly text: string } | null;
  readonly lastAction: ActionOutcome | null;
  readonly alert: Alert | null;
  readonly notes: readonly string[];
  readonly checkedAt: string;
}

/** How a database's tick ended. */
export type DatabaseOutcome = 'checked' | 'unreachable' | 'no-policy' | 'policy-invalid' | 'failed';

/** One database's status. */
export interface DatabaseStatus {
  readonly cluster: string;
  readonly database: string;
  readonly checkedAt: string;
  readonly outcome: DatabaseOutcome;
  /** Why the database was not checked (redacted), null when it was. */
  readonly message: string | null;
  readonly counts: Readonly<Partial<Record<TableState, number>>>;
  /** Tables neither healthy nor source-dropped. */
  readonly unhealthy: number;
  readonly alerts: number;
}

/** Text safe to store and show: secrets masked, length bounded. */
export function safeText(text: string): string {
  const masked = redact(text);
  return masked.length > MAX_TEXT ? `${masked.slice(0, MAX_TEXT)}...` : masked;
}

/** True for states that count as unhealthy (and raise the unhealthy metric). */
export function isUnhealthy(state: TableState): boolean {
  return state !== 'healthy' && state !== 'source-dropped';
}

/** A table's status after this tick. */
export function tableStatus(
  a: TableAssessment,
  diagnosis: Diagnosis | undefined,
  plan: TablePlan,
  outcomes: readonly ActionOutcome[],
  previous: TableStatus | undefined,
  now: Date,
): TableStatus {
  const failure = diagnosis?.lastFailure;
  const failed = outcomes.find((o) => o.outcome === 'failed');
  const alert: Alert | null = failed
    ? {
        message: `${failed.kind} on '${a.table}' failed: ${failed.detail}`,
        fix: 'The monitor retries on its next tick; if it keeps failing, re-run setup for the database.',
      }
    : plan.alert && { message: safeText(plan.alert.message), fix: plan.alert.fix };
  return {
    table: a.table,
    state: a.state,
    cause: diagnosis?.cause ?? null,
    latenessMinutes: a.latenessMs === null ? null : Math.round(a.latenessMs / 6_000) / 10,
    exportedTo: a.export?.exportedTo?.toISOString() ?? null,
    lastFailure: failure
      ? { at: failure.timestamp.toISOString(), text: safeText(failure.details) }
      : (previous?.lastFailure ?? null),
    lastAction: outcomes[outcomes.length - 1] ?? previous?.lastAction ?? null,
    alert,
    notes: plan.notes,
    checkedAt: now.toISOString(),
  };
}

/** The database summary of a checked tick. */
export function databaseStatus(
  cluster: string,
  database: string,
  tables: readonly TableStatus[],
  now: Date,
): DatabaseStatus {
  const counts: Partial<Record<TableState, number>> = {};
  for (const state of TABLE_STATES) {
    const n = tables.filter((t) => t.state === state).length;
    if (n > 0) counts[state] = n;
  }
  return {
    cluster,
    database,
    checkedAt: now.toISOString(),
    outcome: 'checked',
    message: null,
    counts,
    unhealthy: tables.filter((t) => isUnhealthy(t.state)).length,
    alerts: tables.filter((t) => t.alert !== null).length,
  };
}

/** The database status of a tick that could not look at the tables. */
export function uncheckedStatus(
  cluster: string,
  database: string,
  outcome: Exclude<DatabaseOutcome, 'checked'>,
  message: string,
  now: Date,
): DatabaseStatus {
  return {
    cluster,
    database,
    checkedAt: now.toISOString(),
    outcome,
    message: safeText(message),
    counts: {},
    unhealthy: 0,
    alerts: 1,
  };
}
