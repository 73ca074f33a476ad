/**
 * Recording a deletion and running it on the source cluster.
 *
 * Order matters: the predicate is validated against the table's live columns (one read command),
 * then the `deletion` entry is appended, then the command runs, then its outcome is appended as an
 * `execution` entry. So nothing runs unless it is recorded first, and a rejected request leaves no
 * trace anywhere. An outcome is `failed` only when the server certainly did not run the command (it
 * answered with an error, or throttled it); a lost answer is recorded as `unknown`.
 */
import { PermanentError, ThrottledError, TransientError } from '../errors';
import { deleteRecords, purgeRecords } from '../kusto/commands';
import type { KustoGateway } from '../kusto/gateway';
import { parseSimplePredicate } from '../kusto/predicate';
import type { SimplePredicate } from '../kusto/predicate';
import { redactError } from '../kusto/redact';
import { isFailedPurgeState, parseDeleteRecordsResult, parsePurgeResult } from '../kusto/results/deletions';
import type {
  DeletionKind,
  LedgerDetails,
  LedgerDraft,
  LedgerEntry,
  LedgerOutcome,
} from '../storage/ledgerChain';
import { readTableColumns } from './columns';
import type { DeletionSummary } from './status';
import { summarizeDeletions } from './status';

/** A validated request to delete or purge rows. */
export interface DeletionRequest {
  /** Normalised cluster URI. */
  readonly clusterUri: string;
  readonly database: string;
  readonly table: string;
  /** Predicate text as given; validated here against the live table. */
  readonly predicate: string;
  readonly kind: DeletionKind;
  /** False: record only. */
  readonly execute: boolean;
  readonly requestedBy: string;
  readonly principal: string | null;
}

/** Where entries are appended. */
export interface LedgerWriter {
  append(draft: LedgerDraft): Promise<LedgerEntry>;
}

/** Dependencies of {@link recordDeletion}. */
export interface RecordDeletionDeps {
  /** Gateway to the request's cluster. */
  readonly gateway: KustoGateway;
  readonly ledger: LedgerWriter;
  readonly now: () => Date;
  readonly newId: () => string;
}

/** Data-management commands run in this database context (reference §2.1). */
export const DM_DATABASE = 'NetDefaultDB';

interface Outcome {
  readonly outcome: LedgerOutcome;
  readonly message: string;
  readonly details: LedgerDetails;
}

/**
 * Validates, records and (unless `execute` is false) runs a deletion; returns its summary.
 * @throws ValidationError (field `predicate`) for a predicate that is not a simple `where` over the
 *   table's columns; NotFoundError for an unknown table or database. Nothing is recorded then.
 */
export async function recordDeletion(
  deps: RecordDeletionDeps,
  request: DeletionRequest,
): Promise<DeletionSummary> {
  const columns = await readTableColumns(deps.gateway, request.database, request.table);
  const predicate = parseSimplePredicate(request.predicate, { name: request.table, columns });
  const typeOf = new Map(columns.map((c) => [c.name, c.type]));
  const where = { cluster: request.clusterUri, database: request.database, table: request.table };
  const deletion = await deps.ledger.append({
    type: 'deletion',
    id: deps.newId(),
    ...where,
    time: deps.now().toISOString(),
    kind: request.kind,
    predicate: predicate.text,
    columns: predicate.columns.map((name) => ({ name, type: typeOf.get(name) ?? 'string' })),
    requestedBy: request.requestedBy,
    principal: request.principal,
    execute: request.execute,
  });
  const entries: LedgerEntry[] = [deletion];
  if (request.execute) {
    const outcome = await execute(deps.gateway, request, predicate);
    entries.push(
      await deps.ledger.append({
        type: 'execution',
        id: deps.newId(),
        ...where,
        time: deps.now().toISOString(),
        deletionId: deletion.id,
        ...outcome,
      }),
    );
  }
  const [summary] = summarizeDeletions(entries);
  if (!summary) throw new Error('recorded deletion has no summary');
  return summary;
}

async function execute(
  gateway: KustoGateway,
  request: DeletionRequest,
  predicate: SimplePredicate,
): Promise<Outcome> {
  try {
    if (request.kind === 'delete') {
      const result = parseDeleteRecordsResult(
        await gateway.execute(request.database, deleteRecords(request.table, predicate)),
      );
      const count = result.recordsDeleted === null ? '' : ` (${result.recordsDeleted} records)`;
      return {
        outcome: 'succeeded',
        message: `soft delete completed${count}`,
        details: { recordsDeleted: result.recordsDeleted, extentsReplaced: result.extentsReplaced },
      };
    }
    const purge = parsePurgeResult(
      await gateway.execute(DM_DATABASE, purgeRecords(request.database, request.table, predicate)),
    );
    const details = { operationId: purge.operationId, state: purge.state, stateDetails: purge.stateDetails };
    if (isFailedPurgeState(purge.state)) {
      return {
        outcome: 'failed',
        message: `purge ${purge.state}: ${purge.stateDetails ?? ''}`.trim(),
        details,
      };
    }
    // Purges complete asynchronously on the service; `.show purges <OperationId>` tracks the rest.
    return {
      outcome: 'succeeded',
      message: `purge accepted (state ${purge.state ?? 'not reported'})`,
      details,
    };
  } catch (error) {
    return failure(error);
  }
}

/** A failed command as an outcome: the server's own message, already redacted by the gateway. */
function failure(error: unknown): Outcome {
  if (error instanceof PermanentError || error instanceof TransientError) {
    const { serverCode, httpStatus, clientRequestId } = error.info;
    return {
      // Throttled requests were not run; other transient failures may have been.
      outcome: error instanceof PermanentError || error instanceof ThrottledError ? 'failed' : 'unknown',
      message: error.info.serverMessage ?? error.message,
      details: {
        errorType: error.code,
        serverCode: serverCode ?? null,
        httpStatus: httpStatus ?? null,
        clientRequestId: clientRequestId ?? null,
      },
    };
  }
  return { outcome: 'unknown', message: redactError(error), details: { errorType: 'Error' } };
}
