/**
 * The replay kit tests use: a thin alias of the production local runner (`lib/runtime`), in its
 * default virtual-clock mode (timers fire at once).
 */
export { LocalRunner as DurableReplayer } from '../../lib/runtime/localRunner';
export type {
  RunOptions as ReplayOptions,
  RunResult as ReplayResult,
  RunStats as ReplayStats,
} from '../../lib/runtime/localRunner';
export { installFunctionsCoreStub } from '../../lib/runtime/installStub';
