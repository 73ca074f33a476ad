/**
 * `ensureExternalTable`: the parquet external table that receives a table's backup. The current
 * definition is read (`.show external table X` and its schema) and `.create-or-alter` is sent only
 * when it is missing or differs from what the plan needs.
 */
import { createOrAlterExternalTable, showExternalTable, showExternalTableSchema } from '../kusto/commands';
import { parseExternalTables, parseTableSchemas } from '../kusto/results';
import type { ResultTable } from '../kusto/types';
import { lenientJson } from '../kusto/json';
import type { ActualExternalTable, ActualPartition } from '../domain/provisioning';
import { desiredExternalTable, externalTableDifferences } from '../domain/provisioning';
import { backupExternalTableName } from '../names';
import { isNotFound } from './common';
import type { ActivityDeps, EnsureOutput, TableActivityInput } from './contracts';

/**
 * The `Partitions` cell of `.show external table` (reference §1.11:
 * `[{"Function":"StartOfDay","Name":"Date","ColumnName":"Timestamp","Ordinal":1}]`); undefined when
 * the cluster does not send the column, so it is not compared.
 */
export function partitionsOf(table: ResultTable): ActualPartition[] | undefined {
  const at = table.columns.findIndex((c) => c.name.toLowerCase() === 'partitions');
  const cell = at < 0 ? undefined : table.rows[0]?.[at];
  if (cell === undefined) return undefined;
  const parsed = cell === null || cell === '' ? [] : lenientJson(cell);
  if (!Array.isArray(parsed)) return undefined;
  return parsed.map((p: unknown) => {
    const o = (typeof p === 'object' && p !== null ? p : {}) as Record<string, unknown>;
    return {
      name: typeof o.Name === 'string' ? o.Name : '',
      ...(typeof o.ColumnName === 'string' ? { column: o.ColumnName } : {}),
      ...(typeof o.Function === 'string' ? { fn: o.Function } : {}),
    };
  });
}

/** Builds the activity handler. */
export function createEnsureExternalTableActivity(
  deps: Pick<ActivityDeps, 'gatewayFor'>,
): (input: TableActivityInput) => Promise<EnsureOutput> {
  return async ({ clusterUri, plan }) => {
    const gateway = deps.gatewayFor(clusterUri);
    const name = backupExternalTableName(plan.table);
    let differences: string[];
    try {
      const shown = await gateway.execute(plan.database, showExternalTable(name));
      const [info] = parseExternalTables(shown);
      const [schema] = parseTableSchemas(await gateway.execute(plan.database, showExternalTableSchema(name)));
      const has = (column: string): boolean => shown.columns.some((c) => c.name === column);
      const partitions = partitionsOf(shown);
      const actual: ActualExternalTable = {
        columns: schema?.columns ?? [],
        ...(typeof info?.properties.Format === 'string' ? { format: info.properties.Format } : {}),
        ...(has('ConnectionStrings') && info ? { connectionStrings: info.connectionStrings } : {}),
        ...(has('PathFormat') && info ? { pathFormat: info.pathFormat } : {}),
        ...(partitions !== undefined ? { partitions } : {}),
      };
      differences = externalTableDifferences(plan, actual);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      differences = ['missing'];
    }
    if (differences.length === 0) return { changed: false, differences };
    await gateway.execute(plan.database, createOrAlterExternalTable(desiredExternalTable(plan)));
    return { changed: true, differences };
  };
}
