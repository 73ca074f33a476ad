/**
 * Backup setup of one table: IngestionTime policy, external table, continuous export (each read
 * first and changed only when different), then the historical export up to the export's
 * StartCursor unless the catalog says it is already complete for that cursor. A failure is
 * recorded in the catalog and returned as data, so one bad table does not stop the others.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import type {
  EnsureExportOutput,
  EnsureOutput,
  RecordTableStateInput,
  RecordTableStateOutput,
  TableActivityInput,
} from '../activities/contracts';
import type { TableBackupPlan } from '../domain/provisioning';
import {
  ActivityNames,
  OrchestratorNames,
  backupExternalTableName,
  historicalExportInstanceId,
} from '../names';
import { failureReason, idempotentRetry } from './common';
import type { HistoricalExportInput, HistoricalExportResult } from './historicalExport';

/** Input of the orchestrator. */
export interface SetupTableInput {
  readonly clusterUri: string;
  readonly plan: TableBackupPlan;
  readonly chunkTargetRows: number;
}

/** Outcome of one table's setup. */
export interface SetupTableResult {
  readonly table: string;
  readonly status: 'ready' | 'failed';
  /** What was created or changed (empty on an unchanged rerun). */
  readonly changed: readonly string[];
  readonly startCursor: string | null;
  readonly historical?: { readonly chunks: number; readonly rows: number; readonly skipped: boolean };
  readonly error?: string;
}

/** The orchestrator (registered as `OrchestratorNames.setupTable`). */
export function* setupTableOrchestrator(
  ctx: OrchestrationContext,
): Generator<Task, SetupTableResult, unknown> {
  const { clusterUri, plan, chunkTargetRows } = ctx.df.getInput<SetupTableInput>();
  const retry = idempotentRetry();
  const act: TableActivityInput = { clusterUri, plan };
  const changed: string[] = [];
  let startCursor: string | null = null;
  try {
    const steps = [
      ['ingestion-time-policy', ActivityNames.ensureIngestionTimePolicy],
      ['external-table', ActivityNames.ensureExternalTable],
    ] as const;
    for (const [what, activity] of steps) {
      const out = (yield ctx.df.callActivityWithRetry(activity, retry, act)) as EnsureOutput;
      if (out.changed) changed.push(`${what}: ${out.differences.join('; ')}`);
    }
    const exp = (yield ctx.df.callActivityWithRetry(
      ActivityNames.ensureContinuousExport,
      retry,
      act,
    )) as EnsureExportOutput;
    if (exp.changed) changed.push(`continuous-export: ${exp.differences.join('; ')}`);
    startCursor = exp.startCursor;
    const begin = (yield ctx.df.callActivityWithRetry(ActivityNames.recordTableState, retry, {
      ...act,
      phase: 'begin',
      startCursor,
    } satisfies RecordTableStateInput)) as RecordTableStateOutput;
    let historical = { chunks: begin.chunks, rows: begin.rows, skipped: true };
    if (!begin.historicalDone) {
      const exported = (yield ctx.df.callSubOrchestrator(
        OrchestratorNames.historicalExport,
        {
          clusterUri,
          database: plan.database,
          table: plan.table,
          externalTable: backupExternalTableName(plan.table),
          cursor: startCursor,
          partitioned: plan.partitionColumn !== null,
          chunkTargetRows,
          ...(plan.export.sizeLimitBytes !== undefined ? { sizeLimitBytes: plan.export.sizeLimitBytes } : {}),
        } satisfies HistoricalExportInput,
        historicalExportInstanceId(ctx.df.instanceId),
      )) as HistoricalExportResult;
      historical = { chunks: exported.chunks, rows: exported.rows, skipped: false };
    }
    yield ctx.df.callActivityWithRetry(ActivityNames.recordTableState, retry, {
      ...act,
      phase: 'ready',
      startCursor,
      historical: { chunks: historical.chunks, rows: historical.rows },
    } satisfies RecordTableStateInput);
    return { table: plan.table, status: 'ready', changed, startCursor, historical };
  } catch (error) {
    const reason = failureReason(error);
    if (!ctx.df.isReplaying) ctx.error(`setup of table '${plan.table}' failed: ${reason}`);
    try {
      yield ctx.df.callActivity(ActivityNames.recordTableState, {
        ...act,
        phase: 'failed',
        startCursor,
        error: reason,
      } satisfies RecordTableStateInput);
    } catch {
      // The failure is returned below either way; a catalog outage must not hide it.
    }
    return { table: plan.table, status: 'failed', changed, startCursor, error: reason };
  }
}
