/**
 * The ingestion failure log behind `.show ingestion failures` (reference §1.13): what failed, where,
 * why, and whether retrying could help. Entries are kept 14 days of emulator time.
 */
import { INGESTION_FAILURES } from '../schemas';
import type { EmulatorState, IngestionFailure } from '../state';
import type { KValue } from '../values';
import type { IngestionError } from './errors';

/** How long failures are kept (and shown). */
export const FAILURE_RETENTION_MS = 14 * 86_400_000;

/** Who ingestion runs as; the emulator has a single service principal. */
export const INGESTION_PRINCIPAL = 'aadapp=kusto-data-management';

/** What the pipeline knows about a failed ingestion. */
export interface FailureInput {
  readonly operationId: string;
  readonly rootActivityId: string;
  readonly database: string;
  readonly table: string;
  readonly sourcePath: string;
  readonly error: IngestionError;
  readonly ingestionProperties: string;
}

/** Records a failure at the current emulator time and drops entries past retention. */
export function recordFailure(state: EmulatorState, input: FailureInput): IngestionFailure {
  const now = state.clock.now();
  const failure: IngestionFailure = {
    operationId: input.operationId,
    database: input.database,
    table: input.table,
    failedOn: now,
    ingestionSourcePath: input.sourcePath,
    details: input.error.details,
    failureKind: input.error.permanent ? 'Permanent' : 'Transient',
    rootActivityId: input.rootActivityId,
    operationKind: 'DataIngestPull',
    errorCode: input.error.code,
    shouldRetry: !input.error.permanent,
    ingestionProperties: input.ingestionProperties,
  };
  const list = state.ingestionFailures;
  const keepFrom = list.findIndex((f) => f.failedOn >= now - FAILURE_RETENTION_MS);
  list.splice(0, keepFrom < 0 ? list.length : keepFrom);
  list.push(failure);
  return failure;
}

/** Rows of `.show ingestion failures` for a database, optionally one operation, oldest first. */
export function failureRows(state: EmulatorState, database: string, operationId?: string): KValue[][] {
  const since = state.clock.now() - FAILURE_RETENTION_MS;
  const wanted = operationId?.toLowerCase();
  return state.ingestionFailures
    .filter((f) => f.database === database && f.failedOn >= since)
    .filter((f) => wanted === undefined || f.operationId.toLowerCase() === wanted)
    .map((f) => {
      const byName: Record<string, KValue> = {
        OperationId: f.operationId,
        Database: f.database,
        Table: f.table,
        FailedOn: f.failedOn,
        IngestionSourcePath: f.ingestionSourcePath,
        Details: f.details,
        FailureKind: f.failureKind,
        RootActivityId: f.rootActivityId,
        OperationKind: f.operationKind,
        OriginatesFromUpdatePolicy: false,
        ErrorCode: f.errorCode,
        Principal: INGESTION_PRINCIPAL,
        ShouldRetry: f.shouldRetry,
        User: '',
        IngestionProperties: f.ingestionProperties,
        NumberOfSources: 1,
      };
      return INGESTION_FAILURES.map((c) => byName[c.name] ?? null);
    });
}
