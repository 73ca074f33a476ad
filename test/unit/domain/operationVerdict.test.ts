import { classifyOperation } from '../../../lib/domain/operationVerdict';

const LOW_MEMORY =
  'Query execution lacks memory resources to complete (80DA0007): Partial query failure: Low memory condition (E_LOW_MEMORY_CONDITION).';

describe('classifyOperation', () => {
  it.each([
    ['InProgress', '', undefined, 'running'],
    ['Scheduled', '', undefined, 'running'],
    ['Completed', '', undefined, 'completed'],
    ['Throttled', 'aborted due to throttling', true, 'throttled'],
    ['Abandoned', 'node restarted', undefined, 'retry'],
    ['Failed', LOW_MEMORY, true, 'split'],
    ['PartiallySucceeded', 'E_LOW_MEMORY_CONDITION', false, 'split'],
    ['Failed', 'Request execution timeout (RequestExecutionTimeout)', false, 'split'],
    ['Failed', 'storage hiccup', true, 'retry'],
    ['Failed', "External table 'X' was not found", false, 'fatal'],
    ['BadInput', 'syntax', false, 'fatal'],
    ['Canceled', 'canceled by admin', false, 'fatal'],
  ])('%s %j (ShouldRetry %s) -> %s', (state, status, shouldRetry, verdict) => {
    expect(
      classifyOperation({
        operationId: 'x',
        state,
        status,
        ...(shouldRetry === undefined ? {} : { shouldRetry }),
      }),
    ).toBe(verdict);
  });
});
