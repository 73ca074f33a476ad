import { HttpRequest, InvocationContext } from '@azure/functions';
import { loadConfig } from '../../../lib/config';
import { serialisePolicy } from '../../../lib/domain/backupPolicy';
import { ConfigError } from '../../../lib/errors';
import { makeMonitorRunHandler, parseMonitorRequest } from '../../../lib/http/monitorRun';
import type { MonitorDeps } from '../../../lib/monitor/tick';
import { CLUSTER, MemoryStatus, NOW, POLICY } from '../../helpers/monitorFixtures';
import { scriptedGateway } from '../../helpers/scriptedGateway';
import { MemoryCatalog } from '../../helpers/setupHarness';

const config = loadConfig({ ADX_BACKUP_CLUSTER_URI: CLUSTER, ADX_BACKUP_DATABASES: 'db' });
const post = (body?: string) =>
  new HttpRequest({
    url: 'http://localhost/api/monitor/run',
    method: 'POST',
    ...(body ? { body: { string: body } } : {}),
  });
const context = new InvocationContext({ functionName: 'monitorRun' });

function handler(configure = () => config) {
  const gateway = scriptedGateway({});
  const catalog = new MemoryCatalog();
  void catalog.putDatabasePolicy(CLUSTER, 'db', serialisePolicy(POLICY));
  const deps: MonitorDeps = {
    gatewayFor: () => gateway,
    catalog,
    status: new MemoryStatus(),
    metrics: { publish: () => undefined },
    tableSetup: { start: () => Promise.reject(new Error('unused')) },
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    now: () => NOW,
    settings: { latenessThresholdMs: 1, reenablePerTick: 1 },
  };
  return { gateway, run: makeMonitorRunHandler({ config: configure, tickDeps: () => deps }) };
}

test('defaults come from the configuration; the body may name a cluster and databases', () => {
  expect(parseMonitorRequest({}, config)).toEqual({ clusterUri: CLUSTER, databases: ['db'] });
  expect(
    parseMonitorRequest({ clusterUri: 'http://127.0.0.1:8080/', databases: ['a', 'b', 'a'] }, config),
  ).toEqual({
    clusterUri: 'http://127.0.0.1:8080',
    databases: ['a', 'b'],
  });
});

test.each([
  ['{"databases":["ok","bad]name"]}', 'databases[1]'],
  ['{"databases":[]}', 'databases'],
  ['{"clusterUri":"http://evil.example.com"}', 'clusterUri'],
  ['{"databse":["db"]}', 'databse'],
  ['{not json', 'body'],
])('400 for %s, naming %s, and nothing is sent', async (body, field) => {
  const h = handler();
  const res = await h.run(post(body), context);
  expect(res).toMatchObject({ status: 400, jsonBody: { error: 'invalid-request', field } });
  expect(h.gateway.sent).toEqual([]);
});

test('400 when no database is given or configured; 500 naming bad settings', async () => {
  const none = handler(() => loadConfig({ ADX_BACKUP_CLUSTER_URI: CLUSTER }));
  expect(await none.run(post(), context)).toMatchObject({ status: 400, jsonBody: { field: 'databases' } });
  const broken = handler(() => {
    throw new ConfigError([{ key: 'ADX_BACKUP_REENABLE_PER_TICK', message: 'expected a whole number' }]);
  });
  expect(await broken.run(post(), context)).toMatchObject({
    status: 500,
    jsonBody: { error: 'misconfigured', problems: [{ key: 'ADX_BACKUP_REENABLE_PER_TICK' }] },
  });
});

test('200 with the tick report', async () => {
  const h = handler();
  const res = await h.run(post(), context);
  expect(res.status).toBe(200);
  expect(res.jsonBody).toMatchObject({
    clusterUri: CLUSTER,
    checkedAt: NOW.toISOString(),
    databases: [{ status: { database: 'db', outcome: 'unreachable' }, tables: [] }],
  });
});
