/** Shared fixtures of the restore unit tests: cluster answers, a request, the backup's files. */
import type { ResultTable } from '../../../lib/kusto/types';
import type { RestoreRequest } from '../../../lib/restore/types';
import type { ArtifactRecord } from '../../../lib/storage/catalog';
import { table } from '../../helpers/resultTables';

export const CLUSTER = 'https://src.westeurope.kusto.windows.net';
export const TARGET = 'https://dst.westeurope.kusto.windows.net';
export const CONTAINER = 'https://acct1.blob.core.windows.net/backup';

export const ORDERS = [
  { name: 'Ts', type: 'datetime' },
  { name: 'Id', type: 'long' },
  { name: 'Customer', type: 'string' },
];

/** `.show database D schema as json` holding `tables` (name -> `col:type` list). */
export function databaseSchema(database: string, tables: Record<string, string[]>): ResultTable {
  const Tables = Object.fromEntries(
    Object.entries(tables).map(([name, cols]) => [
      name,
      { Name: name, OrderedColumns: cols.map((c) => ({ Name: c.split(':')[0], CslType: c.split(':')[1] })) },
    ]),
  );
  return table('DatabaseSchema:string', [
    [JSON.stringify({ Databases: { [database]: { Name: database, Tables } } })],
  ]);
}

/** `.show continuous-exports` with one row per export. */
export function exportsAnswer(exports: { name: string; scoped?: string[]; query: string }[]): ResultTable {
  return table(
    'Name:string, ExternalTableName:string, Query:string, ForcedLatency:timespan, IntervalBetweenRuns:timespan, CursorScopedTables:string, ExportProperties:string, LastRunTime:datetime, StartCursor:string, IsDisabled:bool, LastRunResult:string, ExportedTo:datetime, IsRunning:bool',
    exports.map((e) => [
      e.name,
      'ext',
      e.query,
      null,
      '00:05:00',
      JSON.stringify(e.scoped ?? []),
      '{}',
      null,
      '1',
      false,
      '',
      null,
      false,
    ]),
  );
}

/** A request for Orders of Sales into SalesRestore. */
export function request(over: Partial<RestoreRequest> = {}): RestoreRequest {
  return {
    restoreId: 'r1',
    source: { clusterUri: CLUSTER, database: 'Sales', tables: ['Orders'], containers: [CONTAINER] },
    target: { clusterUri: TARGET, database: 'SalesRestore' },
    renames: {},
    asOf: null,
    partitions: null,
    mode: 'new-tables',
    allowExportedTarget: false,
    dryRun: false,
    ...over,
  };
}

/** A catalog artifact of Orders in the day folder of `day`. */
export function artifact(
  file: string,
  day: string | null,
  over: Partial<ArtifactRecord> = {},
): ArtifactRecord {
  const folder = day === null ? '' : `${day.replace(/-/g, '')}/`;
  return {
    database: 'Sales',
    table: 'Orders',
    path: `${CONTAINER}/Sales/Orders/${folder}${file}`,
    partitionDate: day,
    numRecords: 10,
    sizeInBytes: 1000,
    source: 'continuous',
    state: 'committed',
    committedAt: '2025-06-01T00:00:00.000Z',
    chunkId: null,
    ...over,
  };
}
