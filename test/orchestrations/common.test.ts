import { failureReason, idempotentRetry } from '../../lib/orchestrations/common';

test('failureReason keeps the reason of a failed task, not the remote stack', () => {
  expect(
    failureReason(new Error('HTTP 403 Forbidden \n Error: HTTP 403 Forbidden\n    at x (y.js:1:2)')),
  ).toBe('HTTP 403 Forbidden');
  expect(failureReason(new Error('Result: Failure\nException: Error: table T failed\nStack: ...'))).toBe(
    'table T failed',
  );
  expect(failureReason('plain')).toBe('plain');
});

test('idempotent activities are retried three times with back-off', () => {
  const r = idempotentRetry();
  expect([r.firstRetryIntervalInMilliseconds, r.maxNumberOfAttempts, r.backoffCoefficient]).toEqual([
    5000, 3, 2,
  ]);
});
