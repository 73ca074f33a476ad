/**
 * `recordTableState`: the table's catalog record around its setup. At `begin` it says whether the
 * historical export up to this StartCursor is already complete (then it is not run again); if not,
 * historical artifacts committed by an earlier, unfinished or superseded run are demoted to orphans,
 * because the new run exports those rows again and a restore must not read them twice.
 */
import type { TableBackupRecord, TableBackupState } from '../storage/catalog';
import { backupContinuousExportName, backupExternalTableName } from '../names';
import type { ActivityDeps, RecordTableStateInput, RecordTableStateOutput } from './contracts';

function record(
  input: RecordTableStateInput,
  state: TableBackupState,
  fields: Partial<TableBackupRecord>,
): TableBackupRecord {
  const { plan } = input;
  return {
    cluster: input.clusterUri,
    database: plan.database,
    table: plan.table,
    state,
    exportName: backupContinuousExportName(plan.table),
    externalTableName: backupExternalTableName(plan.table),
    partitionColumn: plan.partitionColumn,
    startCursor: input.startCursor,
    columns: plan.columns.map((c) => ({ name: c.name, type: c.type })),
    historicalChunks: 0,
    historicalRows: 0,
    lastError: null,
    updatedAt: new Date().toISOString(),
    ...fields,
  };
}

/** Builds the activity handler. */
export function createRecordTableStateActivity(
  deps: Pick<ActivityDeps, 'catalog' | 'logger'>,
): (input: RecordTableStateInput) => Promise<RecordTableStateOutput> {
  return async (input) => {
    const { catalog } = deps;
    const { plan } = input;
    const existing = await catalog.getTable(input.clusterUri, plan.database, plan.table);
    if (input.phase === 'begin') {
      if (existing?.state === 'ready' && existing.startCursor === input.startCursor) {
        return { historicalDone: true, chunks: existing.historicalChunks, rows: existing.historicalRows };
      }
      const stale = (await catalog.listArtifacts(plan.database, plan.table)).filter(
        (a) => a.source === 'historical' && a.state === 'committed',
      );
      if (stale.length > 0) {
        await catalog.putArtifacts(stale.map((a) => ({ ...a, state: 'orphan' as const })));
        deps.logger.warn('historical artifacts of an earlier run demoted to orphans', {
          table: plan.table,
          artifacts: stale.length,
        });
      }
      await catalog.putTable(record(input, 'historical', {}));
      return { historicalDone: false, chunks: 0, rows: 0 };
    }
    if (input.phase === 'ready') {
      await catalog.putTable(
        record(input, 'ready', {
          historicalChunks: input.historical.chunks,
          historicalRows: input.historical.rows,
        }),
      );
      return { historicalDone: true, ...input.historical };
    }
    await catalog.putTable(
      record(input, 'failed', {
        lastError: input.error,
        startCursor: input.startCursor ?? existing?.startCursor ?? null,
      }),
    );
    return { historicalDone: false, chunks: 0, rows: 0 };
  };
}
