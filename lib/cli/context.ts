/** What every subcommand gets: the streams, the output mode, the configuration and lazy dependencies. */
import type { Config } from '../config';
import type { CliDeps } from './deps';
import type { CliIo } from './io';

/** The context of one subcommand run. */
export interface CommandContext {
  readonly io: CliIo;
  /** `--json`: one JSON document on stdout, no progress bars. */
  readonly json: boolean;
  readonly config: Config;
  /** Built on first use, after the options were validated. */
  deps(): CliDeps;
}

/** Prints the result: `value` as JSON with `--json`, else `text`. */
export function printResult(ctx: CommandContext, value: unknown, text: string): void {
  ctx.io.out(ctx.json ? `${JSON.stringify(value, null, 2)}\n` : text.endsWith('\n') ? text : `${text}\n`);
}

/** Prints a note on stderr (never with `--json`, whose stdout is the whole answer anyway). */
export function note(ctx: CommandContext, text: string): void {
  if (!ctx.json) ctx.io.err(`${text}\n`);
}
