import { HttpRequest, InvocationContext } from '@azure/functions';
import type { HttpResponse } from '@azure/functions';
import { loadConfig } from '../../../lib/config';
import { PermanentError, TransientError } from '../../../lib/errors';
import { makeSetupHandler } from '../../../lib/http/setup';
import { OrchestratorNames, setupInstanceId } from '../../../lib/names';
import { table } from '../../helpers/resultTables';
import { scriptedGateway, type Answer } from '../../helpers/scriptedGateway';
import { FakeDurableClient } from '../../helpers/setupHarness';

const CLUSTER = 'https://c1.westeurope.kusto.windows.net';
const ID = setupInstanceId(CLUSTER, 'db');
const context = new InvocationContext({ functionName: 'test', logHandler: () => undefined });
const config = () =>
  loadConfig({
    ADX_BACKUP_CLUSTER_URI: CLUSTER,
    ADX_BACKUP_CONTAINERS: 'https://acct1.blob.core.windows.net/backup',
    ADX_BACKUP_EXPORT_MANAGED_IDENTITY: 'system',
  });
const schema = table('DatabaseSchema:string', [
  [
    JSON.stringify({
      Databases: {
        db: {
          Name: 'db',
          Tables: {
            Events: {
              Name: 'Events',
              OrderedColumns: [
                { Name: 'At', Type: 'System.DateTime', CslType: 'datetime' },
                { Name: 'Id', Type: 'System.Int64', CslType: 'long' },
              ],
            },
          },
        },
      },
    }),
  ],
]);

function call(body: unknown, answer: Answer = schema, database = 'db', client = new FakeDurableClient()) {
  const gateway = scriptedGateway({ 'show-database-schema-json': answer });
  const handler = makeSetupHandler({
    config,
    gatewayFor: () => gateway,
    durableClient: client.asDependency(),
  });
  const req = new HttpRequest({
    url: `http://localhost/api/backups/${database}/setup`,
    method: 'POST',
    params: { database },
    body: { string: typeof body === 'string' ? body : JSON.stringify(body) },
  });
  return { gateway, client, response: handler(req, context) };
}

const bodyOf = async (r: Promise<unknown>) =>
  (await r) as { status: number; jsonBody: Record<string, unknown> };

test('starts the singleton orchestration after one read command: 202 with the status URLs', async () => {
  const { gateway, client, response } = call({ include: ['Ev*'] });
  const res = (await response) as HttpResponse;
  expect(res.status).toBe(202);
  expect(await res.json()).toEqual(client.createHttpManagementPayload(ID));
  expect(client.started).toEqual([
    {
      name: OrchestratorNames.setupDatabase,
      instanceId: ID,
      input: expect.objectContaining({ database: 'db', include: ['Ev*'] }),
    },
  ]);
  expect(gateway.sent.map((c) => [c.text, c.mutating])).toEqual([['.show database schema as json', false]]);
});

test('409 with the running instance status URLs while a setup runs; nothing sent or started', async () => {
  const client = new FakeDurableClient();
  client.statuses.set(ID, 'Running');
  const { gateway, response } = call({}, schema, 'db', client);
  const res = await bodyOf(response);
  expect(res.status).toBe(409);
  expect(res.jsonBody).toMatchObject({
    instanceId: ID,
    runtimeStatus: 'Running',
    statusUrls: client.createHttpManagementPayload(ID),
  });
  expect(client.started).toEqual([]);
  expect(gateway.sent).toEqual([]);
});

test('a finished earlier run does not block a new one; a lost start race answers 409', async () => {
  const done = new FakeDurableClient();
  done.statuses.set(ID, 'Completed');
  expect((await bodyOf(call({}, schema, 'db', done).response)).status).toBe(202);
  const racing = new FakeDurableClient();
  const race = call({}, schema, 'db', racing);
  racing.startNew = (name, options) => {
    racing.statuses.set(options.instanceId, 'Running');
    return Promise.reject(new Error(`${name} already running`));
  };
  expect((await bodyOf(race.response)).status).toBe(409);
});

test('unknown database: 404 naming it', async () => {
  const missing = new PermanentError('Kusto show failed with HTTP 400 BadRequest_DatabaseNotExist', {
    serverCode: 'BadRequest_DatabaseNotExist',
    serverMessage: "Database 'nope' was not found.",
  });
  const { client, response } = call({}, missing, 'nope');
  const res = await bodyOf(response);
  expect(res.status).toBe(404);
  expect(res.jsonBody).toEqual({
    error: 'database-not-found',
    message: `database 'nope' does not exist on cluster ${CLUSTER}`,
  });
  expect(client.started).toEqual([]);
});

test('cluster failures are 502 (permanent) or 503 (transient), with the reason and no secret', async () => {
  const denied = await bodyOf(
    call({}, new PermanentError('HTTP 403 Forbidden: not allowed (sig=SECRET)')).response,
  );
  expect(denied.status).toBe(502);
  expect(String(denied.jsonBody.message)).toContain('HTTP 403 Forbidden');
  expect(String(denied.jsonBody.message)).not.toContain('SECRET');
  expect((await bodyOf(call({}, new TransientError('HTTP 503')).response)).status).toBe(503);
});

test.each<[string, unknown]>([
  ['body', '{not json'],
  ['include', { include: ['Nothing*'] }],
  ['partitionColumns.Events', { partitionColumns: { Events: 'Id' } }],
  ['partitionColumns.Other', { partitionColumns: { Other: 'At' } }],
  ['export.interval', { export: { interval: '1m' } }],
])('400 naming %s, nothing started', async (field, body) => {
  const { client, response } = call(body);
  const res = await bodyOf(response);
  expect(res.status).toBe(400);
  expect(res.jsonBody).toMatchObject({ error: 'invalid-request', field });
  expect(client.started).toEqual([]);
});

test('a misconfigured app answers 500 naming the settings', async () => {
  const handler = makeSetupHandler({
    config: () => loadConfig({ ADX_BACKUP_EXPORT_INTERVAL: 'soon' }),
    gatewayFor: () => scriptedGateway({}),
    durableClient: new FakeDurableClient().asDependency(),
  });
  const res = await bodyOf(
    handler(
      new HttpRequest({ url: 'http://localhost/x', method: 'POST', params: { database: 'db' } }),
      context,
    ),
  );
  expect(res.status).toBe(500);
  expect(res.jsonBody.problems).toEqual([expect.objectContaining({ key: 'ADX_BACKUP_EXPORT_INTERVAL' })]);
});
