/**
 * The CLI against the emulator and Azurite: `plan` prints commands that all parse with the official
 * Kusto parser and sends no mutating command; `setup` provisions and exports; a second `plan` is
 * read-only; `status`, `deletions add|list` and `verify` answer with their exit codes; and the bin
 * launcher runs the TypeScript sources on a fresh clone (no build).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runCli } from '../../lib/cli/main';
import { startEmulator, type EmulatorHandle } from '../emulator/index';
import { appendExtent, createTable } from '../emulator/tables';
import { captureIo } from '../helpers/cliIo';
import { checkKql, describeDiagnostics } from '../helpers/kqlAssert';

const DB = 'clidb';
const DAY = 86_400_000;
let emu: EmulatorHandle;
let env: Record<string, string>;

beforeAll(async () => {
  emu = await startEmulator({ start: new Date(Date.now() - 3_600_000) });
  const db = emu.createDatabase(DB);
  createTable(db, 'MyTestTable', [
    { name: 'id', type: 'int' },
    { name: 'name', type: 'string' },
    { name: 'value', type: 'real' },
    { name: 'timestamp', type: 'datetime' },
  ]);
  createTable(db, 'Devices', [{ name: 'DeviceId', type: 'string' }]);
  const now = emu.clock.now().getTime();
  emu.clock.set(new Date(now - 2 * DAY));
  appendExtent(emu.state, DB, 'Devices', [['a'], ['b']]);
  emu.clock.set(new Date(now));
  appendExtent(
    emu.state,
    DB,
    'MyTestTable',
    [1, 2, 3, 4, 5].map((i) => [i, `n${i}`, i * 1.5, now - DAY + i * 1000]),
  );
  env = {
    AzureWebJobsStorage: emu.storage.connectionString,
    ADX_BACKUP_CONTAINERS: `${emu.storage.blobUrl}/backup`,
    ADX_BACKUP_EXPORT_MANAGED_IDENTITY: 'system',
  };
}, 60_000);

afterAll(async () => {
  await emu?.stop();
});

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = captureIo(env);
  const code = await runCli(args, c.io);
  return { code, out: c.out(), err: c.err() };
}

const mutatingSince = (mark: number): string[] =>
  emu.commandLog
    .slice(mark)
    .filter((e) => e.mutating)
    .map((e) => e.text);

test('plan prints parseable commands and sends no mutating command', async () => {
  const mark = emu.commandLog.length;
  const { code, out, err } = await cli(['plan', '-c', emu.url, '-d', DB]);
  expect({ code, err: err.split('\n').filter((l) => !l.startsWith('#') && l !== '') }).toEqual({
    code: 0,
    err: [],
  });
  const lines = out.trimEnd().split('\n');
  expect(lines.some((l) => l.startsWith('.create-or-alter continuous-export'))).toBe(true);
  expect(lines.some((l) => l.startsWith('.export async to table'))).toBe(true);
  for (const line of lines) {
    expect({ line, diagnostics: describeDiagnostics(line, checkKql(line).syntax) }).toEqual({
      line,
      diagnostics: [],
    });
  }
  expect(mutatingSince(mark)).toEqual([]);
  // Nothing was created either.
  expect(emu.state.database(DB)?.externalTables.size).toBe(0);
});

test('setup, then plan is read-only; status and deletions answer; verify passes', async () => {
  const setup = await cli(['setup', '-c', emu.url, '-d', DB, '--json']);
  expect(setup.code).toBe(0);
  const result = JSON.parse(setup.out) as { tables: { table: string; status: string }[] };
  expect(result.tables.map((t) => [t.table, t.status]).sort()).toEqual([
    ['Devices', 'ready'],
    ['MyTestTable', 'ready'],
  ]);

  const plan = await cli(['plan', '-c', emu.url, '-d', DB, '--json']);
  const planned = JSON.parse(plan.out) as { commands: { mutating: boolean }[] };
  expect(planned.commands.length).toBeGreaterThan(0);
  expect(planned.commands.filter((c) => c.mutating)).toEqual([]);

  const status = await cli(['status', '-c', emu.url, '-d', DB, '--json']);
  expect(status.code).toBe(0);
  const tables = (JSON.parse(status.out) as { tables: { table: string; committedRows: number }[] }).tables;
  expect(tables.map((t) => [t.table, t.committedRows])).toEqual([
    ['Devices', 2],
    ['MyTestTable', 5],
  ]);

  const added = await cli([
    'deletions',
    'add',
    '-c',
    emu.url,
    '-d',
    DB,
    '-t',
    'MyTestTable',
    '--predicate',
    'id == 2',
  ]);
  expect(added).toMatchObject({ code: 0, out: expect.stringContaining(': succeeded') });
  const wrongColumn = await cli([
    'deletions',
    'add',
    '-c',
    emu.url,
    '-d',
    DB,
    '-t',
    'MyTestTable',
    '--predicate',
    'nope == 2',
  ]);
  expect(wrongColumn.code).toBe(2);
  expect(wrongColumn.err).toMatch(/^adx-backup deletions add: --predicate: /);
  const listed = await cli(['deletions', 'list', '-d', DB, '--json']);
  const chains = (
    JSON.parse(listed.out) as { tables: { table: string; chain: { valid: boolean }; deletions: unknown[] }[] }
  ).tables;
  expect(chains.map((c) => [c.table, c.chain.valid, c.deletions.length])).toEqual([['MyTestTable', true, 1]]);

  await emu.clock.advance(10 * 60_000);
  await emu.idle();
  const verify = await cli(['verify', '-c', emu.url, '-d', DB, '--json']);
  const report = JSON.parse(verify.out) as { tables: { table: string; verdict: string }[] };
  expect(report.tables.map((t) => [t.table, t.verdict])).toEqual([
    ['Devices', 'ok'],
    ['MyTestTable', 'extra-explained-by-deletions'],
  ]);
  expect(verify.code).toBe(0);
}, 120_000);

test('an unknown database fails with exit 1 and the reason, before anything changes', async () => {
  const mark = emu.commandLog.length;
  const r = await cli(['setup', '-c', emu.url, '-d', 'nosuchdb']);
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/^adx-backup setup: cannot read database 'nosuchdb'/);
  expect(mutatingSince(mark)).toEqual([]);
});

test('the bin launcher runs from the TypeScript sources', () => {
  const bin = join(__dirname, '../../bin/adx-backup.js');
  const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
  expect(help.status).toBe(0);
  expect(help.stdout).toContain('Usage: adx-backup');
  const bad = spawnSync(process.execPath, [bin, 'setup', '--cluster', 'http://example.com', '-d', 'db'], {
    encoding: 'utf8',
  });
  expect(bad.status).toBe(2);
  expect(bad.stderr.trim()).toMatch(/^adx-backup setup: --cluster: http is only allowed for loopback hosts/);
}, 60_000);
