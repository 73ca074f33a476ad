/**
 * The port through which the control plane talks to Kusto. Activities depend on this interface
 * only; the azure-kusto-data adapter (`sdkGateway.ts`) and test fakes implement it.
 */
import type { KustoCommand, ResultTable } from './types';

/** Per-call options for {@link KustoGateway.execute}. */
export interface ExecuteOptions {
  /** Abandons the call (and any retry back-off) when aborted; the abort reason is thrown. */
  readonly signal?: AbortSignal;
  /** Server-side timeout for this command (`servertimeout`); the client waits 30 s longer. */
  readonly timeoutMs?: number;
}

/**
 * Executes built commands against a cluster and turns every answer into a {@link ResultTable}
 * and every failure into a typed error.
 */
export interface KustoGateway {
  /**
   * Runs `command` against `database` on the endpoint the command names (engine or DM). Text that
   * starts with `.` is a management command (`/v1/rest/mgmt`), anything else a query
   * (`/v2/rest/query`). Resolves with the primary result table, cell values raw as sent by the
   * server (datetimes and timespans stay strings with their full precision).
   *
   * Rejects with `ThrottledError` / `TransientError` (after the gateway's own retries are spent)
   * or `PermanentError`, whose messages never contain secrets; or with the abort reason.
   */
  execute(database: string, command: KustoCommand, options?: ExecuteOptions): Promise<ResultTable>;
  /** Releases connections. Calls after `close` fail. */
  close(): void;
}

/** Values a structured log line may carry. */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/** Structured logger: one message plus machine-readable fields. */
export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}
