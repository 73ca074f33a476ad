/**
 * Readers for the ingestion side of a restore: where to queue ingestions and what failed
 * (reference §1.13, §3.2). Both answers carry SAS URLs: never log them unredacted.
 */
import { PermanentError } from '../../errors';
import type { ResultTable } from '../types';
import { rowsOf } from './cells';

/** One row of `.show ingestion failures` (reference §1.13). */
export interface IngestionFailure {
  readonly operationId: string;
  readonly database: string;
  readonly table: string;
  readonly failedOn: Date;
  /** May carry a SAS: never log it unredacted. */
  readonly ingestionSourcePath: string;
  readonly details: string;
  /** `Permanent` or `Transient`. */
  readonly failureKind: string;
  readonly rootActivityId?: string;
  readonly operationKind?: string;
  readonly originatesFromUpdatePolicy?: boolean;
  readonly errorCode?: string;
  readonly shouldRetry?: boolean;
  readonly ingestionProperties?: string;
  readonly numberOfSources?: number;
}

/** Reads `.show ingestion failures`. */
export function parseIngestionFailures(table: ResultTable): IngestionFailure[] {
  return rowsOf(
    table,
    'ingestion failures',
    ['OperationId', 'Database', 'Table', 'FailedOn', 'IngestionSourcePath', 'Details', 'FailureKind'],
    [
      'RootActivityId',
      'OperationKind',
      'OriginatesFromUpdatePolicy',
      'ErrorCode',
      'ShouldRetry',
      'IngestionProperties',
      'NumberOfSources',
    ],
  ).map((r) => ({
    operationId: r.str('OperationId'),
    database: r.str('Database'),
    table: r.str('Table'),
    failedOn: r.requiredDate('FailedOn'),
    ingestionSourcePath: r.str('IngestionSourcePath'),
    details: r.str('Details'),
    failureKind: r.str('FailureKind'),
    rootActivityId: r.optStr('RootActivityId'),
    operationKind: r.optStr('OperationKind'),
    originatesFromUpdatePolicy: r.bool('OriginatesFromUpdatePolicy'),
    errorCode: r.optStr('ErrorCode'),
    shouldRetry: r.bool('ShouldRetry'),
    ingestionProperties: r.optStr('IngestionProperties'),
    numberOfSources: r.long('NumberOfSources'),
  }));
}

/** One row of `.get ingestion resources` (reference §3.2). `storageRoot` is a SAS URL: a secret. */
export interface IngestionResource {
  readonly resourceTypeName: string;
  readonly storageRoot: string;
}

/** Ingestion resources grouped by purpose. Every URL carries a SAS: never log them unredacted. */
export interface IngestionResources {
  readonly readyForAggregationQueues: readonly string[];
  readonly tempStorage: readonly string[];
  readonly failedIngestionsQueues: readonly string[];
  readonly successfulIngestionsQueues: readonly string[];
  readonly statusTables: readonly string[];
}

/** Reads `.get ingestion resources`. */
export function parseIngestionResources(table: ResultTable): IngestionResource[] {
  return rowsOf(table, 'ingestion resources', ['ResourceTypeName', 'StorageRoot']).map((r) => ({
    resourceTypeName: r.str('ResourceTypeName'),
    storageRoot: r.str('StorageRoot'),
  }));
}

/** Groups ingestion resources by type; unknown types are ignored. */
export function groupIngestionResources(resources: readonly IngestionResource[]): IngestionResources {
  const of = (type: string): string[] =>
    resources
      .filter((r) => r.resourceTypeName.toLowerCase() === type.toLowerCase())
      .map((r) => r.storageRoot);
  return {
    readyForAggregationQueues: of('SecuredReadyForAggregationQueue'),
    tempStorage: of('TempStorage'),
    failedIngestionsQueues: of('FailedIngestionsQueue'),
    successfulIngestionsQueues: of('SuccessfulIngestionsQueue'),
    statusTables: of('IngestionsStatusTable'),
  };
}

/** Reads `.get kusto identity token` (reference §3.3): the `AuthorizationContext`; a secret. */
export function parseKustoIdentityToken(table: ResultTable): string {
  const [row] = rowsOf(table, 'kusto identity token', ['AuthorizationContext']);
  const context = row?.str('AuthorizationContext') ?? '';
  if (context === '') throw new PermanentError('kusto identity token: empty result');
  return context;
}
