/** Helpers shared by the orchestrators: retry options for idempotent activities, failure text. */
import * as df from 'durable-functions';

/**
 * Retries for activities that are safe to repeat (every setup activity is: reads, create-or-alter
 * after a diff, idempotent catalog writes). Transient Kusto failures are already retried inside
 * the gateway; these cover a worker lost mid-activity and storage hiccups.
 */
export function idempotentRetry(): df.RetryOptions {
  const options = new df.RetryOptions(5_000, 3);
  options.backoffCoefficient = 2;
  return options;
}

/**
 * The reason of a failed activity or sub-orchestration. The SDK builds the error message as
 * `<reason> \n <details>` (details being the remote stack), and hosts may prefix `Exception:`;
 * only the reason is worth reporting.
 */
export function failureReason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^Result: Failure$/i.test(l));
  const first = lines[0] ?? text;
  return first.replace(/^Exception:\s*/i, '').replace(/^Error:\s*/, '');
}
