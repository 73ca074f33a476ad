import { TableWatermarkStore } from '../../../lib/storage/watermarks';
import { startAzurite, type AzuriteHandle } from '../../helpers/azurite';

let az: AzuriteHandle;
beforeAll(async () => {
  az = await startAzurite();
});
afterAll(() => az.stop());

it('keeps one watermark per cluster, database and export, names with awkward characters included', async () => {
  const store = TableWatermarkStore.fromConnectionString(az.connectionString);
  const cluster = 'https://C1.westeurope.kusto.windows.net/';
  expect(await store.get(cluster, "Sales db's", 'adxbackup_A/B')).toBeUndefined();
  await store.put(cluster, "Sales db's", 'adxbackup_A/B', new Date('2026-01-02T03:04:05.678Z'));
  await store.put(
    'https://c2.kusto.windows.net',
    "Sales db's",
    'adxbackup_A/B',
    new Date('2020-01-01T00:00:00Z'),
  );
  expect(await store.get('https://c1.westeurope.kusto.windows.net', "Sales db's", 'adxbackup_A/B')).toEqual(
    new Date('2026-01-02T03:04:05.678Z'),
  );
  await store.put(cluster, "Sales db's", 'adxbackup_A/B', new Date('2026-01-03T00:00:00Z'));
  expect(await store.get(cluster, "Sales db's", 'adxbackup_A/B')).toEqual(new Date('2026-01-03T00:00:00Z'));
  expect(await store.get(cluster, "Sales db's", 'other')).toBeUndefined();
});
