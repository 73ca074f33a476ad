/**
 * `pollOperations`: the state of every in-flight export in ONE `.show operations (id1, id2, ...)`.
 * Ids missing from the answer are simply absent from the result (the orchestration treats them as
 * lost).
 */
import { ValidationError } from '../errors';
import { MAX_OPERATIONS_PER_POLL, showOperations } from '../kusto/commands';
import { parseOperations } from '../kusto/results';
import type { ActivityDeps, PollOperationsInput, PollOperationsOutput } from './contracts';

/** Builds the activity handler. */
export function createPollOperationsActivity(
  deps: Pick<ActivityDeps, 'gatewayFor'>,
): (input: PollOperationsInput) => Promise<PollOperationsOutput> {
  return async (input) => {
    if (input.operationIds.length === 0) return { operations: [] };
    if (input.operationIds.length > MAX_OPERATIONS_PER_POLL) {
      throw new ValidationError('operationIds', `at most ${MAX_OPERATIONS_PER_POLL} per poll`);
    }
    const answer = await deps
      .gatewayFor(input.clusterUri)
      .execute(input.database, showOperations(input.operationIds));
    return {
      operations: parseOperations(answer).map((op) => ({
        operationId: op.operationId,
        state: op.state,
        status: op.status,
        ...(op.shouldRetry !== undefined ? { shouldRetry: op.shouldRetry } : {}),
        ...(op.lastUpdatedOn ? { lastUpdatedOn: op.lastUpdatedOn.toISOString() } : {}),
      })),
    };
  };
}
