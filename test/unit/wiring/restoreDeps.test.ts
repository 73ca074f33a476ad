import { ConfigError } from '../../../lib/errors';
import { newRestoreId, productionRestoreDeps } from '../../../lib/wiring/restoreDeps';
import { startAzurite, type AzuriteHandle } from '../../helpers/azurite';

let az: AzuriteHandle;
beforeAll(async () => {
  az = await startAzurite();
});
afterAll(() => az.stop());

test('building is lazy: the factory never throws; using it names the missing setting', () => {
  const deps = productionRestoreDeps({});
  expect(() => deps()).toThrow(ConfigError);
});

test('production deps from settings: shared gateways, the configured storage auth, a working state store', async () => {
  const deps = productionRestoreDeps({
    AzureWebJobsStorage: az.connectionString,
    ADX_BACKUP_STORAGE_AUTH: 'managed_identity',
    ADX_BACKUP_EXPORT_MANAGED_IDENTITY: 'system',
    ADX_BACKUP_RESTORE_BATCH_SIZE: '250',
  })();
  expect(deps.gatewayFor('https://C1.kusto.windows.net/')).toBe(
    deps.gatewayFor('https://c1.kusto.windows.net'),
  );
  expect(deps.storageAuth).toEqual({ kind: 'managedIdentity', identity: 'system' });
  expect(deps.config.restoreBatchSize).toBe(250);
  expect(await deps.state.getRestore('none')).toBeUndefined();
  expect(newRestoreId()).toMatch(/^[0-9a-f]{12}$/);
  expect(newRestoreId()).not.toBe(newRestoreId());
});
