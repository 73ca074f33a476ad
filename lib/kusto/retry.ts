/**
 * Retries with jittered exponential back-off. Time and randomness are injected so tests never wait
 * and can assert the exact delays.
 */
import { ValidationError } from '../errors';

/** How often and how patiently to retry. */
export interface RetryPolicy {
  /** Total attempts, the first one included (1 = no retry). */
  readonly attempts: number;
  /** Delay ceiling before the first retry; doubles on each later retry. */
  readonly baseDelayMs: number;
  /** Upper bound for any single delay, the server's `Retry-After` included. */
  readonly maxDelayMs: number;
}

/** Defaults for Kusto commands: about 1 s, 2 s, 4 s between four attempts. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 4, baseDelayMs: 1000, maxDelayMs: 30_000 };

/** Waits `ms`, rejecting early with the signal's reason when it aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Returns a number in [0, 1), like `Math.random`. */
export type Random = () => number;

/** The reason an aborted signal carries, as an Error. */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const error = new Error(typeof reason === 'string' ? reason : 'The operation was aborted');
  error.name = 'AbortError';
  return error;
}

/** {@link Sleep} on real timers. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Settles like `promise`, or rejects as soon as `signal` aborts. The underlying work is not
 * cancelled (the Kusto SDK offers no per-request cancellation), only abandoned.
 */
export function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      promise.catch(() => undefined);
      reject(abortReason(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** Throws a ValidationError unless the policy is usable. */
export function validateRetryPolicy(policy: RetryPolicy): RetryPolicy {
  if (!Number.isInteger(policy.attempts) || policy.attempts < 1) {
    throw new ValidationError('retry.attempts', 'must be an integer >= 1');
  }
  if (!Number.isFinite(policy.baseDelayMs) || policy.baseDelayMs < 0) {
    throw new ValidationError('retry.baseDelayMs', 'must be a number >= 0');
  }
  if (!Number.isFinite(policy.maxDelayMs) || policy.maxDelayMs < policy.baseDelayMs) {
    throw new ValidationError('retry.maxDelayMs', 'must be a number >= retry.baseDelayMs');
  }
  return policy;
}

/**
 * Delay before retrying after failed attempt number `failedAttempt` (1-based): "equal jitter",
 * half of the exponential step fixed and half random, so concurrent callers spread out but none
 * retries immediately. A server hint (`Retry-After`) raises the delay, still bounded by the cap.
 */
export function backoffDelayMs(
  failedAttempt: number,
  policy: RetryPolicy,
  random: Random,
  serverHintMs?: number,
): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failedAttempt - 1));
  const jittered = step / 2 + random() * (step / 2);
  const hinted = serverHintMs !== undefined && serverHintMs > jittered ? serverHintMs : jittered;
  return Math.round(Math.min(policy.maxDelayMs, hinted));
}

/** One failed attempt, as reported to {@link RetryOptions.onFailure}. */
export interface AttemptFailure {
  readonly attempt: number;
  readonly attempts: number;
  readonly error: unknown;
  /** True when another attempt follows after `delayMs`. */
  readonly willRetry: boolean;
  readonly delayMs?: number;
}

/** How {@link retry} decides, waits and reports. */
export interface RetryOptions {
  readonly policy: RetryPolicy;
  /** True when the failure is worth another attempt. */
  readonly shouldRetry: (error: unknown) => boolean;
  /** A server-imposed minimum delay for this failure (e.g. `Retry-After`), if any. */
  readonly serverHintMs?: (error: unknown) => number | undefined;
  readonly sleep?: Sleep;
  readonly random?: Random;
  /** Aborts the current attempt and any back-off; the abort reason is thrown. */
  readonly signal?: AbortSignal;
  /** Called once per failed attempt (not for aborts), before any back-off. */
  readonly onFailure?: (failure: AttemptFailure) => void;
}

/**
 * Runs `fn` until it succeeds, fails with a non-retryable error, or the attempts are spent; then
 * rethrows the last error unchanged.
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const policy = validateRetryPolicy(options.policy);
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const { signal } = options;
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw abortReason(signal);
    try {
      return await abortable(fn(attempt), signal);
    } catch (error) {
      if (signal?.aborted) throw abortReason(signal);
      const willRetry = attempt < policy.attempts && options.shouldRetry(error);
      const delayMs = willRetry
        ? backoffDelayMs(attempt, policy, random, options.serverHintMs?.(error))
        : undefined;
      options.onFailure?.({ attempt, attempts: policy.attempts, error, willRetry, delayMs });
      if (!willRetry || delayMs === undefined) throw error;
      await sleep(delayMs, signal);
    }
  }
}
