/**
 * Where the CLI writes, and the errors that decide its exit code. Commands write results to
 * `out` (stdout, machine-readable with `--json`) and everything else to `err`, so
 * `adx-backup plan > commands.kql` and `--json | jq` stay clean.
 */

/** The CLI's streams and environment. */
export interface CliIo {
  /** Results (stdout). */
  readonly out: (text: string) => void;
  /** Diagnostics, notes and errors (stderr). */
  readonly err: (text: string) => void;
  /** A terminal for progress bars; absent when stderr is not a TTY (bars are then off). */
  readonly progressStream?: NodeJS.WriteStream;
  /** Configuration source; undefined means the process environment (read by `lib/config.ts`). */
  readonly env?: Record<string, string | undefined>;
}

/** The process's own streams. */
export function processIo(): CliIo {
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    ...(process.stderr.isTTY ? { progressStream: process.stderr } : {}),
  };
}

/** Exit codes: success, a failed operation (or check), and a usage error (nothing was sent). */
export const ExitCode = { ok: 0, failed: 1, usage: 2 } as const;

/** A wrong or missing option, detected before any network call. */
export class UsageError extends Error {
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`${option}: ${message}`);
    this.name = 'UsageError';
  }
}

/** An operation ran and failed (or a check did not pass); the message is printed as is. */
export class OperationFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OperationFailed';
  }
}
