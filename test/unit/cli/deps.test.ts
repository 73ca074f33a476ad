import { loadConfig } from '../../../lib/config';
import { accountKeyOf, createCliDeps } from '../../../lib/cli/deps';
import { ConfigError } from '../../../lib/errors';

test('the account key is read from a storage connection string', () => {
  expect(
    accountKeyOf(
      'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=abc==;BlobEndpoint=http://x',
    ),
  ).toEqual({ account: 'devstoreaccount1', key: 'abc==' });
  expect(
    accountKeyOf('BlobEndpoint=https://a.blob.core.windows.net;SharedAccessSignature=sv=1'),
  ).toBeUndefined();
  expect(accountKeyOf(undefined)).toBeUndefined();
});

test('nothing is built before use; storage without a catalog setting fails naming it', () => {
  const deps = createCliDeps(loadConfig({}), {});
  expect(() => deps.catalog()).toThrow(ConfigError);
  expect(() => deps.ledger()).toThrow(/ADX_BACKUP_CATALOG_TABLE_URL/);
  deps.close();
});

test('one gateway per cluster; a loopback cluster never asks for a token', async () => {
  const deps = createCliDeps(loadConfig({ ADX_BACKUP_KUSTO_RETRY_ATTEMPTS: '1' }), {});
  const a = deps.gatewayFor('http://127.0.0.1:1');
  expect(deps.gatewayFor('http://127.0.0.1:1/')).toBe(a);
  expect(deps.gatewayFor('https://c.kusto.windows.net')).not.toBe(a);
  // Port 1 refuses the connection: the failure is the network's, not a credential's.
  await expect(
    a.execute('db', { text: '.show tables', operation: 'show-tables', mutating: false, endpoint: 'engine' }),
  ).rejects.not.toThrow(/credential|token/i);
  deps.close();
}, 30_000);
