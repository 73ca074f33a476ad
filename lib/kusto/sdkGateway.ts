/**
 * {@link KustoGateway} over azure-kusto-data: one client per endpoint, a findable client request id
 * on every command, retries for transient failures, and typed, redacted errors.
 *
 * Responses are requested raw (`ClientRequestProperties.raw`) and read here rather than by the SDK:
 * the SDK's parser converts datetimes to `Date` (losing the 100 ns digits), ignores in-band v1
 * errors and drops the OneApi `@permanent` flag of in-band v2 errors.
 */
import { randomUUID } from 'node:crypto';
import type { Agent } from 'node:http';
import { Client, ClientRequestProperties, KustoDataErrors } from 'azure-kusto-data';
import {
  AdxBackupError,
  PermanentError,
  ThrottledError,
  TransientError,
  ValidationError,
  isRetryable,
} from '../errors';
import type { ServerErrorInfo } from '../errors';
import type { ClusterAuthOptions } from './auth';
import { buildConnectionString, deriveDmUri, normalizeClusterUri } from './auth';
import type { ExecuteOptions, KustoGateway, LogFields, Logger } from './gateway';
import { redact, redactError, redactFields } from './redact';
import type { Random, RetryPolicy, Sleep } from './retry';
import { DEFAULT_RETRY_POLICY, retry, validateRetryPolicy } from './retry';
import type { KustoCommand, KustoEndpoint, ResultColumn, ResultTable } from './types';

// ---------------------------------------------------------------------------------------------
// Error classification
// ---------------------------------------------------------------------------------------------

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

interface OneApiBody {
  readonly code?: string;
  readonly message?: string;
  readonly type?: string;
  readonly permanent?: boolean;
}

function isAxiosLike(value: unknown): value is AxiosLike {
  return (
    typeof value === 'object' && value !== null && (value as { isAxiosError?: unknown }).isAxiosError === true
  );
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Reads a OneApi `{"error": {...}}` (object or JSON text); the Node client never parses it. */
function readOneApi(data: unknown): OneApiBody | undefined {
  let parsed = data;
  if (typeof data === 'string') {
    try {
      parsed = JSON.parse(data);
    } catch {
      return undefined;
    }
  }
  const error = asRecord(asRecord(parsed)?.error);
  if (!error) return undefined;
  return readOneApiError(error);
}

function readOneApiError(error: Record<string, unknown>): OneApiBody {
  const permanent = error['@permanent'];
  return {
    code: str(error.code),
    message: str(error['@message']) ?? str(error.message),
    type: str(error['@type']),
    permanent: typeof permanent === 'boolean' ? permanent : undefined,
  };
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

function suffix(context: FailureContext): string {
  return context.clientRequestId ? ` (client request id ${context.clientRequestId})` : '';
}

function build(
  kind: 'throttled' | 'transient' | 'permanent',
  message: string,
  info: ServerErrorInfo,
): TransientError | PermanentError {
  const safeInfo: ServerErrorInfo = {
    ...info,
    ...(info.serverMessage !== undefined ? { serverMessage: redact(info.serverMessage) } : {}),
  };
  const safeMessage = redact(message);
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
  const serverCode = oneApi?.code ?? (str(response?.statusText) || axios.code);
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
    `${head}${status !== undefined && serverMessage ? `: ${serverMessage}` : ''}${suffix(context)}`,
    {
      ...(serverCode !== undefined ? { serverCode } : {}),
      ...(serverMessage !== undefined ? { serverMessage } : {}),
      ...(status !== undefined ? { httpStatus: status } : {}),
      ...(context.clientRequestId !== undefined ? { clientRequestId: context.clientRequestId } : {}),
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
    return build('throttled', `Kusto ${context.operation} was throttled${suffix(context)}`, {
      httpStatus: 429,
      ...(context.clientRequestId !== undefined ? { clientRequestId: context.clientRequestId } : {}),
    });
  }
  if (isAxiosLike(error)) return classifyHttp(error, context, false);

  const text = redactError(error);
  const info: ServerErrorInfo =
    context.clientRequestId !== undefined ? { clientRequestId: context.clientRequestId } : {};
  if (error instanceof KustoDataErrors.KustoAuthenticationError) {
    return build(
      'permanent',
      `Kusto ${context.operation} could not authenticate: ${text}${suffix(context)}`,
      info,
    );
  }
  const code = (error as { code?: unknown } | null)?.code;
  const transient =
    isLowMemoryText(text) ||
    TIMEOUT_TEXT.test(text) ||
    (typeof code === 'string' && NETWORK_CODES.has(code)) ||
    // The cloud-metadata probe wraps its axios failure into a plain Error with the status in the text.
    /status code 5\d\d|ECONNRESET|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN/.test(text);
  return build(
    transient ? 'transient' : 'permanent',
    `Kusto ${context.operation} failed: ${text}${suffix(context)}`,
    {
      ...info,
      ...(isLowMemoryText(text) ? { serverCode: 'LowMemoryCondition' } : {}),
    },
  );
}

/** An error reported inside a 200 response (partial failure, v1 `Exceptions`, v2 OneApi errors). */
interface InBandError {
  readonly message: string;
  readonly code?: string;
  readonly permanent?: boolean;
}

/**
 * Classifies errors reported inside a successful response. There is no HTTP status to go by, so
 * the server's `@permanent` flag decides, except that low memory is always worth a retry.
 */
function classifyInBand(
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
    `Kusto ${context.operation} returned errors: ${serverMessage}${suffix(context)}`,
    {
      ...(serverCode !== undefined ? { serverCode } : {}),
      serverMessage,
      httpStatus: 200,
      ...(context.clientRequestId !== undefined ? { clientRequestId: context.clientRequestId } : {}),
    },
  );
}

// ---------------------------------------------------------------------------------------------
// Response reading (raw v1 / v2 bodies, reference §2.3, §2.4, §2.6)
// ---------------------------------------------------------------------------------------------

const DATA_TYPE_TO_KUSTO: Record<string, string> = {
  string: 'string',
  datetime: 'datetime',
  timespan: 'timespan',
  int32: 'int',
  int64: 'long',
  double: 'real',
  boolean: 'bool',
  sbyte: 'bool',
  guid: 'guid',
  object: 'dynamic',
  sqldecimal: 'decimal',
};

interface RawTable {
  readonly columns: ResultColumn[];
  readonly rows: unknown[];
}

interface BodyRead {
  readonly table: ResultTable;
  readonly errors: InBandError[];
}

function shapeError(what: string): PermanentError {
  return new PermanentError(`Unexpected Kusto response: ${what}`);
}

function readColumns(value: unknown): ResultColumn[] {
  if (!Array.isArray(value)) throw shapeError('table without Columns');
  return value.map((c: unknown) => {
    const col = asRecord(c) ?? {};
    const dataType = str(col.DataType);
    return {
      name: str(col.ColumnName) ?? '',
      type:
        str(col.ColumnType) ??
        (dataType
          ? (DATA_TYPE_TO_KUSTO[dataType.replace(/^System\./, '').toLowerCase()] ?? dataType.toLowerCase())
          : 'dynamic'),
    };
  });
}

function readTable(value: unknown): RawTable {
  const table = asRecord(value);
  if (!table) throw shapeError('table is not an object');
  return {
    columns: readColumns(table.Columns),
    rows: Array.isArray(table.Rows) ? (table.Rows as unknown[]) : [],
  };
}

/** Splits rows into data rows and in-band errors carried as object rows. */
function splitRows(rows: readonly unknown[], errors: InBandError[]): unknown[][] {
  const data: unknown[][] = [];
  for (const row of rows) {
    if (Array.isArray(row)) {
      data.push(row as unknown[]);
      continue;
    }
    const record = asRecord(row);
    collectErrors(record?.OneApiErrors, record?.Exceptions, errors);
  }
  return data;
}

function collectErrors(oneApiErrors: unknown, exceptions: unknown, errors: InBandError[]): void {
  if (Array.isArray(oneApiErrors)) {
    for (const item of oneApiErrors) {
      const inner = asRecord(asRecord(item)?.error);
      const e = inner ? readOneApiError(inner) : undefined;
      errors.push({
        message: e?.message ?? 'unknown error',
        ...(e?.code !== undefined ? { code: e.code } : {}),
        ...(e?.permanent !== undefined ? { permanent: e.permanent } : {}),
      });
    }
  }
  if (Array.isArray(exceptions)) {
    for (const text of exceptions) errors.push({ message: String(text) });
  }
}

function columnIndex(table: RawTable, name: string): number {
  return table.columns.findIndex((c) => c.name === name);
}

/** Rows of a status table whose level column is Error (2) or worse. */
function statusErrors(
  table: RawTable,
  levelColumn: string,
  textColumns: readonly string[],
  errors: InBandError[],
): void {
  const level = columnIndex(table, levelColumn);
  if (level < 0) return;
  for (const item of table.rows) {
    if (!Array.isArray(item)) continue;
    const row: readonly unknown[] = item;
    const value = Number(row[level]);
    if (!Number.isFinite(value) || value > 2) continue;
    const texts = textColumns
      .map((n) => row[columnIndex(table, n)])
      .filter((t): t is string => typeof t === 'string' && t !== '');
    errors.push({ message: texts.map(payloadText).join(' ') || 'query reported an error' });
  }
}

/** A QueryCompletionInformation payload is JSON with a `Text`, when it is JSON at all. */
function payloadText(text: string): string {
  try {
    const parsed = asRecord(JSON.parse(text));
    return str(parsed?.Text) ?? text;
  } catch {
    return text;
  }
}

/** Reads a v1 body: one table, or a query-shaped set whose last table is the table of contents. */
function readV1(body: unknown): BodyRead {
  const root = asRecord(body);
  if (!root || !Array.isArray(root.Tables) || root.Tables.length === 0)
    throw shapeError('v1 body without Tables');
  const tables = (root.Tables as unknown[]).map(readTable);
  const errors: InBandError[] = [];
  collectErrors(undefined, root.Exceptions, errors);
  let primary = tables[0] as RawTable;
  if (tables.length > 2) {
    const toc = tables[tables.length - 1] as RawTable;
    const kind = columnIndex(toc, 'Kind');
    const ordinal = columnIndex(toc, 'Ordinal');
    let found = false;
    toc.rows.forEach((item, i) => {
      if (!Array.isArray(item)) return;
      const row: readonly unknown[] = item;
      const cell = row[ordinal];
      const at = typeof cell === 'number' ? cell : i;
      const table = tables[at];
      if (!table) return;
      if (!found && (row[kind] === 'QueryResult' || row[kind] === 'PrimaryResult')) {
        primary = table;
        found = true;
      } else if (row[kind] === 'QueryStatus') {
        statusErrors(table, 'Severity', ['StatusDescription'], errors);
      }
    });
  }
  return { table: { columns: primary.columns, rows: splitRows(primary.rows, errors) }, errors };
}

/** Reads a v2 frame array; understands progressive frames too, which the Node client does not. */
function readV2(body: unknown): BodyRead {
  if (!Array.isArray(body)) throw shapeError('v2 body is not a frame array');
  const errors: InBandError[] = [];
  let primary: { columns: ResultColumn[]; rows: unknown[][]; id?: unknown } | undefined;
  for (const item of body) {
    const frame = asRecord(item);
    if (!frame) continue;
    switch (frame.FrameType) {
      case 'DataTable':
        if (frame.TableKind === 'PrimaryResult' && !primary) {
          const t = readTable(frame);
          primary = { columns: t.columns, rows: splitRows(t.rows, errors) };
        } else if (frame.TableKind === 'QueryCompletionInformation') {
          statusErrors(readTable(frame), 'Level', ['Payload'], errors);
        }
        break;
      case 'TableHeader':
        if (frame.TableKind === 'PrimaryResult' && !primary) {
          primary = { columns: readColumns(frame.Columns), rows: [], id: frame.TableId };
        }
        break;
      case 'TableFragment':
        if (primary && frame.TableId === primary.id && Array.isArray(frame.Rows)) {
          const rows = splitRows(frame.Rows as unknown[], errors);
          primary.rows = frame.TableFragmentType === 'DataReplace' ? rows : primary.rows.concat(rows);
        }
        break;
      case 'TableCompletion':
        collectErrors(frame.OneApiErrors, undefined, errors);
        break;
      case 'DataSetCompletion':
        collectErrors(frame.OneApiErrors, undefined, errors);
        if (frame.HasErrors === true && errors.length === 0)
          errors.push({ message: 'query completed with errors' });
        break;
      default:
        break;
    }
  }
  return { table: { columns: primary?.columns ?? [], rows: primary?.rows ?? [] }, errors };
}

// ---------------------------------------------------------------------------------------------
// The adapter
// ---------------------------------------------------------------------------------------------

/** Construction options for {@link SdkKustoGateway}. */
export interface SdkGatewayOptions {
  /** Engine URI: `https://<cluster>.kusto.windows.net`, or `http://127.0.0.1:<port>` for the emulator. */
  readonly clusterUri: string;
  /** DM (ingest) URI; derived from `clusterUri` when absent (see `deriveDmUri`). */
  readonly dmUri?: string;
  readonly auth?: ClusterAuthOptions;
  readonly logger?: Logger;
  /** Overrides of {@link DEFAULT_RETRY_POLICY}. */
  readonly retry?: Partial<RetryPolicy>;
  readonly sleep?: Sleep;
  readonly random?: Random;
  /** Source of the unique part of client request ids (default: random UUID). */
  readonly newId?: () => string;
  /** Client-side timeout per request; by default the SDK's (server timeout + 30 s). */
  readonly clientTimeoutMs?: number;
  /** Sent as `x-ms-app`. */
  readonly application?: string;
}

const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Replaces characters that do not belong in a request-id header. */
function sanitizeOperation(operation: string): string {
  const clean = operation.replace(/[^A-Za-z0-9._-]/g, '_');
  return clean === '' ? 'command' : clean;
}

/** {@link KustoGateway} backed by azure-kusto-data clients. */
export class SdkKustoGateway implements KustoGateway {
  private readonly uris: Record<KustoEndpoint, string>;
  private readonly clients = new Map<KustoEndpoint, Client>();
  private readonly policy: RetryPolicy;
  private readonly logger: Logger;
  private closed = false;

  constructor(private readonly options: SdkGatewayOptions) {
    const engine = normalizeClusterUri(options.clusterUri, 'clusterUri');
    const dm =
      options.dmUri !== undefined ? normalizeClusterUri(options.dmUri, 'dmUri') : deriveDmUri(engine);
    this.uris = { engine, dm };
    this.policy = validateRetryPolicy({ ...DEFAULT_RETRY_POLICY, ...options.retry });
    this.logger = options.logger ?? silentLogger;
    if (options.clientTimeoutMs !== undefined && !(options.clientTimeoutMs > 0)) {
      throw new ValidationError('clientTimeoutMs', 'must be > 0');
    }
  }

  /** The URI used for an endpoint (after DM derivation). */
  endpointUri(endpoint: KustoEndpoint): string {
    return this.uris[endpoint];
  }

  /** See {@link KustoGateway.execute}; each attempt gets its own client request id. */
  async execute(database: string, command: KustoCommand, options: ExecuteOptions = {}): Promise<ResultTable> {
    if (this.closed) throw new PermanentError('Kusto gateway is closed');
    if (!database.trim()) throw new ValidationError('database', 'must not be empty');
    const client = this.clientFor(command.endpoint);
    const isMgmt = command.text.trim().startsWith('.');
    const operation = sanitizeOperation(command.operation);
    return retry(
      async () => {
        const clientRequestId = `adx-backup.${operation};${this.options.newId?.() ?? randomUUID()}`;
        const properties = this.requestProperties(clientRequestId, options);
        let body: unknown;
        try {
          body = await client.execute(database, command.text, properties);
        } catch (error) {
          throw classifyError(error, { operation: command.operation, clientRequestId });
        }
        const { table, errors } = isMgmt ? readV1(body) : readV2(body);
        if (errors.length > 0)
          throw classifyInBand(errors, { operation: command.operation, clientRequestId });
        return table;
      },
      {
        policy: this.policy,
        shouldRetry: isRetryable,
        serverHintMs: retryHintMs,
        ...(this.options.sleep ? { sleep: this.options.sleep } : {}),
        ...(this.options.random ? { random: this.options.random } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        onFailure: (f) =>
          this.log(
            f.willRetry ? 'warn' : 'error',
            f.willRetry ? 'Kusto command failed; retrying' : 'Kusto command failed',
            {
              operation: command.operation,
              endpoint: command.endpoint,
              database,
              mutating: command.mutating,
              attempt: f.attempt,
              attempts: f.attempts,
              delayMs: f.delayMs,
              ...errorFields(f.error),
            },
          ),
      },
    );
  }

  /** See {@link KustoGateway.close}; also cancels requests still in flight. */
  close(): void {
    this.closed = true;
    for (const client of this.clients.values()) {
      client.close();
      // The SDK's keep-alive agents outlive close(); destroying them frees the sockets now.
      (client.axiosInstance.defaults.httpAgent as Agent | undefined)?.destroy();
      (client.axiosInstance.defaults.httpsAgent as Agent | undefined)?.destroy();
    }
    this.clients.clear();
  }

  private clientFor(endpoint: KustoEndpoint): Client {
    let client = this.clients.get(endpoint);
    if (!client) {
      client = new Client(buildConnectionString(this.uris[endpoint], this.options.auth));
      this.clients.set(endpoint, client);
    }
    return client;
  }

  private requestProperties(clientRequestId: string, options: ExecuteOptions): ClientRequestProperties {
    const properties = new ClientRequestProperties();
    properties.clientRequestId = clientRequestId;
    properties.application = this.options.application ?? 'adx-backup';
    properties.raw = true;
    if (options.timeoutMs !== undefined) properties.setTimeout(options.timeoutMs);
    if (this.options.clientTimeoutMs !== undefined) properties.setClientTimeout(this.options.clientTimeoutMs);
    return properties;
  }

  private log(level: 'warn' | 'error', message: string, fields: LogFields): void {
    try {
      this.logger[level](redact(message), redactFields(fields));
    } catch {
      // A failing logger must not turn into a failed command.
    }
  }
}

function errorFields(error: unknown): LogFields {
  if (error instanceof TransientError || error instanceof PermanentError) {
    return {
      errorType: error.code,
      serverCode: error.info.serverCode,
      httpStatus: error.info.httpStatus,
      clientRequestId: error.info.clientRequestId,
      error: error.message,
    };
  }
  return {
    errorType: error instanceof AdxBackupError ? error.code : 'Error',
    error: redactError(error),
  };
}
