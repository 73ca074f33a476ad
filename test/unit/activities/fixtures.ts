/** Shared fixtures of the activity tests: a table plan and the answers a cluster gives about it. */
import type { TableBackupPlan } from '../../../lib/domain/provisioning';
import type { ResultTable } from '../../../lib/kusto/types';
import { table } from '../../helpers/resultTables';

export const CLUSTER = 'https://c1.westeurope.kusto.windows.net';
export const CONTAINER = 'https://acct1.blob.core.windows.net/backup';

export const PLAN: TableBackupPlan = {
  database: 'db',
  table: 'Events',
  columns: [
    { name: 'Timestamp', type: 'datetime' },
    { name: 'Id', type: 'long' },
  ],
  partitionColumn: 'Timestamp',
  containers: [CONTAINER],
  storageAuth: { kind: 'impersonate' },
  export: { intervalMs: 300_000, managedIdentity: 'system' },
};

/** `.show external table` for the table PLAN needs (reference §1.11 shape). */
export function externalTableRow(overrides: { connection?: string; pathFormat?: string } = {}): ResultTable {
  return table(
    'TableName:string, TableType:string, Folder:string, DocString:string, Properties:string, ConnectionStrings:dynamic, Partitions:dynamic, PathFormat:string',
    [
      [
        'adxbackup_Events',
        'Blob',
        '',
        '',
        '{"Format":"Parquet","Compressed":false}',
        [overrides.connection ?? `${CONTAINER}/db/Events;impersonate`],
        '[{"Function":"StartOfDay","Name":"Day","ColumnName":"Timestamp","Ordinal":0}]',
        overrides.pathFormat ?? 'datetime_pattern("yyyyMMdd",Day)',
      ],
    ],
  );
}

/** `.show external table X schema as json`. */
export function externalSchemaRow(columns = 'Timestamp:datetime,Id:long'): ResultTable {
  const ordered = columns.split(',').map((c) => {
    const [Name, CslType] = c.split(':');
    return { Name, CslType };
  });
  return table('TableName:string, Schema:string, DatabaseName:string, Folder:string, DocString:string', [
    ['adxbackup_Events', JSON.stringify({ Name: 'adxbackup_Events', OrderedColumns: ordered }), 'db', '', ''],
  ]);
}

/** `.show continuous-export X` (all 13 columns, reference §1.1). */
export function continuousExportRow(
  fields: { query?: string; interval?: string; cursor?: string } = {},
): ResultTable {
  return table(
    'Name:string, ExternalTableName:string, Query:string, ForcedLatency:timespan, IntervalBetweenRuns:timespan, CursorScopedTables:string, ExportProperties:string, LastRunTime:datetime, StartCursor:string, IsDisabled:bool, LastRunResult:string, ExportedTo:datetime, IsRunning:bool',
    [
      [
        'adxbackup_Events',
        'adxbackup_Events',
        fields.query ?? "['Events']",
        null,
        fields.interval ?? '00:05:00',
        `["['db'].['Events']"]`,
        '{\n  "ManagedIdentity": "system"\n}',
        null,
        fields.cursor ?? '637000000000000042',
        false,
        '',
        null,
        false,
      ],
    ],
  );
}
