/**
 * Readers for the export side of a backup: continuous exports, the artifacts an export wrote, its
 * failures, and the external tables exports write to (reference §1.1 – §1.3, §1.6, §1.11).
 */
import type { ResultTable } from '../types';
import type { Row } from './cells';
import { rowsOf } from './cells';

/** One row of `.show continuous-exports` (and of enable/disable/drop, reference §1.1). */
export interface ContinuousExport {
  readonly name: string;
  readonly externalTableName: string;
  readonly query: string;
  /** Null in Kusto when not set. */
  readonly forcedLatencyMs?: number;
  readonly intervalBetweenRunsMs?: number;
  /** Fact tables as Kusto renders them, e.g. `['DB'].['T']`; empty when absent or unparsable. */
  readonly cursorScopedTables: readonly string[];
  /** Parsed `ExportProperties` JSON (e.g. `SizeLimit`); empty when absent or unparsable. */
  readonly exportProperties: Readonly<Record<string, unknown>>;
  readonly lastRunTime?: Date;
  /** Database cursor at creation: the upper bound of the historical export. */
  readonly startCursor: string;
  readonly isDisabled: boolean;
  /** `Completed` or `Failed`; empty before the first run. */
  readonly lastRunResult: string;
  /** Latest ingestion time exported; lateness = now - exportedTo. */
  readonly exportedTo?: Date;
  readonly isRunning: boolean;
}

const CONTINUOUS_EXPORT_COLUMNS = [
  'Name',
  'ExternalTableName',
  'Query',
  'ForcedLatency',
  'IntervalBetweenRuns',
  'CursorScopedTables',
  'ExportProperties',
  'LastRunTime',
  'StartCursor',
  'IsDisabled',
  'LastRunResult',
  'ExportedTo',
  'IsRunning',
] as const;

/**
 * Reads `.show continuous-exports` / `.show continuous-export NAME`: all 13 columns are required.
 * (`.create-or-alter continuous-export` may answer with fewer columns; read it back with `.show`.)
 */
export function parseContinuousExports(table: ResultTable): ContinuousExport[] {
  return rowsOf(table, 'continuous exports', CONTINUOUS_EXPORT_COLUMNS).map((r) => ({
    name: r.str('Name'),
    externalTableName: r.str('ExternalTableName'),
    query: r.str('Query'),
    forcedLatencyMs: r.timespanMs('ForcedLatency'),
    intervalBetweenRunsMs: r.timespanMs('IntervalBetweenRuns'),
    cursorScopedTables: r.stringArray('CursorScopedTables'),
    exportProperties: r.jsonObject('ExportProperties'),
    lastRunTime: r.date('LastRunTime'),
    startCursor: r.str('StartCursor'),
    isDisabled: r.bool('IsDisabled') ?? false,
    lastRunResult: r.str('LastRunResult'),
    exportedTo: r.date('ExportedTo'),
    isRunning: r.bool('IsRunning') ?? false,
  }));
}

/** One artifact of an export to an external table (sync answer, or `.show operation ID details`). */
export interface ExportToTableDetail {
  readonly externalTableName: string;
  readonly path: string;
  readonly numRecords: number;
  /** Shown in the docs' examples but not in the documented schemas. */
  readonly sizeInBytes?: number;
}

const ARTIFACT_COLUMNS = ['ExternalTableName', 'Path', 'NumRecords'] as const;

/** The artifact columns every export answer shares (`SizeInBytes` optional). */
function artifactOf(r: Row): ExportToTableDetail {
  return {
    externalTableName: r.str('ExternalTableName'),
    path: r.str('Path'),
    numRecords: r.long('NumRecords') ?? 0,
    sizeInBytes: r.long('SizeInBytes'),
  };
}

/** Reads export-to-table details: `ExternalTableName, Path, NumRecords[, SizeInBytes]`. */
export function parseExportToTableDetails(table: ResultTable): ExportToTableDetail[] {
  return rowsOf(table, 'export details', ARTIFACT_COLUMNS, ['SizeInBytes']).map(artifactOf);
}

/** One row of `.show continuous-export NAME exported-artifacts` (reference §1.2). */
export interface ExportedArtifact extends ExportToTableDetail {
  readonly timestamp: Date;
}

/** Reads exported artifacts; `SizeInBytes` is optional. */
export function parseExportedArtifacts(table: ResultTable): ExportedArtifact[] {
  return rowsOf(table, 'exported artifacts', ['Timestamp', ...ARTIFACT_COLUMNS], ['SizeInBytes']).map(
    (r) => ({
      timestamp: r.requiredDate('Timestamp'),
      ...artifactOf(r),
    }),
  );
}

/** One row of `.show continuous-export NAME failures` (reference §1.3). */
export interface ContinuousExportFailure {
  readonly timestamp: Date;
  readonly operationId: string;
  readonly name: string;
  readonly lastSuccessRun?: Date;
  /** `Failure` or `PartialFailure` (some artifacts were written). */
  readonly failureKind: string;
  readonly details: string;
}

/** Reads continuous-export failures. */
export function parseContinuousExportFailures(table: ResultTable): ContinuousExportFailure[] {
  return rowsOf(table, 'continuous export failures', [
    'Timestamp',
    'OperationId',
    'Name',
    'LastSuccessRun',
    'FailureKind',
    'Details',
  ]).map((r) => ({
    timestamp: r.requiredDate('Timestamp'),
    operationId: r.str('OperationId'),
    name: r.str('Name'),
    lastSuccessRun: r.date('LastSuccessRun'),
    failureKind: r.str('FailureKind'),
    details: r.str('Details'),
  }));
}

/** One row of `.show external tables` (reference §1.11). */
export interface ExternalTableInfo {
  readonly tableName: string;
  readonly tableType: string;
  readonly folder: string;
  readonly docString: string;
  /** Parsed `Properties` JSON (Format, Compressed, ...); empty when absent or unparsable. */
  readonly properties: Readonly<Record<string, unknown>>;
  /** As Kusto shows them, secrets already masked by the service. */
  readonly connectionStrings: readonly string[];
  readonly pathFormat: string;
}

/** Reads `.show external tables` / `.show external table X`. */
export function parseExternalTables(table: ResultTable): ExternalTableInfo[] {
  return rowsOf(
    table,
    'external tables',
    ['TableName'],
    ['TableType', 'Folder', 'DocString', 'Properties', 'ConnectionStrings', 'PathFormat'],
  ).map((r) => ({
    tableName: r.str('TableName'),
    tableType: r.str('TableType'),
    folder: r.str('Folder'),
    docString: r.str('DocString'),
    properties: r.jsonObject('Properties'),
    connectionStrings: r.stringArray('ConnectionStrings'),
    pathFormat: r.str('PathFormat'),
  }));
}
