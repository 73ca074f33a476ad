import { BlobServiceClient } from '@azure/storage-blob';
import { DefaultAzureCredential } from '@azure/identity';
import { loadConfig } from '../../../lib/config';
import { ConfigError } from '../../../lib/errors';
import {
  blobRemover,
  productionDeletionDeps,
  storageAuthOf,
  tableClientFactory,
} from '../../../lib/wiring/deletionDeps';
import { startAzurite, type AzuriteHandle } from '../../helpers/azurite';

let az: AzuriteHandle;
beforeAll(async () => {
  az = await startAzurite();
});
afterAll(() => az.stop());

test('building is lazy: importing and asking for the factory never throws; using it names the missing setting', () => {
  const deps = productionDeletionDeps({});
  let error: unknown;
  try {
    deps();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as ConfigError).problems[0]!.key).toBe('ADX_BACKUP_CATALOG_TABLE_URL');
});

test('production deps from settings: one gateway per cluster, identity auth for storage, the default cluster', async () => {
  const deps = productionDeletionDeps({
    AzureWebJobsStorage: az.connectionString,
    ADX_BACKUP_CLUSTER_URI: 'https://c1.westeurope.kusto.windows.net',
    ADX_BACKUP_STORAGE_AUTH: 'managed_identity',
    ADX_BACKUP_EXPORT_MANAGED_IDENTITY: 'system',
  })();
  expect(deps.gatewayFor('https://C1.westeurope.kusto.windows.net/')).toBe(
    deps.gatewayFor('https://c1.westeurope.kusto.windows.net'),
  );
  expect(deps.storageAuth).toEqual({ kind: 'managedIdentity', identity: 'system' });
  expect(deps.defaultClusterUri).toBe('https://c1.westeurope.kusto.windows.net');
  expect(deps.newId()).not.toBe(deps.newId());
  // The ledger is the host storage's table: it works end to end.
  const entry = await deps.ledger.append({
    type: 'deletion',
    id: deps.newId(),
    cluster: 'https://c1.westeurope.kusto.windows.net',
    database: 'Wired',
    table: 'T',
    time: deps.now().toISOString(),
    kind: 'delete',
    predicate: 'Id == 1',
    columns: [{ name: 'Id', type: 'long' }],
    requestedBy: 'x',
    principal: null,
    execute: false,
  });
  expect((await deps.ledger.readTable('Wired', 'T')).entries).toEqual([entry]);
  expect(storageAuthOf(loadConfig({}))).toEqual({ kind: 'impersonate' });
});

test('the catalog Table service URL wins over the host storage', () => {
  const config = loadConfig({ ADX_BACKUP_CATALOG_TABLE_URL: 'https://acct1.table.core.windows.net' });
  const client = tableClientFactory(
    config,
    az.connectionString,
    new DefaultAzureCredential(),
  )('adxbackupLedger');
  expect(client.url).toBe('https://acct1.table.core.windows.net');
  expect(client.tableName).toBe('adxbackupLedger');
});

test('blobs of a local storage emulator are deleted through the host connection string', async () => {
  const container = BlobServiceClient.fromConnectionString(az.connectionString).getContainerClient('backup');
  await container.createIfNotExists();
  const blob = container.getBlockBlobClient('db/T/20260101/f1.parquet');
  await blob.upload('x', 1);
  const remover = blobRemover(new DefaultAzureCredential(), az.connectionString);
  await remover.deleteIfExists(blob.url);
  await remover.deleteIfExists(blob.url); // already gone: fine
  expect(await blob.exists()).toBe(false);
  await expect(
    blobRemover(new DefaultAzureCredential(), undefined).deleteIfExists(blob.url),
  ).rejects.toBeInstanceOf(ConfigError);
});
