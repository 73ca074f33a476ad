/**
 * Wrong or missing options and settings: one line on stderr naming the option (or setting), exit
 * code 2, and not a single request to the cluster (a local server counts them). Success and failure
 * exit codes of real runs are covered by the integration tests.
 */
import { createServer } from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import { runCli } from '../../../lib/cli/main';
import { captureIo } from '../../helpers/cliIo';

let server: Server;
let requests = 0;
let url = '';

beforeAll(async () => {
  server = createServer((_req, res) => {
    requests++;
    res.writeHead(500).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const container = 'http://127.0.0.1:1/devstoreaccount1/backup';
const setupArgs = (): string[] => [
  '-c',
  url,
  '-d',
  'db',
  '--container',
  container,
  '--export-identity',
  'system',
];

const cases: [string, () => string[], string, Record<string, string>?][] = [
  ['missing --database', () => ['setup', '-c', url], '--database'],
  ['missing cluster', () => ['plan', '-d', 'db'], '--cluster'],
  ['http to a remote host', () => ['setup', '-c', 'http://example.com', '-d', 'db'], '--cluster'],
  ['a bad database name', () => ['setup', '-c', url, '-d', 'a;b'], '--database'],
  ['a bad duration', () => [...['plan', ...setupArgs()], '--export-interval', 'soon'], '--export-interval'],
  [
    'an interval of one minute',
    () => ['setup', ...setupArgs(), '--export-interval', '1m'],
    '--export-interval',
  ],
  [
    'no export identity',
    () => ['setup', '-c', url, '-d', 'db', '--container', container],
    '--export-identity',
  ],
  [
    'a container with a SAS',
    () => ['setup', ...setupArgs(), '--container', `${container}?sig=secret`],
    '--container',
  ],
  ['no container', () => ['plan', '-c', url, '-d', 'db', '--export-identity', 'system'], '--container'],
  ['a bad include pattern', () => ['plan', ...setupArgs(), '--include', 'a/b'], '--include'],
  [
    'a malformed partition column',
    () => ['plan', ...setupArgs(), '--partition-column', 'T'],
    '--partition-column',
  ],
  ['an unknown option', () => ['setup', '--bogus'], "'--bogus'"],
  ['a value missing', () => ['setup', '--database'], '--database'],
  ['no predicate', () => ['deletions', 'add', '-c', url, '-d', 'db', '-t', 'T'], '--predicate'],
  [
    'an unknown kind',
    () => ['deletions', 'add', '-c', url, '-d', 'db', '-t', 'T', '--predicate', 'id == 2', '--kind', 'drop'],
    '--kind',
  ],
  [
    'no table to delete from',
    () => ['deletions', 'add', '-c', url, '-d', 'db', '--predicate', 'id == 2'],
    '--table',
  ],
  ['status without databases', () => ['status', '-c', url], '--database'],
  ['deletions list without database', () => ['deletions', 'list'], '--database'],
  ['monitor without --once', () => ['monitor', '-c', url, '-d', 'db'], '--once'],
  ['verify without database', () => ['verify', '-c', url], '--database'],
  ['restore without a target', () => ['restore', '-c', url, '-d', 'db'], '--target-database'],
  [
    'restore at a bad time',
    () => [
      'restore',
      '-c',
      url,
      '-d',
      'db',
      '--target-database',
      'r',
      '--container',
      container,
      '--point-in-time',
      'yesterday',
    ],
    '--point-in-time',
  ],
  [
    'restore a bad day range',
    () => [
      'restore',
      '-c',
      url,
      '-d',
      'db',
      '--target-database',
      'r',
      '--container',
      container,
      '--from-day',
      '2026-02-30',
    ],
    '--from-day',
  ],
  [
    'restore into a remote http cluster',
    () => [
      'restore',
      '-c',
      url,
      '-d',
      'db',
      '--target-database',
      'r',
      '--target-cluster',
      'http://example.com',
    ],
    '--target-cluster',
  ],
  ['verify with a bad table name', () => ['verify', '-c', url, '-d', 'db', '-t', 'a]b'], '--table'],
  [
    'a bad setting',
    () => ['status', '-c', url, '-d', 'db'],
    'ADX_BACKUP_SETUP_PARALLELISM',
    { ADX_BACKUP_SETUP_PARALLELISM: 'many' },
  ],
];

test.each(cases)('%s: one line naming it, exit 2, nothing sent', async (_label, argv, named, env = {}) => {
  const c = captureIo(env);
  const before = requests;
  const code = await runCli(argv(), c.io);
  expect({ code, stdout: c.out() }).toEqual({ code: 2, stdout: '' });
  expect(c.err().trimEnd().split('\n')).toHaveLength(1);
  expect(c.err()).toContain(named);
  expect(c.err()).not.toContain('secret');
  expect(requests - before).toBe(0);
});
