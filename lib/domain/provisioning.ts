/**
 * What one table's backup must look like in the cluster (IngestionTime policy, external table,
 * continuous export) and how that compares with what is there. Pure: activities read the actual
 * state, these functions decide whether a create-or-alter is needed, so a rerun on an unchanged
 * database sends read commands only.
 */
import type { ColumnSpec, ContinuousExportSpec, ExternalTableSpec } from '../kusto/commands';
import type { StorageAuth } from '../kusto/quote';
import { columnType } from '../kusto/quote';
import { backupContinuousExportName, backupExternalTableName } from '../names';
import { tableBackupTarget, tableConnectionStrings } from '../storage/layout';

/** Continuous export options of a setup request (defaults already applied). */
export interface ExportOptions {
  readonly intervalMs: number;
  readonly forcedLatencyMs?: number;
  readonly sizeLimitBytes?: number;
  /** `system` or an object id; required by the service with `;impersonate` storage access. */
  readonly managedIdentity?: string;
}

/** Everything that determines one table's backup definition. */
export interface TableBackupPlan {
  readonly database: string;
  readonly table: string;
  readonly columns: readonly ColumnSpec[];
  /** Datetime column partitioned by day, or null for an unpartitioned backup. */
  readonly partitionColumn: string | null;
  readonly containers: readonly string[];
  readonly storageAuth: StorageAuth;
  readonly export: ExportOptions;
}

/** The external table a plan needs. */
export function desiredExternalTable(plan: TableBackupPlan): ExternalTableSpec {
  return {
    name: backupExternalTableName(plan.table),
    columns: plan.columns,
    ...(plan.partitionColumn !== null ? { partitionColumn: plan.partitionColumn } : {}),
    storage: plan.containers.map((c, i) =>
      tableBackupTarget(c, plan.database, plan.table, plan.storageAuth, `containers[${i}]`),
    ),
  };
}

/** The continuous export a plan needs: the whole table, no time filter. */
export function desiredContinuousExport(plan: TableBackupPlan): ContinuousExportSpec {
  const e = plan.export;
  return {
    name: backupContinuousExportName(plan.table),
    table: plan.table,
    externalTable: backupExternalTableName(plan.table),
    intervalBetweenRunsMs: e.intervalMs,
    ...(e.forcedLatencyMs !== undefined ? { forcedLatencyMs: e.forcedLatencyMs } : {}),
    ...(e.sizeLimitBytes !== undefined ? { sizeLimitBytes: e.sizeLimitBytes } : {}),
    ...(e.managedIdentity !== undefined ? { managedIdentity: e.managedIdentity } : {}),
  };
}

/** A partition as `.show external table` lists it. */
export interface ActualPartition {
  readonly name: string;
  readonly column?: string;
  readonly fn?: string;
}

/**
 * An existing external table. Fields the cluster did not report are undefined and are not compared
 * (the reference leaves several of these columns unconfirmed).
 */
export interface ActualExternalTable {
  readonly columns: readonly { readonly name: string; readonly cslType: string }[];
  readonly format?: string;
  readonly connectionStrings?: readonly string[];
  readonly partitions?: readonly ActualPartition[];
  readonly pathFormat?: string;
}

const squash = (s: string): string => s.replace(/\s+/g, '').replace(/'/g, '"');

const canonicalType = (type: string): string => {
  try {
    return columnType(type, 'type');
  } catch {
    return type.toLowerCase();
  }
};

/** Identity connection strings compared without caring about the case of the auth suffix. */
const normaliseConnection = (cs: string): string =>
  cs.trim().replace(/;(impersonate|managed_identity=.*)$/i, (m) => m.toLowerCase());

/** Differences between the external table a plan needs and an existing one; empty when equal. */
export function externalTableDifferences(plan: TableBackupPlan, actual: ActualExternalTable): string[] {
  const out: string[] = [];
  const want = plan.columns.map((c) => `${c.name}:${canonicalType(c.type)}`).join(',');
  const have = actual.columns.map((c) => `${c.name}:${canonicalType(c.cslType)}`).join(',');
  if (want !== have) out.push(`columns (${have} instead of ${want})`);
  if (actual.format !== undefined && actual.format.toLowerCase() !== 'parquet') {
    out.push(`data format ${actual.format}`);
  }
  if (actual.connectionStrings !== undefined) {
    const desired = tableConnectionStrings(plan.containers, plan.database, plan.table, plan.storageAuth)
      .map(normaliseConnection)
      .sort();
    const existing = actual.connectionStrings.map(normaliseConnection).sort();
    if (desired.join('\n') !== existing.join('\n')) out.push('storage connection strings');
  }
  if (actual.partitions !== undefined) {
    const [first, ...rest] = actual.partitions;
    if (plan.partitionColumn === null) {
      if (first) out.push('partitioning (expected none)');
    } else if (
      !first ||
      rest.length > 0 ||
      first.column !== plan.partitionColumn ||
      (first.fn ?? '').toLowerCase() !== 'startofday'
    ) {
      out.push(`partitioning (expected startofday(${plan.partitionColumn}))`);
    } else if (
      actual.pathFormat !== undefined &&
      squash(actual.pathFormat) !== squash(`datetime_pattern("yyyyMMdd", ${first.name})`)
    ) {
      out.push(`path format ${actual.pathFormat}`);
    }
  }
  return out;
}

/** An existing continuous export, as `.show continuous-export` describes it. */
export interface ActualContinuousExport {
  readonly externalTableName: string;
  readonly query: string;
  readonly intervalBetweenRunsMs?: number;
  readonly forcedLatencyMs?: number;
  readonly exportProperties: Readonly<Record<string, unknown>>;
}

/** The service's default artifact size (100 MB): an unset `sizeLimit` may be shown as this. */
const DEFAULT_SIZE_LIMIT = 104_857_600;

function property(props: Readonly<Record<string, unknown>>, name: string): unknown {
  const key = Object.keys(props).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : props[key];
}

/** Queries the service may echo for "the whole table" (quoting and spacing vary). */
function isWholeTableQuery(query: string, table: string): boolean {
  const q = squash(query);
  return [`['${table}']`, table].some((form) => squash(form) === q);
}

/** Differences between the continuous export a plan needs and an existing one; empty when equal. */
export function continuousExportDifferences(plan: TableBackupPlan, actual: ActualContinuousExport): string[] {
  const want = desiredContinuousExport(plan);
  const out: string[] = [];
  if (actual.externalTableName !== want.externalTable) out.push(`external table ${actual.externalTableName}`);
  if (!isWholeTableQuery(actual.query, plan.table)) out.push(`query ${actual.query}`);
  if (actual.intervalBetweenRunsMs !== want.intervalBetweenRunsMs) out.push('intervalBetweenRuns');
  if ((actual.forcedLatencyMs ?? 0) !== (want.forcedLatencyMs ?? 0)) out.push('forcedLatency');
  const size = property(actual.exportProperties, 'SizeLimit');
  const sizeShown = size === undefined || size === null ? undefined : Number(size);
  const sizeOk =
    want.sizeLimitBytes === undefined
      ? sizeShown === undefined || sizeShown === DEFAULT_SIZE_LIMIT
      : sizeShown === want.sizeLimitBytes;
  if (!sizeOk) out.push('sizeLimit');
  // ExportProperties keys besides SizeLimit are unconfirmed: compare the identity only when shown.
  const identity = property(actual.exportProperties, 'ManagedIdentity');
  if (typeof identity === 'string' && identity.toLowerCase() !== (want.managedIdentity ?? '').toLowerCase()) {
    out.push('managedIdentity');
  }
  return out;
}
