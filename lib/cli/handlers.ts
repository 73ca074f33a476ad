/**
 * Which function runs each subcommand. Command modules are loaded on first use, so `--help` and
 * option errors answer without loading the Kusto, storage and durable SDKs (seconds under ts-node).
 */
/* eslint-disable @typescript-eslint/no-require-imports -- lazy loading: the output is CommonJS, and
   a dynamic import() would bypass ts-node's require hook when the CLI runs from sources. */
import type * as DeletionCommands from './commands/deletions';
import type * as MonitorCommands from './commands/monitor';
import type * as RestoreCommands from './commands/restore';
import type * as VerifyCommands from './commands/verify';
import type * as PlanCommands from './commands/plan';
import type * as SetupCommands from './commands/setup';
import type * as StatusCommands from './commands/status';
import type { CommandContext } from './context';
import type { ContextHandler } from './main';
import type { CliHandlers } from './program';

/** Commander's options are untyped; each command declares the shape its options have. */
const lazy =
  <T>(load: () => (ctx: CommandContext, opts: T) => Promise<number>): ContextHandler =>
  (ctx, opts) =>
    load()(ctx, opts as T);

type PlanModule = typeof PlanCommands;
type SetupModule = typeof SetupCommands;
type StatusModule = typeof StatusCommands;
type DeletionsModule = typeof DeletionCommands;
type MonitorModule = typeof MonitorCommands;
type VerifyModule = typeof VerifyCommands;
type RestoreModule = typeof RestoreCommands;

/** The production handlers. */
export const commandHandlers: Record<keyof CliHandlers, ContextHandler> = {
  plan: lazy(() => (require('./commands/plan') as PlanModule).planCommand),
  setup: lazy(() => (require('./commands/setup') as SetupModule).setupCommand),
  status: lazy(() => (require('./commands/status') as StatusModule).statusCommand),
  monitor: lazy(() => (require('./commands/monitor') as MonitorModule).monitorCommand),
  verify: lazy(() => (require('./commands/verify') as VerifyModule).verifyCommand),
  restore: lazy(() => (require('./commands/restore') as RestoreModule).restoreCommand),
  deletionsList: lazy(() => (require('./commands/deletions') as DeletionsModule).deletionListCommand),
  deletionsAdd: lazy(() => (require('./commands/deletions') as DeletionsModule).deletionAddCommand),
};
