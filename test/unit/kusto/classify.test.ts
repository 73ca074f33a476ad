import { KustoDataErrors } from 'azure-kusto-data';
import { PermanentError, ThrottledError, TransientError } from '../../../lib/errors';
import {
  classifyError,
  classifyInBand,
  isLowMemoryText,
  readOneApiError,
  retryHintMs,
} from '../../../lib/kusto/classify';

/** The shape of an axios failure, which is what the Kusto client throws for HTTP errors. */
function httpFailure(status: number, data: unknown, headers: Record<string, unknown> = {}): unknown {
  return {
    isAxiosError: true,
    message: `Request failed with status code ${status}`,
    response: { status, data, headers },
  };
}

const context = { operation: 'op', clientRequestId: 'adx-backup.op;1' };

describe('classifyError', () => {
  it('passes typed errors through unchanged', () => {
    const original = new PermanentError('x');
    expect(classifyError(original, { operation: 'op' })).toBe(original);
  });

  it('classifies network error codes as transient and unknown errors as permanent', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(classifyError(reset, { operation: 'op' })).toBeInstanceOf(TransientError);
    expect(classifyError(new Error('Client is closed'), { operation: 'op' })).toBeInstanceOf(PermanentError);
    expect(
      classifyError(
        new Error('Failed to get cloud info for cluster x - AxiosError: Request failed with status code 503'),
        { operation: 'op' },
      ),
    ).toBeInstanceOf(TransientError);
  });

  it('recognises low-memory text in every spelling', () => {
    expect(isLowMemoryText('E_LOW_MEMORY_CONDITION')).toBe(true);
    expect(isLowMemoryText('HRESULT 0x80DA0007')).toBe(true);
    expect(isLowMemoryText('LowMemoryCondition')).toBe(true);
    expect(isLowMemoryText('E_RUNAWAY_QUERY (80DA0001)')).toBe(false);
  });

  it('reads the OneApi body of an HTTP failure, given as JSON text, and names the request id', () => {
    const body = JSON.stringify({
      error: { code: 'General_BadRequest', message: 'bad', '@message': 'Semantic error' },
    });
    const error = classifyError(httpFailure(400, body), context);
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toBe(
      'Kusto op failed with HTTP 400 General_BadRequest: Semantic error (client request id adx-backup.op;1)',
    );
    expect(error.info).toEqual({
      serverCode: 'General_BadRequest',
      serverMessage: 'Semantic error',
      httpStatus: 400,
      clientRequestId: 'adx-backup.op;1',
    });
  });

  it('keeps the Retry-After of throttled and transient failures as a hint, never of permanent ones', () => {
    const throttled = classifyError(httpFailure(429, '', { 'retry-after': '3' }), context);
    expect(throttled).toBeInstanceOf(ThrottledError);
    expect(retryHintMs(throttled)).toBe(3000);
    expect(retryHintMs(classifyError(httpFailure(503, '', { 'retry-after': 1 }), context))).toBe(1000);
    expect(retryHintMs(classifyError(httpFailure(400, '', { 'retry-after': '3' }), context))).toBeUndefined();
    expect(retryHintMs(new Error('x'))).toBeUndefined();
  });

  it('treats the SDK throttling error as throttled even without an HTTP answer', () => {
    const error = classifyError(new KustoDataErrors.ThrottlingError('throttled', new Error('x')), context);
    expect(error).toBeInstanceOf(ThrottledError);
    expect(error.info).toEqual({ httpStatus: 429, clientRequestId: 'adx-backup.op;1' });
  });
});

describe('classifyInBand', () => {
  it('is permanent unless every error is marked non-permanent or is a timeout', () => {
    expect(classifyInBand([{ message: 'x' }], context)).toBeInstanceOf(PermanentError);
    expect(classifyInBand([{ message: 'x', permanent: false }, { message: 'y' }], context)).toBeInstanceOf(
      PermanentError,
    );
    expect(
      classifyInBand([{ message: 'x', permanent: false }, { message: 'RequestExecutionTimeout' }], context),
    ).toBeInstanceOf(TransientError);
  });

  it('treats low memory as transient whatever the flags, leading with its code', () => {
    const error = classifyInBand(
      [
        { message: 'other', code: 'C', permanent: true },
        { message: 'bad allocation (E_LOW_MEMORY_CONDITION)', permanent: true },
      ],
      context,
    );
    expect(error).toBeInstanceOf(TransientError);
    expect(error.message).toBe(
      'Kusto op returned errors: other; bad allocation (E_LOW_MEMORY_CONDITION) (client request id adx-backup.op;1)',
    );
    expect(error.info).toEqual({
      serverCode: 'LowMemoryCondition',
      serverMessage: 'other; bad allocation (E_LOW_MEMORY_CONDITION)',
      httpStatus: 200,
      clientRequestId: 'adx-backup.op;1',
    });
  });

  it('redacts secrets from message and server message', () => {
    const error = classifyInBand([{ message: 'https://a.blob.core.windows.net/c?sig=SECRETSIG' }], context);
    expect(`${error.message} ${error.info.serverMessage ?? ''}`).not.toContain('SECRETSIG');
  });
});

describe('readOneApiError', () => {
  it('prefers @message over message and keeps only a boolean @permanent', () => {
    expect(
      readOneApiError({
        code: 'C',
        message: 'summary',
        '@message': 'detail',
        '@type': 'T',
        '@permanent': true,
      }),
    ).toEqual({ code: 'C', message: 'detail', type: 'T', permanent: true });
    expect(readOneApiError({ code: '', message: 'summary', '@message': '', '@permanent': 'yes' })).toEqual({
      code: undefined,
      message: 'summary',
      type: undefined,
      permanent: undefined,
    });
  });
});
