/**
 * Entry of the `adx-backup` command (`bin/adx-backup.js` loads it). Parses the command line, loads
 * the configuration, runs one subcommand and maps the outcome to an exit code: 0 on success, 1 when
 * an operation or check failed, 2 for a wrong or missing option or setting (reported on one line,
 * before anything is sent).
 */
// First: function modules register on import, and only into the stub when it is already installed.
import '../runtime/hostless';
import { CommanderError } from 'commander';
import type { Config } from '../config';
import { loadConfig } from '../config';
import { ConfigError } from '../errors';
import { redactError } from '../kusto/redact';
import { installFunctionsCoreStub } from '../runtime/installStub';
import type { CommandContext } from './context';
import type { CliDeps } from './deps';
import type * as DepsModule from './deps';
import type { CliIo } from './io';
import { ExitCode, OperationFailed, UsageError, processIo } from './io';
import type { CliHandlers, ParsedOptions } from './program';
import { buildProgram } from './program';
import { commandHandlers } from './handlers';

/** A handler that needs the command context (what `commands/` export). */
export type ContextHandler = (ctx: CommandContext, opts: ParsedOptions) => Promise<number>;

/** Runs the CLI with `argv` (arguments after the program name); resolves with the exit code. */
export async function runCli(
  argv: readonly string[],
  io: CliIo = processIo(),
  handlers: Record<keyof CliHandlers, ContextHandler> = commandHandlers,
): Promise<number> {
  // Registrations must reach the in-process runner, not the (absent) Functions host.
  installFunctionsCoreStub();
  let exit: number = ExitCode.ok;
  let current = 'adx-backup';
  let deps: CliDeps | undefined;
  const bound = {} as Record<keyof CliHandlers, (opts: ParsedOptions) => Promise<number>>;
  for (const [name, handler] of Object.entries(handlers) as [keyof CliHandlers, ContextHandler][]) {
    bound[name] = async (opts) => {
      current = `adx-backup ${name.replace(/^deletions(\w)/, (_, c: string) => `deletions ${c.toLowerCase()}`)}`;
      const config: Config = loadConfig(io.env);
      // Loaded here rather than at the top so --help does not load the Kusto and storage SDKs.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { createCliDeps } = require('./deps') as typeof DepsModule;
      const ctx: CommandContext = {
        io,
        json: opts.json === true,
        config,
        deps: () => (deps ??= createCliDeps(config, io.env)),
      };
      return handler(ctx, opts);
    };
  }
  const program = buildProgram(bound, { writeOut: io.out, writeErr: io.err }, (code) => (exit = code));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exit;
  } catch (error) {
    if (error instanceof CommanderError) {
      return /helpDisplayed|commander\.help|version/.test(error.code) ? ExitCode.ok : ExitCode.usage;
    }
    if (error instanceof UsageError) {
      io.err(`${current}: ${error.message}\n`);
      return ExitCode.usage;
    }
    if (error instanceof ConfigError) {
      io.err(
        `${current}: configuration: ${error.problems.map((p) => `${p.key}: ${p.message}`).join('; ')}\n`,
      );
      return ExitCode.usage;
    }
    const text = error instanceof OperationFailed ? error.message : redactError(error);
    io.err(`${current}: ${text.split('\n').join(' ')}\n`);
    return ExitCode.failed;
  } finally {
    deps?.close();
  }
}
