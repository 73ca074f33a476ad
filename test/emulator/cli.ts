/**
 * `npm run emulator -- [--json] [--database NAME]... [--port N]`: starts Azurite and the emulator on
 * loopback and runs until SIGTERM/SIGINT. With `--json` it prints exactly one JSON line
 * `{"kusto","blob","queue","table"}` (for scripts); otherwise a short banner.
 */
import { startEmulator, type EmulatorHandle } from './index';

/** Parsed command line. */
export interface CliArgs {
  readonly json: boolean;
  readonly databases: string[];
  readonly port?: number;
}

/** Parses the arguments after the script name; throws with a usage message on anything unknown. */
export function parseArgs(argv: readonly string[]): CliArgs {
  const databases: string[] = [];
  let json = false;
  let port: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--json') json = true;
    else if (arg === '--database' || arg === '-d') databases.push(value());
    else if (arg.startsWith('--database=')) databases.push(arg.slice('--database='.length));
    else if (arg === '--port') {
      port = Number(value());
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new Error('--port must be an integer between 0 and 65535');
    } else
      throw new Error(`Unknown argument '${arg}'. Usage: emulator [--json] [--database NAME]... [--port N]`);
  }
  return { json, databases, ...(port !== undefined ? { port } : {}) };
}

/** The one JSON line `--json` prints. */
export function endpointsLine(emulator: EmulatorHandle): string {
  return JSON.stringify({
    kusto: emulator.url,
    blob: emulator.storage.blobUrl,
    queue: emulator.storage.queueUrl,
    table: emulator.storage.tableUrl,
  });
}

function banner(emulator: EmulatorHandle, databases: readonly string[]): string {
  return [
    'ADX emulator running (Ctrl+C to stop)',
    `  Kusto (engine + data management): ${emulator.url}`,
    `  Blob:  ${emulator.storage.blobUrl}`,
    `  Queue: ${emulator.storage.queueUrl}`,
    `  Table: ${emulator.storage.tableUrl}`,
    `  Databases: ${databases.length > 0 ? databases.join(', ') : '(none; create with POST /admin/databases)'}`,
    `  Virtual clock: ${emulator.clock.now().toISOString()}`,
  ].join('\n');
}

/** Runs the CLI until a termination signal; resolves with the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const emulator = await startEmulator({
    databases: args.databases,
    ...(args.port !== undefined ? { port: args.port } : {}),
  });
  process.stdout.write(`${args.json ? endpointsLine(emulator) : banner(emulator, args.databases)}\n`);
  await new Promise<void>((resolve) => {
    const done = (): void => resolve();
    process.once('SIGTERM', done);
    process.once('SIGINT', done);
  });
  await emulator.stop();
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
