/**
 * `npm run demo`: the whole adx-backup life cycle on this machine (see `demo/run.ts`). Exits 0 only
 * when every check passed.
 */
// First: the function modules the demo loads register on import, into the local runner's registry.
import '../lib/runtime/hostless';
import { runDemo } from './demo/run';

runDemo({
  out: (text) => void process.stdout.write(text),
  ...(process.stderr.isTTY ? { progressStream: process.stderr } : {}),
}).then(
  (result) => process.exit(result.ok ? 0 : 1),
  (error: unknown) => {
    process.stderr.write(
      `demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
