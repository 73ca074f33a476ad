import { ConfigError } from '../../../lib/errors';
import { productionCatalogDeps } from '../../../lib/wiring/catalogDeps';
import { startAzurite, type AzuriteHandle } from '../../helpers/azurite';

let az: AzuriteHandle;
beforeAll(async () => {
  az = await startAzurite();
});
afterAll(() => az.stop());

test('building is lazy and names the missing setting', () => {
  const deps = productionCatalogDeps({});
  const error = (() => {
    try {
      deps();
    } catch (e) {
      return e;
    }
  })();
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as ConfigError).problems[0]!.key).toBe('ADX_BACKUP_CATALOG_TABLE_URL');
});

test('production deps from settings: catalog settings, one gateway per cluster, local storage through the host connection', async () => {
  const container = `${az.blobUrl}/wired`;
  const deps = productionCatalogDeps({
    AzureWebJobsStorage: az.connectionString,
    ADX_BACKUP_CLUSTER_URI: 'https://c1.westeurope.kusto.windows.net',
    ADX_BACKUP_CONTAINERS: container,
    ADX_BACKUP_ORPHAN_HORIZON: '6h',
    ADX_BACKUP_QUARANTINE_ORPHANS: 'true',
  })();
  expect(deps.gatewayFor('https://C1.westeurope.kusto.windows.net/')).toBe(
    deps.gatewayFor('https://c1.westeurope.kusto.windows.net'),
  );
  expect([deps.orphanHorizonMs, deps.quarantineOrphans, deps.containers, deps.defaultClusterUri]).toEqual([
    21_600_000,
    true,
    [container],
    'https://c1.westeurope.kusto.windows.net',
  ]);
  expect(deps.storageAuth).toEqual({ kind: 'impersonate' });
  // Watermarks, reports and blobs reach the local storage without a token.
  await deps.watermarks.put(
    'https://c1.westeurope.kusto.windows.net',
    'db',
    'x',
    new Date('2026-01-01T00:00:00Z'),
  );
  expect(await deps.watermarks.get('https://c1.westeurope.kusto.windows.net', 'db', 'x')).toEqual(
    new Date('2026-01-01T00:00:00Z'),
  );
  await deps.reports.write(container, '_reports/verify/db/20260101T000000Z', '{}', '<p></p>');
  expect((await deps.reports.latest(container, 'db', 'json'))?.text).toBe('{}');
  expect((await deps.blobs.list(container, '_reports/')).map((b) => b.name)).toHaveLength(2);
});
