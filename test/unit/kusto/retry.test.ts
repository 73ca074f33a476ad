import { TransientError, ValidationError, isRetryable } from '../../../lib/errors';
import type { AttemptFailure, RetryPolicy } from '../../../lib/kusto/retry';
import { abortable, backoffDelayMs, realSleep, retry, validateRetryPolicy } from '../../../lib/kusto/retry';

const policy: RetryPolicy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 300 };

describe('backoffDelayMs', () => {
  it('doubles the step per attempt and jitters within its upper half', () => {
    expect(backoffDelayMs(1, policy, () => 0)).toBe(50);
    expect(backoffDelayMs(1, policy, () => 0.999999)).toBe(100);
    expect(backoffDelayMs(2, policy, () => 0)).toBe(100);
    expect(backoffDelayMs(2, policy, () => 0.5)).toBe(150);
  });

  it('caps the step at maxDelayMs', () => {
    expect(backoffDelayMs(3, policy, () => 0.999999)).toBe(300);
    expect(backoffDelayMs(10, policy, () => 0)).toBe(150);
  });

  it('honours a larger server hint up to the cap', () => {
    expect(backoffDelayMs(1, policy, () => 0, 250)).toBe(250);
    expect(backoffDelayMs(1, policy, () => 0, 10)).toBe(50);
    expect(backoffDelayMs(1, policy, () => 0, 10_000)).toBe(300);
  });
});

describe('validateRetryPolicy', () => {
  it.each([
    [{ attempts: 0, baseDelayMs: 1, maxDelayMs: 1 }, 'retry.attempts'],
    [{ attempts: 1.5, baseDelayMs: 1, maxDelayMs: 1 }, 'retry.attempts'],
    [{ attempts: 1, baseDelayMs: -1, maxDelayMs: 1 }, 'retry.baseDelayMs'],
    [{ attempts: 1, baseDelayMs: 10, maxDelayMs: 5 }, 'retry.maxDelayMs'],
  ])('rejects %j', (bad, field) => {
    expect(() => validateRetryPolicy(bad)).toThrow(ValidationError);
    expect(() => validateRetryPolicy(bad)).toThrow(field);
  });
});

describe('retry', () => {
  function harness(): { sleeps: number[]; failures: AttemptFailure[]; sleep: (ms: number) => Promise<void> } {
    const sleeps: number[] = [];
    return {
      sleeps,
      failures: [],
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
    };
  }

  it('retries retryable failures and returns the first success', async () => {
    const h = harness();
    let calls = 0;
    const result = await retry(
      (attempt) => {
        calls++;
        return attempt < 3 ? Promise.reject(new TransientError('busy')) : Promise.resolve('ok');
      },
      {
        policy,
        shouldRetry: isRetryable,
        sleep: h.sleep,
        random: () => 0,
        onFailure: (f) => h.failures.push(f),
      },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(h.sleeps).toEqual([50, 100]);
    expect(h.failures.map((f) => [f.attempt, f.willRetry, f.delayMs])).toEqual([
      [1, true, 50],
      [2, true, 100],
    ]);
  });

  it('rethrows the last error unchanged when attempts are spent', async () => {
    const h = harness();
    const last = new TransientError('still busy');
    let calls = 0;
    const promise = retry(
      () => {
        calls++;
        return Promise.reject(calls === policy.attempts ? last : new TransientError('busy'));
      },
      {
        policy,
        shouldRetry: isRetryable,
        sleep: h.sleep,
        random: () => 0,
        onFailure: (f) => h.failures.push(f),
      },
    );
    await expect(promise).rejects.toBe(last);
    expect(calls).toBe(4);
    expect(h.sleeps).toHaveLength(3);
    expect(h.failures.at(-1)).toMatchObject({ attempt: 4, willRetry: false, delayMs: undefined });
  });

  it('does not retry a non-retryable error', async () => {
    const h = harness();
    const permanent = new Error('syntax');
    await expect(
      retry(() => Promise.reject(permanent), { policy, shouldRetry: isRetryable, sleep: h.sleep }),
    ).rejects.toBe(permanent);
    expect(h.sleeps).toEqual([]);
  });

  it('uses the server hint for the delay', async () => {
    const h = harness();
    let calls = 0;
    await retry(() => (++calls === 1 ? Promise.reject(new TransientError('x')) : Promise.resolve(1)), {
      policy,
      shouldRetry: isRetryable,
      serverHintMs: () => 280,
      sleep: h.sleep,
      random: () => 0,
    });
    expect(h.sleeps).toEqual([280]);
  });

  it('throws the abort reason without another attempt', async () => {
    const controller = new AbortController();
    let calls = 0;
    const promise = retry(
      () => {
        calls++;
        controller.abort(new Error('stop'));
        return Promise.reject(new TransientError('busy'));
      },
      { policy, shouldRetry: isRetryable, sleep: () => Promise.resolve(), signal: controller.signal },
    );
    await expect(promise).rejects.toThrow('stop');
    expect(calls).toBe(1);
  });

  it('does not start when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const fn = jest.fn(() => Promise.resolve(1));
    await expect(
      retry(fn, { policy, shouldRetry: isRetryable, signal: controller.signal }),
    ).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(fn).not.toHaveBeenCalled();
  });
});

describe('realSleep and abortable', () => {
  it('sleeps, and rejects early on abort', async () => {
    await expect(realSleep(1)).resolves.toBeUndefined();
    const controller = new AbortController();
    const started = Date.now();
    const pending = realSleep(10_000, controller.signal);
    controller.abort(new Error('bye'));
    await expect(pending).rejects.toThrow('bye');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('passes results through and rejects on abort before settlement', async () => {
    await expect(abortable(Promise.resolve(7))).resolves.toBe(7);
    const controller = new AbortController();
    const never = new Promise<number>(() => undefined);
    const pending = abortable(never, controller.signal);
    controller.abort('cancelled');
    await expect(pending).rejects.toThrow('cancelled');
  });
});
