/**
 * Every function, orchestrator and activity name, and the deterministic instance ids. Registration
 * (functions/) and callers (orchestrations, HTTP handlers) refer to these constants only, so a
 * rename cannot leave a dangling string.
 */
import { createHash } from 'node:crypto';

/** HTTP- and timer-triggered functions. */
export const FunctionNames = {
  health: 'health',
  setupStart: 'backupSetupStart',
  monitorTimer: 'monitorTimer',
  monitorRun: 'monitorRun',
  status: 'status',
  restoreStart: 'restoreStart',
  restoreStatus: 'restoreStatus',
  deletionsCreate: 'deletionsCreate',
  deletionsList: 'deletionsList',
  deletionsScrub: 'deletionsScrub',
  artifactEvents: 'artifactEvents',
  reconcileTimer: 'reconcileTimer',
  verifyTimer: 'verifyTimer',
  verifyRun: 'verifyRun',
  verifyLatest: 'verifyLatest',
} as const;

/** Durable orchestrators. */
export const OrchestratorNames = {
  setupDatabase: 'setupDatabaseOrchestrator',
  setupTable: 'setupTableOrchestrator',
  historicalExport: 'historicalExportOrchestrator',
  restore: 'restoreOrchestrator',
  restoreTable: 'restoreTableOrchestrator',
  restoreFolder: 'restoreFolderOrchestrator',
} as const;

/** Durable activities. */
export const ActivityNames = {
  snapshotSchema: 'snapshotSchemaActivity',
  listTables: 'listTablesActivity',
  ensureIngestionTimePolicy: 'ensureIngestionTimePolicyActivity',
  ensureExternalTable: 'ensureExternalTableActivity',
  ensureContinuousExport: 'ensureContinuousExportActivity',
  planHistoricalChunks: 'planHistoricalChunksActivity',
  startExports: 'startExportsActivity',
  pollOperations: 'pollOperationsActivity',
  recordChunkResults: 'recordChunkResultsActivity',
  recordTableState: 'recordTableStateActivity',
  recordBackupPolicy: 'recordBackupPolicyActivity',
  queueRestoreBatch: 'queueRestoreBatchActivity',
  countStaging: 'countStagingActivity',
  restorePrepare: 'restorePrepareActivity',
  restoreTableState: 'restoreTableStateActivity',
  restoreFinishTable: 'restoreFinishTableActivity',
  restoreRecord: 'restoreRecordActivity',
} as const;

/** Keeps instance ids short, stable across processes and free of characters the task hub rejects. */
function digest(...parts: string[]): string {
  return exactDigest(...parts.map((p) => p.toLowerCase()));
}

/** Like {@link digest} but case-sensitive: table names differing only in case are different tables. */
function exactDigest(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 24);
}

/** Normalises a cluster URI so `https://X.kusto.windows.net/` and `https://x.kusto.windows.net` are one cluster. */
export function normaliseClusterUri(uri: string): string {
  const u = new URL(uri);
  return `${u.protocol}//${u.host}`.toLowerCase();
}

/** The singleton setup instance of one database of one cluster. */
export function setupInstanceId(clusterUri: string, database: string): string {
  return `setup-${digest(normaliseClusterUri(clusterUri), database)}`;
}

/** The child instance that sets up one table inside a setup run. */
export function setupTableInstanceId(parentInstanceId: string, table: string): string {
  return `${parentInstanceId}-t-${exactDigest(table)}`;
}

/** The historical export instance of one table's setup. */
export function historicalExportInstanceId(setupTableInstance: string): string {
  return `${setupTableInstance}-h`;
}

/** Prefix of every entity adx-backup creates in a database, so operators can tell them apart. */
export const BACKUP_ENTITY_PREFIX = 'adxbackup_';

/** The external table that receives the backup of `table`. */
export function backupExternalTableName(table: string): string {
  return `${BACKUP_ENTITY_PREFIX}${table}`;
}

/** The continuous export that backs up `table` (its own namespace, so it may share the name). */
export function backupContinuousExportName(table: string): string {
  return `${BACKUP_ENTITY_PREFIX}${table}`;
}

/** A restore instance id from its request id. */
export function restoreInstanceId(restoreId: string): string {
  return `restore-${restoreId}`;
}

/** The child instance that restores one table (named by its source table) inside a restore. */
export function restoreTableInstanceId(restoreInstance: string, table: string): string {
  return `${restoreInstance}-t-${exactDigest(table)}`;
}

/** The child instance that queues one partition folder (`yyyyMMdd`, or `none`) of a table's restore. */
export function restoreFolderInstanceId(restoreTableInstance: string, folder: string): string {
  return `${restoreTableInstance}-f-${folder}`;
}

/** Prefix of every staging table a restore creates in the target database. */
export const RESTORE_STAGING_PREFIX = '__restore_';

/**
 * The staging table of one target table in one restore: `__restore_<short id>_<table>`. The short id
 * is derived from the restore id, so a re-run of the same restore finds the same staging tables.
 */
export function restoreStagingTableName(restoreId: string, table: string): string {
  return `${RESTORE_STAGING_PREFIX}${exactDigest(restoreId).slice(0, 8)}_${table}`;
}
