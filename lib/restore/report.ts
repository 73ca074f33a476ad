/**
 * What `GET /api/restores/{id}` answers, built from the stored state: per table the folders done of
 * total, blobs queued of total, rows ingested of expected, failures, and the final report once the
 * restore ended. Pure; secrets never reach it (the state holds no SAS).
 */
import type { BatchStatus, RestoreRecord, TableProgress } from './state';

/** One table in the status answer. */
export interface TableStatusView {
  readonly source: string;
  readonly target: string;
  readonly staging: string;
  readonly state: TableProgress['state'];
  readonly folders: { readonly done: number; readonly total: number };
  readonly blobs: { readonly queued: number; readonly total: number };
  readonly rows: { readonly ingested: number; readonly expected: number };
  readonly requeued: number;
  readonly failures: TableProgress['failures'];
  readonly error: string | null;
  readonly result: unknown;
}

/** The status answer. */
export interface RestoreStatusView {
  readonly restoreId: string;
  readonly status: RestoreRecord['status'];
  /** The orchestration's runtime status, when the durable client knows the instance. */
  readonly runtimeStatus: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly error: string | null;
  readonly request: Omit<RestoreRecord['request'], 'restoreId' | 'dryRun'>;
  readonly tables: readonly TableStatusView[];
  readonly warnings: readonly string[];
  readonly report: unknown;
}

/** Builds the status answer. */
export function restoreStatusView(
  restoreId: string,
  record: RestoreRecord,
  tables: readonly TableProgress[],
  batches: readonly BatchStatus[],
  runtimeStatus: string | null,
): RestoreStatusView {
  const queued = new Map<string, number>();
  for (const b of batches) queued.set(b.table, (queued.get(b.table) ?? 0) + Math.min(b.queuedCount, b.count));
  const { restoreId: _id, dryRun: _dry, ...request } = record.request;
  return {
    restoreId,
    status: record.status,
    runtimeStatus,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    error: record.error,
    request,
    tables: tables.map((t) => ({
      source: t.plan.source,
      target: t.plan.target,
      staging: t.plan.staging,
      state: t.state,
      folders: {
        done: t.state === 'completed' ? t.plan.folders.length : t.foldersDone,
        total: t.plan.folders.length,
      },
      blobs: { queued: queued.get(t.plan.source) ?? 0, total: t.plan.blobs },
      rows: { ingested: t.rowsIngested, expected: t.plan.rows },
      requeued: t.requeued,
      failures: t.failures,
      error: t.error,
      result: t.result,
    })),
    warnings: record.warnings,
    report: record.report,
  };
}
