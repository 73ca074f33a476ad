import { InvocationContext } from '@azure/functions';
import { ConfigError } from '../../../lib/errors';
import type { KustoGateway } from '../../../lib/kusto/gateway';
import { contextLogger, gatewayCache, lazy, productionSetupDeps } from '../../../lib/wiring/setupDeps';

const ENV_KEYS = ['ADX_BACKUP_EXPORT_INTERVAL', 'ADX_BACKUP_CATALOG_TABLE_URL', 'AzureWebJobsStorage'];
const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
afterEach(() => {
  for (const k of ENV_KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

test('lazy builds once, and again after a failed build', () => {
  let builds = 0;
  let fail = true;
  const get = lazy(() => {
    builds++;
    if (fail) throw new Error('not yet');
    return { n: builds };
  });
  expect(get).toThrow('not yet');
  fail = false;
  expect(get()).toBe(get());
  expect(builds).toBe(2);
});

test('one gateway per cluster, whatever the URI spelling', () => {
  const made: string[] = [];
  const gatewayFor = gatewayCache((uri) => {
    made.push(uri);
    return {
      execute: () => Promise.reject(new Error('unused')),
      close: () => undefined,
    } satisfies KustoGateway;
  });
  expect(gatewayFor('https://C1.kusto.windows.net/')).toBe(gatewayFor('https://c1.kusto.windows.net'));
  gatewayFor('https://c2.kusto.windows.net');
  expect(made).toEqual(['https://C1.kusto.windows.net/', 'https://c2.kusto.windows.net']);
});

test('contextLogger writes to the invocation log with structured fields', () => {
  const lines: unknown[][] = [];
  const ctx = new InvocationContext({
    functionName: 'f',
    logHandler: (level, ...args) => lines.push([level, ...args]),
  });
  const log = contextLogger(ctx);
  log.info('a', { table: 'T' });
  log.warn('b');
  log.error('c', { n: 1 });
  expect(lines).toEqual([
    ['information', 'a', { table: 'T' }],
    ['warning', 'b'],
    ['error', 'c', { n: 1 }],
  ]);
});

test('production deps are built on first use: creating the provider never throws, using it reports bad settings', () => {
  process.env.ADX_BACKUP_EXPORT_INTERVAL = 'sometimes';
  const deps = productionSetupDeps();
  expect(deps).toThrow(ConfigError);
  delete process.env.ADX_BACKUP_EXPORT_INTERVAL;
  delete process.env.ADX_BACKUP_CATALOG_TABLE_URL;
  delete process.env.AzureWebJobsStorage;
  expect(deps).toThrow('ADX_BACKUP_CATALOG_TABLE_URL');
  process.env.AzureWebJobsStorage = 'UseDevelopmentStorage=true';
  const built = deps();
  expect(built.config.exportIntervalMs).toBe(300_000);
  expect(built.gatewayFor('https://c1.kusto.windows.net')).toBe(
    built.gatewayFor('https://c1.kusto.windows.net/'),
  );
  built.gatewayFor('https://c1.kusto.windows.net').close();
});
