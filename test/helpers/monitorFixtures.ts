/**
 * Small builders for the monitor's unit tests: a policy, catalog records, `.show continuous-exports`
 * rows and live schemas of a healthy database, each overridable field by field.
 */
import type { MonitorSnapshot } from '../../lib/domain/monitorDiff';
import type { DatabaseStatus, TableStatus } from '../../lib/domain/monitorStatus';
import type { ResultTable } from '../../lib/kusto/types';
import type { ContinuousExport, DatabaseSchema, DatabaseTable } from '../../lib/kusto/results';
import { backupContinuousExportName, backupExternalTableName } from '../../lib/names';
import type { SetupInput } from '../../lib/orchestrations/setupDatabase';
import type { TableBackupRecord } from '../../lib/storage/catalog';
import { table } from './resultTables';

export const NOW = new Date('2026-02-01T12:00:00.000Z');
export const MINUTE = 60_000;
export const CLUSTER = 'https://c1.westeurope.kusto.windows.net';

export const POLICY: SetupInput = {
  clusterUri: CLUSTER,
  database: 'db',
  include: [],
  exclude: [],
  partitionColumns: {},
  containers: ['https://acct1.blob.core.windows.net/backup'],
  storageAuth: { kind: 'impersonate' },
  export: { intervalMs: 5 * MINUTE, managedIdentity: 'system' },
  chunkTargetRows: 1000,
  parallelism: 2,
};

export const COLS = [
  { name: 'Timestamp', type: 'datetime' },
  { name: 'Id', type: 'long' },
] as const;

/** A ready catalog record of `table` provisioned with `COLS`. */
export function record(table: string, over: Partial<TableBackupRecord> = {}): TableBackupRecord {
  return {
    cluster: CLUSTER,
    database: 'db',
    table,
    state: 'ready',
    exportName: backupContinuousExportName(table),
    externalTableName: backupExternalTableName(table),
    partitionColumn: 'Timestamp',
    startCursor: '637000000000000001',
    columns: COLS.map((c) => ({ ...c })),
    historicalChunks: 1,
    historicalRows: 10,
    lastError: null,
    updatedAt: NOW.toISOString(),
    ...over,
  };
}

/** A healthy export of `table` that ran a minute ago. */
export function exportOf(table: string, over: Partial<ContinuousExport> = {}): ContinuousExport {
  return {
    name: backupContinuousExportName(table),
    externalTableName: backupExternalTableName(table),
    query: `['${table}']`,
    intervalBetweenRunsMs: 5 * MINUTE,
    cursorScopedTables: [`['db'].['${table}']`],
    exportProperties: { SizeLimit: 104857600 },
    lastRunTime: new Date(NOW.getTime() - MINUTE),
    startCursor: '637000000000000001',
    isDisabled: false,
    lastRunResult: 'Completed',
    exportedTo: new Date(NOW.getTime() - 2 * MINUTE),
    isRunning: false,
    ...over,
  };
}

/** A source table with `COLS` (or `columns`). */
export function live(name: string, columns: readonly { name: string; type: string }[] = COLS): DatabaseTable {
  return { name, columns: columns.map((c) => ({ name: c.name, cslType: c.type })) };
}

/** The live schema: these tables, and the backup external table of each `backedUp` one. */
export function schemaOf(tables: readonly DatabaseTable[], backedUp: readonly string[]): DatabaseSchema {
  return {
    databaseName: 'db',
    tables,
    externalTables: backedUp.map(backupExternalTableName),
    externalTablesListed: true,
    materializedViews: [],
    functions: [],
  };
}

/** A healthy database of `tables`, every part overridable. */
export function healthy(tables: readonly string[], over: Partial<MonitorSnapshot> = {}): MonitorSnapshot {
  return {
    policy: POLICY,
    records: tables.map((t) => ({ table: t, record: record(t) })),
    schema: schemaOf(
      tables.map((t) => live(t)),
      tables,
    ),
    exports: tables.map((t) => exportOf(t)),
    now: NOW,
    latenessThresholdMs: 60 * MINUTE,
    ...over,
  };
}

/** `.show continuous-exports` answering these exports (all 13 columns, reference §1.1). */
export function exportsAnswer(exports: readonly ContinuousExport[]): ResultTable {
  const iso = (d: Date | undefined): string | null => d?.toISOString() ?? null;
  return table(
    'Name:string, ExternalTableName:string, Query:string, ForcedLatency:timespan, IntervalBetweenRuns:timespan, CursorScopedTables:string, ExportProperties:string, LastRunTime:datetime, StartCursor:string, IsDisabled:bool, LastRunResult:string, ExportedTo:datetime, IsRunning:bool',
    exports.map((e) => [
      e.name,
      e.externalTableName,
      e.query,
      null,
      '00:05:00',
      JSON.stringify(e.cursorScopedTables),
      JSON.stringify(e.exportProperties),
      iso(e.lastRunTime),
      e.startCursor,
      e.isDisabled,
      e.lastRunResult,
      iso(e.exportedTo),
      e.isRunning,
    ]),
  );
}

/** `.show database schema as json` answering this schema (reference §1.12). */
export function schemaAnswer(schema: DatabaseSchema): ResultTable {
  const byName = <T>(items: readonly T[], key: (t: T) => string, value: (t: T) => unknown) =>
    Object.fromEntries(items.map((t) => [key(t), value(t)]));
  const json = {
    Databases: {
      [schema.databaseName]: {
        Name: schema.databaseName,
        Tables: byName(
          schema.tables,
          (t) => t.name,
          (t) => ({
            Name: t.name,
            OrderedColumns: t.columns.map((c) => ({ Name: c.name, CslType: c.cslType })),
          }),
        ),
        ...(schema.externalTablesListed
          ? {
              ExternalTables: byName(
                schema.externalTables,
                (n) => n,
                (n) => ({ Name: n }),
              ),
            }
          : {}),
        Functions: {},
      },
    },
  };
  return table('DatabaseSchema:string', [[JSON.stringify(json)]]);
}

/** `.show continuous-export X failures` with one failure per text (newest last). */
export function failuresAnswer(...details: string[]): ResultTable {
  return table(
    'Timestamp:datetime, OperationId:string, Name:string, LastSuccessRun:datetime, FailureKind:string, Details:string',
    details.map((d, i) => [
      new Date(NOW.getTime() - (details.length - i) * MINUTE).toISOString(),
      `op${i}`,
      'x',
      null,
      'Failure',
      d,
    ]),
  );
}

/** The status store in memory. */
export class MemoryStatus {
  readonly databases = new Map<string, DatabaseStatus>();
  readonly tables = new Map<string, TableStatus[]>();
  failWrites = false;
  writeDatabase(status: DatabaseStatus): Promise<void> {
    this.databases.set(status.database, status);
    return Promise.resolve();
  }
  writeTables(_cluster: string, database: string, tables: readonly TableStatus[]): Promise<void> {
    if (this.failWrites) return Promise.reject(new Error('table service unavailable'));
    this.tables.set(database, [...tables]);
    return Promise.resolve();
  }
  listTables(_cluster: string, database: string): Promise<TableStatus[]> {
    return Promise.resolve(this.tables.get(database) ?? []);
  }
  listDatabases(): Promise<DatabaseStatus[]> {
    return Promise.resolve([...this.databases.values()]);
  }
}
