/**
 * What an async export operation's latest state (reference §1.7) means for its chunk: still
 * running, done, throttled (try later), worth splitting (memory or time), worth retrying as is, or
 * hopeless. KCOPY treats the same states as failures and uses ShouldRetry the same way.
 */
import { isLowMemoryText } from '../kusto/classify';

/** One row of `.show operations (ids)` as `pollOperations` reports it. */
export interface PolledOperation {
  readonly operationId: string;
  readonly state: string;
  readonly status: string;
  readonly shouldRetry?: boolean;
  readonly lastUpdatedOn?: string;
}

/** How an operation's latest state is handled. */
export type Verdict = 'running' | 'completed' | 'throttled' | 'split' | 'retry' | 'fatal';

const TIMEOUT = /timeout|timed out|E_QUERY_CANCELLED|RequestExecutionTimeout|80DA0006/i;

/** Decides what to do with a chunk from its operation's state (reference §1.7, §4). */
export function classifyOperation(op: PolledOperation): Verdict {
  switch (op.state) {
    case 'InProgress':
    case 'Scheduled':
      return 'running';
    case 'Completed':
      return 'completed';
    case 'Throttled':
      return 'throttled';
    case 'Abandoned':
    case 'Skipped':
      return 'retry';
    case 'Failed':
    case 'PartiallySucceeded':
      if (isLowMemoryText(op.status) || TIMEOUT.test(op.status)) return 'split';
      return op.shouldRetry === true ? 'retry' : 'fatal';
    default:
      return 'fatal';
  }
}
