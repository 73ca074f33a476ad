/**
 * `startExports`: reads the free export capacity (`.show capacity`, DataExport Remaining) and starts
 * `.export async to table` for at most that many of the given chunks, in order. Every per-chunk
 * outcome is returned as data; once an export has been started this activity never throws, so a
 * retry can never start the same chunk twice unknowingly.
 */
import { ThrottledError, isRetryable } from '../errors';
import { exportChunkAsync, showCapacity } from '../kusto/commands';
import { findCapacity, parseCapacity, parseOperationId } from '../kusto/results';
import type { Chunk } from '../domain/chunks';
import { errorText } from './common';
import type { ActivityDeps, StartExportsInput, StartExportsOutput } from './contracts';

/** The `.export async` range of a planned chunk. */
function rangeOf(chunk: Chunk): { from: Date; to: Date } | { nullIngestionTime: true } {
  return chunk.kind === 'range'
    ? { from: new Date(chunk.from), to: new Date(chunk.to) }
    : { nullIngestionTime: true };
}

/** Builds the activity handler. */
export function createStartExportsActivity(
  deps: Pick<ActivityDeps, 'gatewayFor' | 'logger'>,
): (input: StartExportsInput) => Promise<StartExportsOutput> {
  return async (input) => {
    const gateway = deps.gatewayFor(input.clusterUri);
    const row = findCapacity(
      parseCapacity(await gateway.execute(input.database, showCapacity())),
      'DataExport',
    );
    // A cluster that does not report export capacity gets one export at a time.
    const remaining = row ? Math.max(0, row.remaining) : 1;
    const started: { chunkId: string; operationId: string }[] = [];
    const throttled: string[] = [];
    const failed: { chunkId: string; error: string; permanent: boolean }[] = [];
    for (const chunk of input.chunks.slice(0, remaining)) {
      try {
        const command = exportChunkAsync({
          table: input.table,
          externalTable: input.externalTable,
          cursor: input.cursor,
          range: rangeOf(chunk),
          ...(input.sizeLimitBytes !== undefined ? { sizeLimitBytes: input.sizeLimitBytes } : {}),
        });
        started.push({
          chunkId: chunk.id,
          operationId: parseOperationId(await gateway.execute(input.database, command)),
        });
      } catch (error) {
        if (error instanceof ThrottledError) throttled.push(chunk.id);
        else failed.push({ chunkId: chunk.id, error: errorText(error), permanent: !isRetryable(error) });
      }
    }
    deps.logger.info('historical exports started', {
      table: input.table,
      started: started.length,
      throttled: throttled.length,
      failed: failed.length,
      remaining,
    });
    return {
      started,
      throttled,
      failed,
      capacity: row ? { total: row.total, remaining: row.remaining } : null,
    };
  };
}
