import { TableClient } from '@azure/data-tables';
import type { TableStatus } from '../../../lib/domain/monitorStatus';
import { databaseStatus } from '../../../lib/domain/monitorStatus';
import { MonitorStatusStore, STATUS_TABLE } from '../../../lib/storage/monitorStatus';
import { startAzurite, type AzuriteHandle } from '../../helpers/azurite';

let az: AzuriteHandle;
let store: MonitorStatusStore;
beforeAll(async () => {
  az = await startAzurite();
  store = MonitorStatusStore.fromConnectionString(az.connectionString);
});
afterAll(() => az.stop());

const cluster = 'https://C1.westeurope.kusto.windows.net/';
const now = new Date('2026-02-01T00:00:00.000Z');
const status = (table: string, state: TableStatus['state'] = 'healthy'): TableStatus => ({
  table,
  state,
  cause: null,
  latenessMinutes: 3,
  exportedTo: null,
  lastFailure: null,
  lastAction: { kind: 'enable-export', at: now.toISOString(), outcome: 'done', detail: 'ok' },
  alert: null,
  notes: [],
  checkedAt: now.toISOString(),
});

test('table rows are replaced per database (over 100 at once), stale rows removed, names keys forbid kept', async () => {
  const many = Array.from({ length: 130 }, (_, i) => status(`T${i}`));
  await store.writeTables(cluster, 'Sales db', [...many, status("O'Brien/x#y?")]);
  expect(await store.listTables(cluster, 'Sales db')).toHaveLength(131);
  await store.writeTables('https://c1.westeurope.kusto.windows.net', 'Sales db', [
    status('T1', 'late'),
    status("O'Brien/x#y?"),
  ]);
  expect((await store.listTables(cluster, 'Sales db')).map((t) => [t.table, t.state])).toEqual([
    ["O'Brien/x#y?", 'healthy'],
    ['T1', 'late'],
  ]);
  expect(await store.listTables(cluster, 'Other')).toEqual([]);
});

test('database rows per cluster; an unreadable row is skipped', async () => {
  await store.writeDatabase(databaseStatus(cluster, 'Sales db', [status('A')], now));
  await store.writeDatabase(databaseStatus('https://c2.kusto.windows.net', 'Elsewhere', [], now));
  const raw = TableClient.fromConnectionString(az.connectionString, STATUS_TABLE, {
    allowInsecureConnection: true,
  });
  await raw.upsertEntity({
    partitionKey: 'c1.westeurope.kusto.windows.net',
    rowKey: 'Broken',
    status: '{not json',
  });
  expect(await store.listDatabases(cluster)).toEqual([
    databaseStatus(cluster, 'Sales db', [status('A')], now),
  ]);
});
