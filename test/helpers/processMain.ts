/**
 * Entry point of the child processes `emulatorProcess.ts` starts: `azurite` starts Azurite alone and
 * prints its endpoints as one JSON line; `emulator <storage JSON> [database...]` starts the emulator
 * on that storage and prints `{"kusto": url}`. Both run until SIGTERM/SIGINT.
 */
import { startAzurite } from './azurite';
import { startEmulator } from '../emulator/index';
import type { StorageEndpoints } from '../emulator/state';

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
}

async function main(argv: readonly string[]): Promise<void> {
  const [mode, ...rest] = argv;
  if (mode === 'azurite') {
    const azurite = await startAzurite();
    const { stop, ...endpoints } = azurite;
    process.stdout.write(`${JSON.stringify(endpoints)}\n`);
    await untilSignal();
    await stop();
    return;
  }
  if (mode === 'emulator') {
    const [storage = '', ...databases] = rest;
    const emulator = await startEmulator({ storage: JSON.parse(storage) as StorageEndpoints, databases });
    process.stdout.write(`${JSON.stringify({ kusto: emulator.url })}\n`);
    await untilSignal();
    await emulator.stop();
    return;
  }
  throw new Error(`usage: processMain azurite | emulator <storage JSON> [database...]`);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
