/**
 * `planHistoricalChunks`: one query counts the rows below the StartCursor per ingestion day, and
 * the days are grouped into chunks of about the target size (rows without an ingestion time form a
 * chunk of their own).
 */
import { PermanentError } from '../errors';
import type { DayCount } from '../domain/chunks';
import { planChunks } from '../domain/chunks';
import { countByIngestionDay } from '../kusto/commands';
import { parseKustoDateTime } from '../kusto/results';
import type { ResultTable } from '../kusto/types';
import type { ActivityDeps, PlanChunksInput, PlanChunksOutput } from './contracts';

/**
 * Reads the `summarize count() by bin(ingestion_time(), 1d)` answer. Columns are found by type
 * (the datetime bin and the long count), since the service names the bin column after the
 * expression.
 */
export function parseDayCounts(table: ResultTable): DayCount[] {
  const countAt = table.columns.findIndex((c) => /^(long|int)$/i.test(c.type) || c.name === 'count_');
  const dayAt = table.columns.findIndex((c, i) => i !== countAt && /^datetime$/i.test(c.type));
  if (countAt < 0 || dayAt < 0) {
    throw new PermanentError(
      `count by ingestion day: expected a datetime and a count column, got ${table.columns.map((c) => `${c.name}:${c.type}`).join(', ')}`,
    );
  }
  return table.rows.map((row, i) => {
    const raw = row[dayAt];
    const day =
      raw === null || raw === undefined || raw === ''
        ? null
        : typeof raw === 'string'
          ? parseKustoDateTime(raw)
          : undefined;
    const count = Number(row[countAt]);
    if (day === undefined || !Number.isFinite(count)) {
      throw new PermanentError(`count by ingestion day: row ${i} is malformed`);
    }
    return { day, count };
  });
}

/** Builds the activity handler. */
export function createPlanHistoricalChunksActivity(
  deps: Pick<ActivityDeps, 'gatewayFor' | 'logger'>,
): (input: PlanChunksInput) => Promise<PlanChunksOutput> {
  return async (input) => {
    const answer = await deps
      .gatewayFor(input.clusterUri)
      .execute(input.database, countByIngestionDay(input.table, input.cursor));
    const counts = parseDayCounts(answer);
    const chunks = planChunks(counts, input.targetRows);
    const rows = counts.reduce((n, c) => n + c.count, 0);
    deps.logger.info('historical export planned', { table: input.table, rows, chunks: chunks.length });
    return { chunks, rows };
  };
}
