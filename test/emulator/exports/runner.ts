/**
 * Continuous-export runs, driven by the virtual clock. Each run exports the fact tables' extents in
 * the cursor window (exported cursor, current cursor] (minus what `forcedLatency` holds back) joined
 * with whole dimension tables, writes new artifacts, and advances the cursor only on success.
 * Failures are evaluated at run time from the state (external table gone, schema drift, storage
 * inaccessible, faults) and recorded; an export failing permanently for more than 7 days is
 * disabled automatically (reference §4).
 */
import { randomUUID } from 'node:crypto';
import type { EmulatorCore, ExportEngine } from '../core';
import { KustoError } from '../kustoError';
import type { ContinuousExport, Database, Extent } from '../state';
import type { KValue } from '../values';
import { activityOf, asyncExportsIdle, hasExportCapacity } from './activity';
import { exportProperty, HISTORY_RETENTION_MS } from './continuousExports';
import { destinationOf } from './exportCommands';
import {
  alignRows,
  cursorScopedEnv,
  externalTableNotFound,
  runQuery,
  schemaMismatch,
  schemaMismatchError,
} from './query';
import { ExportWriteError, writeArtifacts } from './writer';

/** An export failing permanently for longer than this is disabled (reference §4). */
export const AUTO_DISABLE_AFTER_MS = 7 * 86_400_000;

/** Outcome of one run (also useful to tests driving runs directly). */
export type RunOutcome =
  | { readonly result: 'Completed'; readonly artifacts: number; readonly records: number }
  | { readonly result: 'Failed'; readonly details: string; readonly permanent: boolean };

/**
 * The cursor a run may export up to: the current cursor, lowered below the first fact extent that
 * `forcedLatency` still holds back (extents are cursor-ordered, so nothing after it is taken either).
 */
function windowEnd(core: EmulatorCore, db: Database, exp: ContinuousExport): bigint {
  let end = core.state.currentCursor();
  if (exp.forcedLatency === null) return end;
  const cutoff = core.state.clock.now() - exp.forcedLatency;
  for (const name of exp.cursorScopedTables) {
    for (const extent of db.tables.get(name)?.extents ?? []) {
      if (
        extent.cursor > exp.exportedCursor &&
        extent.ingestionTime !== null &&
        extent.ingestionTime > cutoff &&
        extent.cursor - 1n < end
      ) {
        end = extent.cursor - 1n;
      }
    }
  }
  return end < exp.exportedCursor ? exp.exportedCursor : end;
}

function kustoErrorOf(error: unknown): KustoError {
  if (error instanceof ExportWriteError) return error.kustoError;
  if (error instanceof KustoError) return error;
  return new KustoError(
    500,
    'Internal_ServiceError',
    (error as Error)?.message ?? String(error),
    'Kusto.Data.Exceptions.KustoServiceException',
    false,
  );
}

/** Drops history older than the retention window (keeps memory bounded in long simulations). */
function pruneHistory(core: EmulatorCore, db: Database): void {
  const since = core.state.clock.now() - HISTORY_RETENTION_MS;
  if (db.artifacts.length > 0 && db.artifacts[0]!.timestamp < since)
    db.artifacts = db.artifacts.filter((a) => a.timestamp >= since);
  if (db.exportFailures.length > 0 && db.exportFailures[0]!.timestamp < since) {
    db.exportFailures = db.exportFailures.filter((f) => f.timestamp >= since);
  }
}

/** Runs one continuous export now, whether or not it is due. */
export async function runContinuousExport(
  core: EmulatorCore,
  db: Database,
  exp: ContinuousExport,
): Promise<RunOutcome> {
  const { state } = core;
  const startedAt = state.clock.now();
  const operationId = randomUUID();
  const activity = activityOf(state);
  exp.isRunning = true;
  exp.lastRunTime = startedAt;
  activity.continuous += 1;
  try {
    const table = db.externalTables.get(exp.externalTableName);
    if (!table) throw externalTableNotFound(exp.externalTableName);
    const from = exp.exportedCursor;
    const to = windowEnd(core, db, exp);
    const include = (e: Extent): boolean => e.cursor > from && e.cursor <= to;
    const facts = new Set(exp.cursorScopedTables);
    const relation = await runQuery(exp.query, cursorScopedEnv(core, db, facts, include));
    const why = schemaMismatch(relation.columns, table);
    if (why) throw schemaMismatchError(table, relation.columns, why);
    const rows: KValue[][] = alignRows(relation, table.columns);
    const artifacts = await writeArtifacts(core, destinationOf(table), rows, {
      sizeLimit: numberOf(exportProperty(exp, 'sizeLimit')),
      parquetRowGroupSize: numberOf(exportProperty(exp, 'parquetRowGroupSize')),
    });
    const finishedAt = state.clock.now();
    for (const a of artifacts) {
      db.artifacts.push({
        exportName: exp.name,
        timestamp: finishedAt,
        externalTableName: table.name,
        path: a.path,
        numRecords: a.numRecords,
        sizeInBytes: a.sizeInBytes,
      });
    }
    // ExportedTo: the newest ingestion time exported; when nothing was pending, everything up to now.
    let exportedTo: number | null = null;
    for (const name of facts) {
      for (const extent of db.tables.get(name)?.extents ?? []) {
        if (include(extent) && extent.ingestionTime !== null)
          exportedTo = Math.max(exportedTo ?? extent.ingestionTime, extent.ingestionTime);
      }
    }
    exp.exportedTo = exportedTo ?? finishedAt;
    exp.exportedCursor = to;
    exp.lastRunResult = 'Completed';
    exp.lastSuccessRun = startedAt;
    exp.permanentFailureSince = null;
    return { result: 'Completed', artifacts: artifacts.length, records: rows.length };
  } catch (error) {
    const kusto = kustoErrorOf(error);
    const partial = error instanceof ExportWriteError && error.artifacts.length > 0;
    db.exportFailures.push({
      exportName: exp.name,
      timestamp: state.clock.now(),
      operationId,
      lastSuccessRun: exp.lastSuccessRun,
      failureKind: partial ? 'PartialFailure' : 'Failure',
      details: kusto.message,
      permanent: kusto.permanent,
    });
    exp.lastRunResult = 'Failed';
    if (kusto.permanent) {
      exp.permanentFailureSince ??= startedAt;
      if (startedAt - exp.permanentFailureSince > AUTO_DISABLE_AFTER_MS) exp.isDisabled = true;
    } else {
      exp.permanentFailureSince = null;
    }
    return { result: 'Failed', details: kusto.message, permanent: kusto.permanent };
  } finally {
    exp.isRunning = false;
    activity.continuous -= 1;
    pruneHistory(core, db);
  }
}

function numberOf(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** Whether an export should run now. */
function isDue(exp: ContinuousExport, now: number): boolean {
  if (exp.isDisabled || exp.isRunning) return false;
  return exp.lastRunTime === null || exp.lastRunTime + exp.intervalBetweenRuns <= now;
}

/**
 * Runs every due enabled continuous export of every database, oldest last run first (never-run
 * exports first). An export finding no free export capacity stays due for the next call.
 */
export async function runDueContinuousExports(core: EmulatorCore): Promise<void> {
  const now = core.state.clock.now();
  const due: { db: Database; exp: ContinuousExport }[] = [];
  for (const db of core.state.databases.values()) {
    for (const exp of db.continuousExports.values()) if (isDue(exp, now)) due.push({ db, exp });
  }
  due.sort(
    (a, b) =>
      (a.exp.lastRunTime ?? -Infinity) - (b.exp.lastRunTime ?? -Infinity) ||
      a.exp.createdOn - b.exp.createdOn,
  );
  for (const { db, exp } of due) {
    if (!hasExportCapacity(core.state)) break;
    // The export may have been dropped or disabled by an earlier run's side effects.
    if (db.continuousExports.get(exp.name) !== exp || !isDue(exp, now)) continue;
    await runContinuousExport(core, db, exp);
  }
}

/** Creates the export engine over the emulator core (resolved lazily: the core is built after it). */
export function createExportEngine(coreRef: () => EmulatorCore): ExportEngine {
  return {
    runDueContinuousExports: () => runDueContinuousExports(coreRef()),
    idle: () => asyncExportsIdle(coreRef().state),
  };
}
