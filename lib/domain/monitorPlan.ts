/**
 * What the monitor does about each assessed table, decided purely from the assessment, the
 * diagnosed failure cause and (for exports disabled by storage failures) a test write to the backup
 * containers. Repairs are create-or-alter after a read, so running a plan twice changes nothing the
 * second time. Disabled exports are re-enabled at most `reenablePerTick` per tick, longest-stalled
 * first, so their catch-up runs do not starve the cluster's export capacity.
 */
import type { TableToBackUp } from '../activities/contracts';
import type { ColumnSpec } from '../kusto/commands';
import type { ContinuousExportFailure } from '../kusto/results';
import type { SetupInput } from '../orchestrations/setupDatabase';
import type { FailureCause } from './exportFailures';
import { classifyFailure, fixFor, latestFailure } from './exportFailures';
import type { TableAssessment } from './monitorDiff';
import { describeDrift } from './schemaDrift';

/** Why the export fails, as far as the monitor can tell. */
export interface Diagnosis {
  readonly cause: FailureCause | null;
  readonly lastFailure?: ContinuousExportFailure;
}

/** One idempotent repair. */
export type MonitorAction =
  | { readonly kind: 'start-setup'; readonly table: string; readonly setup: TableToBackUp }
  | {
      readonly kind: 'recreate-external-table' | 'realign-schema';
      readonly table: string;
      readonly columns: readonly ColumnSpec[];
      readonly partitionColumn: string | null;
      readonly detail: string;
    }
  | { readonly kind: 'enable-export'; readonly table: string; readonly exportName: string }
  | { readonly kind: 'mark-source-dropped'; readonly table: string };

/** Something an operator must look at. */
export interface Alert {
  readonly message: string;
  readonly fix: string;
}

/** The plan for one table: actions run in order (a failed one stops the rest), an alert, notes. */
export interface TablePlan {
  readonly table: string;
  readonly actions: readonly MonitorAction[];
  readonly alert: Alert | null;
  readonly notes: readonly string[];
}

/** Result of the test write to each backup container (undefined: not probed). */
export type StorageProbe = ReadonlyMap<
  string,
  { readonly ok: true } | { readonly ok: false; readonly error: string }
>;

/** The cause of an unhealthy table's trouble: known from the diff, else from its latest failure. */
export function diagnose(a: TableAssessment, failures: readonly ContinuousExportFailure[]): Diagnosis {
  const last = latestFailure(failures);
  const lastFailure = last ? { lastFailure: last } : {};
  if (a.externalTableMissing) return { cause: 'external-table-missing', ...lastFailure };
  if (a.drift) return { cause: 'schema-mismatch', ...lastFailure };
  // A late export whose last run completed is not failing: old failures do not explain it.
  const current = a.export?.isDisabled === true || a.export?.lastRunResult === 'Failed';
  return { cause: last && current ? classifyFailure(last.details) : null, ...lastFailure };
}

/** Whether any disabled export waits on storage, so the containers must be test-written. */
export function needsStorageProbe(
  assessments: readonly TableAssessment[],
  diagnoses: ReadonlyMap<string, Diagnosis>,
): boolean {
  return assessments.some(
    (a) => a.state === 'disabled' && diagnoses.get(a.table)?.cause === 'storage-inaccessible',
  );
}

/** Inputs of {@link planActions}. */
export interface PlanInput {
  readonly policy: SetupInput;
  readonly assessments: readonly TableAssessment[];
  readonly diagnoses: ReadonlyMap<string, Diagnosis>;
  readonly probe?: StorageProbe;
  readonly reenablePerTick: number;
}

const failureText = (d: Diagnosis | undefined): string =>
  d?.lastFailure ? `: ${d.lastFailure.details}` : '';

/** The repair that removes a cause, or null when the monitor cannot repair it. */
function repairFor(a: TableAssessment, cause: FailureCause | null): MonitorAction | null {
  const record = a.record;
  if (!record || !a.columns) return null;
  if (cause === 'schema-mismatch' || a.drift) {
    return {
      kind: 'realign-schema',
      table: a.table,
      columns: a.columns,
      partitionColumn: record.partitionColumn,
      detail: a.drift ? describeDrift(a.drift) : 'the external table no longer matches the table',
    };
  }
  if (cause === 'external-table-missing') {
    return {
      kind: 'recreate-external-table',
      table: a.table,
      columns: a.columns,
      partitionColumn: record.partitionColumn,
      detail: `external table '${record.externalTableName}' is missing`,
    };
  }
  return null;
}

/** A realignment that would move the partition folders is left to a person (re-run setup). */
function partitionProblem(a: TableAssessment): string | null {
  const column = a.record?.partitionColumn;
  if (!a.drift || column === null || column === undefined) return null;
  const live = a.columns?.find((c) => c.name === column);
  return live && live.type.toLowerCase() === 'datetime'
    ? null
    : `partition column '${column}' was removed or is no longer a datetime`;
}

/** Plans every table; `reenablePerTick` bounds the `enable-export` actions of the whole database. */
export function planActions(input: PlanInput): TablePlan[] {
  const { policy } = input;
  const storageOk = input.probe !== undefined && [...input.probe.values()].every((r) => r.ok);
  const probeError = [...(input.probe?.values() ?? [])].find((r) => !r.ok);
  const fix = (cause: FailureCause, exportName: string): string =>
    fixFor(cause, {
      exportName,
      containers: policy.containers,
      managedIdentity: policy.export.managedIdentity,
    });
  // Longest-stalled first: a never-run export (no ExportedTo) before the oldest ExportedTo.
  const enableOrder = input.assessments
    .filter((a) => a.state === 'disabled')
    .sort((x, y) => (x.export?.exportedTo?.getTime() ?? 0) - (y.export?.exportedTo?.getTime() ?? 0))
    .map((a) => a.table);
  const byTable = new Map(input.assessments.map((x) => [x.table, x] as const));
  let enabled = 0;
  const plans = new Map<string, TablePlan>();
  for (const table of [...enableOrder, ...input.assessments.map((a) => a.table)]) {
    if (plans.has(table)) continue;
    const a = byTable.get(table)!;
    const d = input.diagnoses.get(table);
    const cause = d?.cause ?? null;
    const exportName = a.record?.exportName ?? '';
    const plan = (actions: MonitorAction[], alert: Alert | null, notes: string[] = []): void =>
      void plans.set(table, { table, actions, alert, notes: [...a.problems, ...notes] });
    if (a.state === 'invalid') {
      plan([], {
        message: `catalog record of '${table}' is invalid: ${a.problems.join('; ')}`,
        fix: 'Re-run setup for the database to rewrite the record.',
      });
    } else if (a.state === 'source-dropped') {
      plan(a.record?.state === 'source-dropped' ? [] : [{ kind: 'mark-source-dropped', table }], null, [
        'the table was dropped in the source; its backup is kept',
      ]);
    } else if (a.state === 'missing') {
      if (a.setup) plan([{ kind: 'start-setup', table, setup: a.setup }], null);
      else
        plan([], {
          message: `table '${table}' has no backup: ${a.problems.join('; ')}`,
          fix: 'Fix the backup policy (re-run setup with a valid partitionColumns / include), then the monitor sets the table up.',
        });
    } else if (a.state === 'healthy') {
      plan([], null);
    } else if (partitionProblem(a) !== null) {
      plan([], {
        message: `schema drift on '${table}' (${describeDrift(a.drift!)}): ${partitionProblem(a)!}`,
        fix: `Re-run setup with partitionColumns.${table} naming a datetime column.`,
      });
    } else if (a.state === 'disabled') {
      const repair = repairFor(a, cause);
      if (cause === 'storage-inaccessible' && !storageOk) {
        const probe = probeError && !probeError.ok ? ` A test write still fails: ${probeError.error}` : '';
        plan([], {
          message: `continuous export '${exportName}' is disabled after failing${failureText(d)}.${probe}`,
          fix: fix(cause, exportName),
        });
      } else if (enabled < input.reenablePerTick) {
        enabled++;
        plan([...(repair ? [repair] : []), { kind: 'enable-export', table, exportName }], null);
      } else {
        plan([], null, [
          `re-enable deferred: at most ${input.reenablePerTick} exports are re-enabled per tick`,
        ]);
      }
    } else {
      // drifted, failing, late: the export is enabled and retries by itself once the cause is gone.
      const repair = repairFor(a, cause);
      if (repair) plan([repair], null);
      else if (a.state === 'late' && cause === null) {
        const minutes = Math.round((a.latenessMs ?? 0) / 60_000);
        plan([], {
          message: `continuous export '${exportName}' is ${minutes} minutes behind without failing`,
          fix: fix('throttling', exportName),
        });
      } else {
        plan([], {
          message: `continuous export '${exportName}' is failing${failureText(d)}`,
          fix: fix(cause ?? 'unknown', exportName),
        });
      }
    }
  }
  return input.assessments.map((a) => plans.get(a.table)!);
}
