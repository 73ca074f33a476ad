/**
 * The help is the CLI's contract: every subcommand's help lists exactly the options below, each
 * listed option is parsed and handed to the subcommand's handler, and the README's CLI section
 * documents the same options.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContextHandler } from '../../../lib/cli/main';
import { runCli } from '../../../lib/cli/main';
import type { CliHandlers } from '../../../lib/cli/program';
import { captureIo } from '../../helpers/cliIo';

/** The documented options of each subcommand, with a valid sample value (null for flags). */
const EXPECTED: Record<string, { handler: keyof CliHandlers; options: Record<string, string | null> }> = {
  plan: { handler: 'plan', options: {} },
  setup: { handler: 'setup', options: {} },
  status: {
    handler: 'status',
    options: { '--cluster': 'https://c.kusto.windows.net', '--database': 'db', '--json': null },
  },
  monitor: {
    handler: 'monitor',
    options: {
      '--once': null,
      '--cluster': 'https://c.kusto.windows.net',
      '--database': 'db',
      '--json': null,
    },
  },
  verify: {
    handler: 'verify',
    options: {
      '--cluster': 'https://c.kusto.windows.net',
      '--database': 'db',
      '--table': 'T',
      '--json': null,
    },
  },
  restore: {
    handler: 'restore',
    options: {
      '--cluster': 'https://c.kusto.windows.net',
      '--database': 'db',
      '--table': 'T',
      '--container': 'https://a.blob.core.windows.net/b',
      '--target-cluster': 'https://t.kusto.windows.net',
      '--target-database': 'db2',
      '--rename': 'T=T2',
      '--point-in-time': '2026-01-01T00:00:00Z',
      '--from-day': '2026-01-01',
      '--to-day': '2026-01-31',
      '--append': null,
      '--allow-exported-target': null,
      '--restore-id': 'r1',
      '--dry-run': null,
      '--json': null,
    },
  },
  'deletions list': {
    handler: 'deletionsList',
    options: { '--database': 'db', '--table': 'T', '--json': null },
  },
  'deletions add': {
    handler: 'deletionsAdd',
    options: {
      '--cluster': 'https://c.kusto.windows.net',
      '--database': 'db',
      '--table': 'T',
      '--predicate': 'id == 2',
      '--kind': 'purge',
      '--record-only': null,
      '--requested-by': 'me',
      '--json': null,
    },
  },
};
const setupSamples: Record<string, string | null> = {
  '--cluster': 'https://c.kusto.windows.net',
  '--database': 'db',
  '--container': 'https://a.blob.core.windows.net/b',
  '--include': 'T*',
  '--exclude': 'X',
  '--partition-column': 'T=Ts',
  '--export-interval': '5m',
  '--export-identity': 'system',
  '--json': null,
};
EXPECTED.plan!.options = setupSamples;
EXPECTED.setup!.options = setupSamples;

/** Handlers that record the options they receive. */
function recordingHandlers(): {
  handlers: Record<keyof CliHandlers, ContextHandler>;
  calls: Map<string, unknown>;
} {
  const calls = new Map<string, unknown>();
  const names: (keyof CliHandlers)[] = [
    'plan',
    'setup',
    'status',
    'monitor',
    'verify',
    'restore',
    'deletionsList',
    'deletionsAdd',
  ];
  const handlers = Object.fromEntries(
    names.map((n) => [
      n,
      (_ctx: unknown, opts: unknown) => {
        calls.set(n, opts);
        return Promise.resolve(0);
      },
    ]),
  ) as Record<keyof CliHandlers, ContextHandler>;
  return { handlers, calls };
}

/** Long option names listed under "Options:" of a help text (without --help). */
function listedOptions(help: string): string[] {
  const section = help.split(/\nOptions:\n/)[1]?.split(/\n\n/)[0] ?? '';
  return [...section.matchAll(/^ {2}(?:-\w, )?(--[a-z-]+)/gm)]
    .map((m) => m[1]!)
    .filter((o) => o !== '--help');
}

const camel = (option: string): string =>
  option.slice(2).replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

test('the top-level help lists every subcommand', async () => {
  const c = captureIo();
  expect(await runCli(['--help'], c.io, recordingHandlers().handlers)).toBe(0);
  for (const name of ['plan', 'setup', 'status', 'monitor', 'verify', 'restore', 'deletions']) {
    expect(c.out()).toMatch(new RegExp(`^ {2}${name} `, 'm'));
  }
});

describe.each(Object.entries(EXPECTED))('%s', (command, spec) => {
  const argv = command.split(' ');

  test('help lists exactly the documented options', async () => {
    const c = captureIo();
    expect(await runCli([...argv, '--help'], c.io, recordingHandlers().handlers)).toBe(0);
    expect(listedOptions(c.out()).sort()).toEqual(Object.keys(spec.options).sort());
  });

  test('every listed option reaches the handler', async () => {
    const { handlers, calls } = recordingHandlers();
    const args = Object.entries(spec.options).flatMap(([o, v]) => (v === null ? [o] : [o, v]));
    const c = captureIo();
    expect(await runCli([...argv, ...args], c.io, handlers)).toBe(0);
    const received = calls.get(spec.handler) as Record<string, unknown>;
    for (const [option, value] of Object.entries(spec.options)) {
      const got = received[camel(option)];
      expect({ option, got: Array.isArray(got) ? got[0] : got }).toEqual({ option, got: value ?? true });
    }
  });

  test('the README documents the same options', () => {
    const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
    const section = readme.split('\n## CLI\n')[1]?.split('\n## ')[0] ?? '';
    const block = section.split(`\n#### \`adx-backup ${command}\``)[1]?.split('\n#### ')[0] ?? '';
    expect(block).not.toBe('');
    for (const option of Object.keys(spec.options))
      expect({ option, documented: block.includes(`\`${option}`) }).toEqual({ option, documented: true });
  });
});
