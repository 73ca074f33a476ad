import { HttpRequest } from '@azure/functions';
import { loadConfig } from '../../../lib/config';
import type { TableStatus } from '../../../lib/domain/monitorStatus';
import { databaseStatus, uncheckedStatus } from '../../../lib/domain/monitorStatus';
import { makeStatusHandler } from '../../../lib/http/status';
import { CLUSTER, MemoryStatus, NOW } from '../../helpers/monitorFixtures';

const get = (query = '') => new HttpRequest({ url: `http://localhost/api/status${query}`, method: 'GET' });
const table: TableStatus = {
  table: 'A',
  state: 'late',
  cause: null,
  latenessMinutes: 75,
  exportedTo: null,
  lastFailure: null,
  lastAction: null,
  alert: { message: 'late', fix: 'capacity' },
  notes: [],
  checkedAt: NOW.toISOString(),
};

async function handler() {
  const store = new MemoryStatus();
  await store.writeDatabase(databaseStatus(CLUSTER, 'db', [table], NOW));
  await store.writeTables(CLUSTER, 'db', [table]);
  await store.writeDatabase(uncheckedStatus(CLUSTER, 'other', 'unreachable', 'down', NOW));
  return makeStatusHandler({
    config: () => loadConfig({ ADX_BACKUP_CLUSTER_URI: CLUSTER }),
    status: () => store,
  });
}

test('every database with its tables, or one database', async () => {
  const h = await handler();
  const all = await h(get());
  expect(all.status).toBe(200);
  expect(all.jsonBody).toEqual({
    clusterUri: CLUSTER,
    databases: [
      { ...databaseStatus(CLUSTER, 'db', [table], NOW), tables: [table] },
      { ...uncheckedStatus(CLUSTER, 'other', 'unreachable', 'down', NOW), tables: [] },
    ],
  });
  const one = await h(get('?database=other'));
  expect(one.jsonBody).toMatchObject({
    databases: [{ database: 'other', outcome: 'unreachable', message: 'down' }],
  });
});

test('400 naming a bad parameter, 404 for a database never checked', async () => {
  const h = await handler();
  expect(await h(get('?database=bad]'))).toMatchObject({ status: 400, jsonBody: { field: 'database' } });
  expect(await h(get('?clusterUri=ftp://x'))).toMatchObject({
    status: 400,
    jsonBody: { field: 'clusterUri' },
  });
  expect(await h(get('?database=never'))).toMatchObject({ status: 404, jsonBody: { error: 'no-status' } });
});
