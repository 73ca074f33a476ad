/** An in-memory `CliIo` for CLI tests: captures stdout and stderr, with an explicit environment. */
import type { CliIo } from '../../lib/cli/io';

/** Captured output plus the io to hand to `runCli`. */
export interface CapturedIo {
  readonly io: CliIo;
  readonly out: () => string;
  readonly err: () => string;
}

/** A fresh capture; `env` replaces the process environment for configuration. */
export function captureIo(env: Record<string, string | undefined> = {}): CapturedIo {
  let out = '';
  let err = '';
  return {
    io: { out: (s) => void (out += s), err: (s) => void (err += s), env },
    out: () => out,
    err: () => err,
  };
}
