/**
 * Turns Kusto failures (HTTP errors, SDK errors, errors reported inside a 200 answer) into
 * `ThrottledError`, `TransientError` or `PermanentError`, so that retries and callers decide on the
 * class alone. Every message is redacted: Kusto echoes command text, secrets included.
 */
import { KustoDataErrors } from 'azure-kusto-data';
import { PermanentError, ThrottledError, TransientError } from '../errors';
import type { ServerErrorInfo } from '../errors';
import { asRecord, lenientJson, nonEmptyString } from './json';
import { redact, redactError } from './redact';

/** `E_LOW_MEMORY_CONDITION` in any of the spellings Kusto uses (HRESULT, native name, OneApi code). */
const LOW_MEMORY = /80DA0007|E_LOW_MEMORY_CONDITION|LowMemoryCondition/i;
const TIMEOUT_TEXT = /RequestExecutionTimeout|timeout of \d+ms exceeded|socket hang up|ServiceTimeout/i;
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ERR_NETWORK',
]);

/** True when text describes Kusto's low-memory failure, which shrinking the work can fix. */
export function isLowMemoryText(text: string): boolean {
  return LOW_MEMORY.test(text);
}

/** Where a failure happened, for messages and `ServerErrorInfo`. */
export interface FailureContext {
  readonly operation: string;
  readonly clientRequestId?: string;
}

/** An error reported inside a 200 response (partial failure, v1 `Exceptions`, v2 OneApi errors). */
export interface InBandError {
  readonly message: string;
  readonly code?: string;
  readonly permanent?: boolean;
}

/** The fields of a OneApi error object (`{"code", "message", "@message", "@type", "@permanent"}`). */
export interface OneApiBody {
  readonly code?: string;
  readonly message?: string;
  readonly type?: string;
  readonly permanent?: boolean;
}

interface AxiosLike {
  readonly isAxiosError: true;
  readonly message: string;
  readonly code?: string;
  readonly response?: {
    readonly status: number;
    readonly statusText?: string;
    readonly data?: unknown;
    readonly headers?: Record<string, unknown>;
  };
}

function isAxiosLike(value: unknown): value is AxiosLike {
  return (
    typeof value === 'object' && value !== null && (value as { isAxiosError?: unknown }).isAxiosError === true
  );
}

/** Reads one OneApi error object; `@message` is the human text, `message` a generic summary. */
export function readOneApiError(error: Record<string, unknown>): OneApiBody {
  const permanent = error['@permanent'];
  return {
    code: nonEmptyString(error.code),
    message: nonEmptyString(error['@message']) ?? nonEmptyString(error.message),
    type: nonEmptyString(error['@type']),
    permanent: typeof permanent === 'boolean' ? permanent : undefined,
  };
}

/** Reads a OneApi `{"error": {...}}` (object or JSON text); the Node client never parses it. */
function readOneApi(data: unknown): OneApiBody | undefined {
  const error = asRecord(asRecord(lenientJson(data))?.error);
  return error ? readOneApiError(error) : undefined;
}

/** Retry-After (seconds or an HTTP date) in milliseconds. */
function retryAfterMs(headers: Record<string, unknown> | undefined): number | undefined {
  const raw = headers?.['retry-after'];
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(String(raw));
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** Server back-off hints for errors this module created. */
const retryHints = new WeakMap<object, number>();

/** The `Retry-After` the server sent with a throttled/transient error, if any. */
export function retryHintMs(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null ? retryHints.get(error) : undefined;
}

/** The request id as `ServerErrorInfo` fields, so that it is only present when known. */
function requestIdInfo(context: FailureContext): ServerErrorInfo {
  return context.clientRequestId !== undefined ? { clientRequestId: context.clientRequestId } : {};
}

/** Builds the error with a redacted message and server text; the message names the request id. */
function build(
  kind: 'throttled' | 'transient' | 'permanent',
  message: string,
  context: FailureContext,
  info: ServerErrorInfo,
): TransientError | PermanentError {
  const safeInfo: ServerErrorInfo = {
    ...info,
    ...(info.serverMessage !== undefined ? { serverMessage: redact(info.serverMessage) } : {}),
  };
  const id = context.clientRequestId ? ` (client request id ${context.clientRequestId})` : '';
  const safeMessage = redact(`${message}${id}`);
  if (kind === 'throttled') return new ThrottledError(safeMessage, safeInfo);
  if (kind === 'transient') return new TransientError(safeMessage, safeInfo);
  return new PermanentError(safeMessage, safeInfo);
}

function classifyHttp(
  axios: AxiosLike,
  context: FailureContext,
  throttled: boolean,
): TransientError | PermanentError {
  const response = axios.response;
  const status = response?.status;
  const oneApi = readOneApi(response?.data);
  const rawBody = typeof response?.data === 'string' ? response.data.slice(0, 500) : undefined;
  const serverMessage = oneApi?.message ?? rawBody ?? (status === undefined ? axios.message : undefined);
  const serverCode = oneApi?.code ?? (nonEmptyString(response?.statusText) || axios.code);
  const evidence = [serverCode, oneApi?.type, serverMessage, axios.message].filter(Boolean).join(' ');

  let kind: 'throttled' | 'transient' | 'permanent' = 'permanent';
  if (
    throttled ||
    status === 429 ||
    /Throttl|TooManyRequests/i.test(`${serverCode ?? ''} ${oneApi?.type ?? ''}`)
  ) {
    kind = 'throttled';
  } else if (
    isLowMemoryText(evidence) ||
    (status !== undefined && status >= 500) ||
    (status === undefined && (NETWORK_CODES.has(axios.code ?? '') || TIMEOUT_TEXT.test(axios.message)))
  ) {
    kind = 'transient';
  }

  const head =
    status !== undefined
      ? `Kusto ${context.operation} failed with HTTP ${status}${serverCode ? ` ${serverCode}` : ''}`
      : `Kusto ${context.operation} failed: ${axios.message}${axios.code ? ` (${axios.code})` : ''}`;
  const error = build(
    kind,
    `${head}${status !== undefined && serverMessage ? `: ${serverMessage}` : ''}`,
    context,
    {
      ...(serverCode !== undefined ? { serverCode } : {}),
      ...(serverMessage !== undefined ? { serverMessage } : {}),
      ...(status !== undefined ? { httpStatus: status } : {}),
      ...requestIdInfo(context),
    },
  );
  const hint = retryAfterMs(response?.headers);
  if (hint !== undefined && kind !== 'permanent') retryHints.set(error, hint);
  return error;
}

/**
 * Turns anything the Kusto client throws into `ThrottledError` (429), `TransientError` (low memory,
 * 5xx, timeouts, connection failures) or `PermanentError` (everything else), keeping the server's
 * OneApi `code` and `@message`. Messages are redacted and the raw error is not attached, since it
 * holds the request body (command text) and headers.
 */
export function classifyError(error: unknown, context: FailureContext): TransientError | PermanentError {
  if (error instanceof TransientError || error instanceof PermanentError) return error;
  if (error instanceof KustoDataErrors.ThrottlingError) {
    const inner = error.inner;
    if (isAxiosLike(inner)) return classifyHttp(inner, context, true);
    return build('throttled', `Kusto ${context.operation} was throttled`, context, {
      httpStatus: 429,
      ...requestIdInfo(context),
    });
  }
  if (isAxiosLike(error)) return classifyHttp(error, context, false);

  const text = redactError(error);
  if (error instanceof KustoDataErrors.KustoAuthenticationError) {
    return build(
      'permanent',
      `Kusto ${context.operation} could not authenticate: ${text}`,
      context,
      requestIdInfo(context),
    );
  }
  const code = (error as { code?: unknown } | null)?.code;
  const transient =
    isLowMemoryText(text) ||
    TIMEOUT_TEXT.test(text) ||
    (typeof code === 'string' && NETWORK_CODES.has(code)) ||
    // The cloud-metadata probe wraps its axios failure into a plain Error with the status in the text.
    /status code 5\d\d|ECONNRESET|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN/.test(text);
  return build(transient ? 'transient' : 'permanent', `Kusto ${context.operation} failed: ${text}`, context, {
    ...requestIdInfo(context),
    ...(isLowMemoryText(text) ? { serverCode: 'LowMemoryCondition' } : {}),
  });
}

/**
 * Classifies errors reported inside a successful response. There is no HTTP status to go by, so
 * the server's `@permanent` flag decides, except that low memory is always worth a retry.
 */
export function classifyInBand(
  errors: readonly InBandError[],
  context: FailureContext,
): TransientError | PermanentError {
  const lowMemory = errors.find((e) => isLowMemoryText(`${e.code ?? ''} ${e.message}`));
  const transient =
    lowMemory !== undefined || errors.every((e) => e.permanent === false || TIMEOUT_TEXT.test(e.message));
  const first = lowMemory ?? errors[0];
  const serverCode = first?.code ?? (lowMemory ? 'LowMemoryCondition' : undefined);
  const serverMessage = errors.map((e) => e.message).join('; ');
  return build(
    transient ? 'transient' : 'permanent',
    `Kusto ${context.operation} returned errors: ${serverMessage}`,
    context,
    {
      ...(serverCode !== undefined ? { serverCode } : {}),
      serverMessage,
      httpStatus: 200,
      ...requestIdInfo(context),
    },
  );
}
