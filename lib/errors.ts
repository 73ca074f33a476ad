/**
 * Typed errors. Every failure the control plane reports is one of these, so callers (HTTP handlers,
 * orchestrations, the CLI) can map them to status codes, retry decisions and exit codes without
 * parsing messages.
 */

/** Base class: carries a stable `code` for programmatic handling. */
export abstract class AdxBackupError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Caller input is invalid. `field` names the offending parameter (dotted path for nested input). */
export class ValidationError extends AdxBackupError {
  readonly code = 'ValidationError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** One or more settings are missing or malformed; `problems` lists every one of them. */
export class ConfigError extends AdxBackupError {
  readonly code = 'ConfigError';
  constructor(readonly problems: readonly { key: string; message: string }[]) {
    super(`Invalid configuration: ${problems.map((p) => `${p.key}: ${p.message}`).join('; ')}`);
  }
}

/** Details the server gave about a failed command (OneApi error body or HTTP status). */
export interface ServerErrorInfo {
  /** OneApi `error.code`, or the HTTP reason when there was no body. */
  readonly serverCode?: string;
  /** OneApi `@message` (falling back to `message`): the human text the server sent. */
  readonly serverMessage?: string;
  readonly httpStatus?: number;
  readonly clientRequestId?: string;
}

/** A failure that may succeed when retried (5xx, timeouts, low memory). */
export class TransientError extends AdxBackupError {
  readonly code: string = 'TransientError';
  constructor(
    message: string,
    readonly info: ServerErrorInfo = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The server throttled the request (HTTP 429 / State=Throttled); retry after a back-off. */
export class ThrottledError extends TransientError {
  override readonly code = 'ThrottledError';
}

/** A failure that will not succeed when retried as is (syntax, permissions, missing entities). */
export class PermanentError extends AdxBackupError {
  readonly code = 'PermanentError';
  constructor(
    message: string,
    readonly info: ServerErrorInfo = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A named entity (database, table, restore) does not exist. */
export class NotFoundError extends AdxBackupError {
  readonly code = 'NotFoundError';
}

/** The request conflicts with the current state (e.g. scrubbing the backup for a deletion that failed). */
export class ConflictError extends AdxBackupError {
  readonly code = 'ConflictError';
}

/** True for errors worth retrying with back-off. */
export function isRetryable(error: unknown): error is TransientError {
  return error instanceof TransientError;
}
