/**
 * {@link KustoGateway} over azure-kusto-data: one client per endpoint, a findable client request id
 * on every command, retries for transient failures, and typed, redacted errors.
 *
 * Responses are requested raw (`ClientRequestProperties.raw`) and read by `responseReader.ts`
 * rather than by the SDK, whose parser loses datetime precision and in-band errors; failures are
 * classified by `classify.ts`.
 */
import { randomUUID } from 'node:crypto';
import type { Agent } from 'node:http';
import { Client, ClientRequestProperties } from 'azure-kusto-data';
import { AdxBackupError, PermanentError, TransientError, ValidationError, isRetryable } from '../errors';
import type { ClusterAuthOptions } from './auth';
import { buildConnectionString, deriveDmUri, normalizeClusterUri } from './auth';
import { classifyError, classifyInBand, retryHintMs } from './classify';
import type { ExecuteOptions, KustoGateway, LogFields, Logger } from './gateway';
import { redact, redactError, redactFields } from './redact';
import { readV1, readV2 } from './responseReader';
import type { Random, RetryPolicy, Sleep } from './retry';
import { DEFAULT_RETRY_POLICY, retry, validateRetryPolicy } from './retry';
import type { KustoCommand, KustoEndpoint, ResultTable } from './types';

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
