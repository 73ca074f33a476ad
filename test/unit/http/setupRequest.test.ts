import { loadConfig } from '../../../lib/config';
import { ValidationError } from '../../../lib/errors';
import { RequestValidationError, parseSetupRequest } from '../../../lib/http/setupRequest';

const CONTAINER = 'https://acct1.blob.core.windows.net/backup';
const config = (extra: Record<string, string> = {}) =>
  loadConfig({
    ADX_BACKUP_CLUSTER_URI: 'https://c1.westeurope.kusto.windows.net',
    ADX_BACKUP_CONTAINERS: CONTAINER,
    ADX_BACKUP_EXPORT_MANAGED_IDENTITY: 'system',
    ...extra,
  });

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).field;
  }
  throw new Error('expected a ValidationError');
}

test('an empty body takes every default from the configuration', () => {
  expect(parseSetupRequest('Sales', undefined, config())).toEqual({
    clusterUri: 'https://c1.westeurope.kusto.windows.net',
    database: 'Sales',
    include: [],
    exclude: [],
    partitionColumns: {},
    containers: [CONTAINER],
    storageAuth: { kind: 'impersonate' },
    export: { intervalMs: 300_000, managedIdentity: 'system' },
    chunkTargetRows: 16_000_000,
    parallelism: 8,
  });
});

test('request values win over configuration', () => {
  const input = parseSetupRequest(
    'Sales',
    {
      clusterUri: 'http://127.0.0.1:8080/',
      include: ['Ev*'],
      exclude: ['*_tmp'],
      partitionColumns: { Events: 'IngestedAt' },
      export: {
        interval: '15m',
        forcedLatency: '2m',
        sizeLimit: 209715200,
        managedIdentity: '8F2C2F1E-1C2B-4C4B-9B8A-1A2B3C4D5E6F',
      },
      containers: [
        'http://127.0.0.1:10000/devstoreaccount1/backup',
        'http://127.0.0.1:10000/devstoreaccount1/backup',
      ],
    },
    config({ ADX_BACKUP_STORAGE_AUTH: 'managed_identity' }),
  );
  expect(input).toMatchObject({
    clusterUri: 'http://127.0.0.1:8080',
    containers: ['http://127.0.0.1:10000/devstoreaccount1/backup'],
    storageAuth: { kind: 'managedIdentity', identity: '8f2c2f1e-1c2b-4c4b-9b8a-1a2b3c4d5e6f' },
    export: {
      intervalMs: 900_000,
      forcedLatencyMs: 120_000,
      sizeLimitBytes: 209715200,
      managedIdentity: '8f2c2f1e-1c2b-4c4b-9b8a-1a2b3c4d5e6f',
    },
  });
});

test.each<[string, string | undefined, unknown]>([
  ['database', 'bad/db', {}],
  ['clusterUri', 'db', { clusterUri: 'http://example.com' }],
  ['include[1]', 'db', { include: ['ok', 'a|b'] }],
  ['exclude[0]', 'db', { exclude: ["x'"] }],
  ['include[0]', 'db', { include: [42] }],
  ['partitionColumns.a;b', 'db', { partitionColumns: { 'a;b': 'Timestamp' } }],
  ['partitionColumns.T', 'db', { partitionColumns: { T: 'bad)col' } }],
  ['export.interval', 'db', { export: { interval: '30s' } }],
  ['export.interval', 'db', { export: { interval: 'often' } }],
  ['export.sizeLimit', 'db', { export: { sizeLimit: 1024 } }],
  ['export.managedIdentity', 'db', { export: { managedIdentity: 'me' } }],
  ['export.distributed', 'db', { export: { distributed: true } }],
  ['containers[0]', 'db', { containers: ['https://acct.blob.core.windows.net/backup?sig=x'] }],
  ['containers', 'db', { containers: [] }],
  ['color', 'db', { color: 'blue' }],
])('%s is named when invalid', (field, database, body) => {
  expect(fieldOf(() => parseSetupRequest(database, body, config()))).toBe(field);
});

test('a schema error lists every problem', () => {
  let error: unknown;
  try {
    parseSetupRequest('db', { include: 'x', exclude: [1] }, config());
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(RequestValidationError);
  expect((error as RequestValidationError).problems.map((p) => p.field)).toEqual(['include', 'exclude[0]']);
});

test('settings the request cannot do without', () => {
  expect(fieldOf(() => parseSetupRequest('db', {}, loadConfig({ ADX_BACKUP_CONTAINERS: CONTAINER })))).toBe(
    'clusterUri',
  );
  const noContainers = loadConfig({
    ADX_BACKUP_CLUSTER_URI: 'https://c.kusto.windows.net',
    ADX_BACKUP_EXPORT_MANAGED_IDENTITY: 'system',
  });
  expect(fieldOf(() => parseSetupRequest('db', {}, noContainers))).toBe('containers');
  const noIdentity = loadConfig({
    ADX_BACKUP_CLUSTER_URI: 'https://c.kusto.windows.net',
    ADX_BACKUP_CONTAINERS: CONTAINER,
  });
  expect(fieldOf(() => parseSetupRequest('db', {}, noIdentity))).toBe('export.managedIdentity');
  expect(
    parseSetupRequest('db', { export: { managedIdentity: 'system' } }, noIdentity).export.managedIdentity,
  ).toBe('system');
});
