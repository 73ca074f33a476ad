import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { Client } from 'azure-kusto-data';
import { parseArgs } from './cli';
import { run } from './clientHelpers';

describe('parseArgs', () => {
  test('flags, repeatable databases and port', () => {
    expect(parseArgs(['--json', '--database', 'a', '--database=b', '-d', 'c', '--port', '8080'])).toEqual({
      json: true,
      databases: ['a', 'b', 'c'],
      port: 8080,
    });
    expect(parseArgs([])).toEqual({ json: false, databases: [] });
  });

  test('unknown arguments and missing values are refused', () => {
    expect(() => parseArgs(['--nope'])).toThrow(/Unknown argument '--nope'/);
    expect(() => parseArgs(['--database'])).toThrow(/needs a value/);
    expect(() => parseArgs(['--port', 'x'])).toThrow(/--port/);
  });
});

test('--json prints exactly one JSON line, serves until SIGTERM, then exits cleanly', async () => {
  const child = spawn(
    process.execPath,
    [
      require.resolve('ts-node/dist/bin.js'),
      '--transpile-only',
      'test/emulator/cli.ts',
      '--json',
      '--database',
      'demo',
    ],
    {
      cwd: `${__dirname}/../..`,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const reader = createInterface({ input: child.stdout });
  reader.on('line', (line) => lines.push(line));
  const first = await new Promise<string>((resolve, reject) => {
    reader.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`emulator exited early (${String(code)}): ${stderr}`)));
  });
  const endpoints = JSON.parse(first) as Record<string, string>;
  expect(Object.keys(endpoints)).toEqual(['kusto', 'blob', 'queue', 'table']);
  expect(endpoints.kusto).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(endpoints.blob).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/);
  const client = new Client(endpoints.kusto!);
  try {
    expect((await run(client, 'demo', '.show databases')).rows.map((r) => r.DatabaseName)).toEqual(['demo']);
  } finally {
    client.close();
  }
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code] = (await exited) as [number | null];
  expect(code).toBe(0);
  expect(lines).toEqual([first]);
});
