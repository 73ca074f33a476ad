/**
 * The emulator and its Azurite in two child processes, for scale tests: Azurite's request handling,
 * the emulator's ingestion consumer and the code under test then spread over every core instead of
 * sharing one event loop (measured: a 10,000-blob restore ingests about twice as fast). Tests reach
 * the children over HTTP only (Kusto endpoint, storage), exactly as a deployed control plane would.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { StorageEndpoints } from '../emulator/state';

/** The running emulator and Azurite processes. */
export interface EmulatorProcess {
  /** Engine and data-management endpoint. */
  readonly url: string;
  readonly storage: StorageEndpoints;
  /** Stops both children (SIGTERM) and waits for them to exit. */
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '..', '..');

interface Child {
  readonly line: string;
  stop(): Promise<void>;
}

/** Starts `processMain.ts <args>` and resolves with the first line it prints. */
function startChild(args: readonly string[]): Promise<Child> {
  const child: ChildProcess = spawn(
    process.execPath,
    // A larger young generation: Azurite and the emulator allocate a lot of short-lived request
    // objects, and the default one made garbage collection a large share of their CPU at scale.
    [
      '--max-semi-space-size=64',
      '-r',
      'ts-node/register/transpile-only',
      path.join(__dirname, 'processMain.ts'),
      ...args,
    ],
    {
      cwd: ROOT,
      env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // A test process that dies must not leave its children running.
  const kill = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  process.once('exit', kill);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const fail = (why: string): void => {
      kill();
      reject(new Error(`${args[0]} process ${why}: ${err.slice(-2000)}`));
    };
    const timer = setTimeout(() => fail('did not start within 60 s'), 60_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString('utf8');
    });
    const early = (code: number | null): void => {
      clearTimeout(timer);
      fail(`exited with ${code}`);
    };
    child.once('exit', early);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const at = out.indexOf('\n');
      if (at < 0) return;
      clearTimeout(timer);
      child.removeListener('exit', early);
      child.stdout?.removeAllListeners('data');
      // Later output (warnings) must not fill a pipe nobody reads.
      child.stdout?.resume();
      resolve({
        line: out.slice(0, at),
        async stop() {
          process.removeListener('exit', kill);
          kill();
          await exited;
        },
      });
    });
  });
}

/** Starts Azurite alone in a child process; resolves with its endpoints and a stop function. */
export async function startAzuriteProcess(): Promise<StorageEndpoints & { stop(): Promise<void> }> {
  const child = await startChild(['azurite']);
  return { ...(JSON.parse(child.line) as StorageEndpoints), stop: () => child.stop() };
}

/** Starts Azurite, then the emulator on it, each in its own process. */
export async function startEmulatorProcess(databases: readonly string[] = []): Promise<EmulatorProcess> {
  const azurite = await startChild(['azurite']);
  const storage = JSON.parse(azurite.line) as StorageEndpoints;
  let emulator: Child;
  try {
    emulator = await startChild(['emulator', JSON.stringify(storage), ...databases]);
  } catch (error) {
    await azurite.stop();
    throw error;
  }
  const { kusto } = JSON.parse(emulator.line) as { kusto: string };
  return {
    url: kusto,
    storage,
    async stop() {
      await emulator.stop();
      await azurite.stop();
    },
  };
}
