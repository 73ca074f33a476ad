/**
 * `restoreRecord`: records a table's failure, or the outcome and final report of the whole restore,
 * in the restore's stored state (what `GET /api/restores/{id}` shows).
 */
import type { TableResult } from '../restore/finish';
import type { RestoreDeps, RestoreRecordInput } from './restoreContracts';

/** The final report of a restore. */
export interface RestoreReport {
  readonly status: 'completed' | 'failed';
  readonly finishedAt: string;
  readonly tables: readonly TableResult[];
  readonly totals: {
    readonly rowsExpected: number;
    readonly rowsDeleted: number;
    readonly rowsRestored: number;
    readonly blobs: number;
  };
  readonly warnings: readonly string[];
  readonly error: string | null;
}

/** Builds the activity handler. */
export function createRestoreRecordActivity(
  deps: Pick<RestoreDeps, 'state'>,
): (input: RestoreRecordInput) => Promise<RestoreReport | null> {
  return async (input) => {
    if (input.table !== undefined) {
      await deps.state.patchTable(input.restoreId, input.table, { state: 'failed', error: input.error });
      return null;
    }
    const record = await deps.state.getRestore(input.restoreId);
    const sum = (f: (t: TableResult) => number): number => input.tables.reduce((n, t) => n + f(t), 0);
    const report: RestoreReport = {
      status: input.status,
      finishedAt: new Date().toISOString(),
      tables: input.tables,
      totals: {
        rowsExpected: sum((t) => t.rowsExpected),
        rowsDeleted: sum((t) => t.rowsDeleted),
        rowsRestored: sum((t) => t.rowsRestored),
        blobs: sum((t) => t.blobs),
      },
      warnings: [...(record?.warnings ?? []), ...input.tables.flatMap((t) => t.warnings)].filter(
        (w, i, all) => all.indexOf(w) === i,
      ),
      error: input.error,
    };
    await deps.state.patchRestore(input.restoreId, {
      status: input.status,
      report,
      error: input.error,
      updatedAt: report.finishedAt,
    });
    return report;
  };
}
