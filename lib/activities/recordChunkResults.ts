/**
 * `recordChunkResults`: for every completed chunk, reads what its export wrote
 * (`.show operation X details`) and records those artifacts as committed historical artifacts, then
 * records every chunk's state. A chunk whose details cannot be read is reported as data; the
 * orchestration exports it again and its first files stay uncommitted (orphans).
 */
import type { ArtifactRecord, ChunkRecord, ChunkState } from '../storage/catalog';
import { artifactPartitionDate, withoutQuery } from '../storage/layout';
import type { ChunkTask, RecordedChunk } from '../domain/historicalProgress';
import { showOperationDetails } from '../kusto/commands';
import { parseExportToTableDetails } from '../kusto/results';
import { errorText } from './common';
import type { ActivityDeps, RecordChunksInput, RecordChunksOutput } from './contracts';

function chunkRecord(
  task: ChunkTask,
  state: ChunkState,
  fields: { exportedRows?: number; artifactCount?: number; detail?: string | null },
): ChunkRecord {
  const c = task.chunk;
  return {
    chunkId: c.id,
    kind: c.kind,
    from: c.kind === 'range' ? c.from : null,
    to: c.kind === 'range' ? c.to : null,
    expectedRows: c.expectedRows,
    state,
    operationId: task.operationId ?? null,
    attempts: task.attempts,
    exportedRows: fields.exportedRows ?? 0,
    artifactCount: fields.artifactCount ?? 0,
    detail: fields.detail ?? null,
    updatedAt: new Date().toISOString(),
  };
}

/** Builds the activity handler. */
export function createRecordChunkResultsActivity(
  deps: Pick<ActivityDeps, 'gatewayFor' | 'catalog'>,
): (input: RecordChunksInput) => Promise<RecordChunksOutput> {
  return async (input) => {
    const gateway = deps.gatewayFor(input.clusterUri);
    const recorded: RecordedChunk[] = [];
    const artifacts: ArtifactRecord[] = [];
    const chunks: ChunkRecord[] = input.updates.map((u) =>
      chunkRecord(u.task, u.state, { detail: u.detail }),
    );
    for (const { task, completedAt } of input.completed) {
      const id = task.chunk.id;
      try {
        const details = parseExportToTableDetails(
          await gateway.execute(input.database, showOperationDetails(task.operationId ?? '')),
        );
        const rows = details.reduce((n, d) => n + d.numRecords, 0);
        for (const d of details) {
          artifacts.push({
            database: input.database,
            table: input.table,
            path: withoutQuery(d.path),
            partitionDate: artifactPartitionDate(d.path, input.partitioned),
            numRecords: d.numRecords,
            sizeInBytes: d.sizeInBytes ?? null,
            source: 'historical',
            state: 'committed',
            committedAt: completedAt,
            chunkId: id,
          });
        }
        recorded.push({ chunkId: id, rows, artifacts: details.length });
        chunks.push(chunkRecord(task, 'completed', { exportedRows: rows, artifactCount: details.length }));
      } catch (error) {
        const text = errorText(error);
        recorded.push({ chunkId: id, rows: 0, artifacts: 0, error: text });
        chunks.push(chunkRecord(task, 'failed', { detail: `result unreadable: ${text}` }));
      }
    }
    // Artifacts first: a chunk recorded as completed always has its files in the catalog.
    if (artifacts.length > 0) await deps.catalog.putArtifacts(artifacts);
    if (chunks.length > 0)
      await deps.catalog.putChunks(input.clusterUri, input.database, input.table, chunks);
    return { chunks: recorded };
  };
}
