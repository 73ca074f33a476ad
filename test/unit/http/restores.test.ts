import { HttpRequest, InvocationContext } from '@azure/functions';
import type { HttpResponseInit } from '@azure/functions';
import { loadConfig } from '../../../lib/config';
import { TransientError } from '../../../lib/errors';
import { makeRestoreStartHandler, makeRestoreStatusHandler } from '../../../lib/http/restores';
import type { RestoreHttpDeps } from '../../../lib/http/restores';
import { OrchestratorNames } from '../../../lib/names';
import { memoryLedger } from '../../helpers/memoryLedger';
import { fakeBlobs, memoryState } from '../../helpers/restoreFakes';
import { scriptedGateway } from '../../helpers/scriptedGateway';
import { FakeDurableClient, MemoryCatalog } from '../../helpers/setupHarness';
import { CONTAINER, TARGET, artifact, databaseSchema, exportsAnswer } from '../restore/fixtures';

const context = new InvocationContext({ functionName: 'test', logHandler: () => undefined });
const body = {
  restoreId: 'r1',
  source: { database: 'Sales', tables: ['Orders'] },
  target: { database: 'SalesRestore' },
};

async function setup(
  gateway = scriptedGateway({
    'show-database-schema-json': databaseSchema('SalesRestore', {}),
    'show-continuous-exports': exportsAnswer([]),
  }),
) {
  const catalog = new MemoryCatalog();
  await catalog.putArtifacts([artifact('a.parquet', '2025-01-01')]);
  const client = new FakeDurableClient();
  const { state } = memoryState();
  const deps: RestoreHttpDeps = {
    config: loadConfig({
      ADX_BACKUP_CLUSTER_URI: TARGET,
      ADX_BACKUP_CONTAINERS: CONTAINER,
      ADX_BACKUP_RESTORE_BATCH_SIZE: '7',
    }),
    gatewayFor: () => gateway,
    catalog,
    blobs: fakeBlobs([
      {
        containerUrl: CONTAINER,
        name: 'Sales/_schema/20250101T000000Z.kql',
        text: '.create-merge table Orders (Ts:datetime)',
      },
    ]),
    ledger: memoryLedger(),
    state,
    newId: () => 'generated',
    durableClient: client.asDependency(),
  };
  const post = async (b: unknown) => {
    const res = (await makeRestoreStartHandler(() => deps)(
      new HttpRequest({
        url: 'https://app.example.com/api/restores',
        method: 'POST',
        body: { string: JSON.stringify(b) },
      }),
      context,
    )) as HttpResponseInit;
    return { status: res.status, body: res.jsonBody as Record<string, unknown> };
  };
  const get = async (id: string) => {
    const res = (await makeRestoreStatusHandler(() => deps)(
      new HttpRequest({ url: `https://app.example.com/api/restores/${id}`, method: 'GET', params: { id } }),
      context,
    )) as HttpResponseInit;
    return { status: res.status, body: res.jsonBody as Record<string, unknown> };
  };
  return { client, state, gateway, post, get };
}

describe('POST /api/restores', () => {
  it('records the restore and starts its orchestration: 202 with the id and the status URL', async () => {
    const s = await setup();
    const res = await s.post(body);
    expect(res).toMatchObject({
      status: 202,
      body: { restoreId: 'r1', statusUrl: 'https://app.example.com/api/restores/r1', rerun: false },
    });
    expect(s.client.started).toEqual([
      {
        name: OrchestratorNames.restore,
        instanceId: 'restore-r1',
        input: {
          request: expect.objectContaining({ restoreId: 'r1' }),
          settings: { batchSize: 7, stallTimeoutMs: 1_800_000 },
        },
      },
    ]);
    expect(await s.state.getRestore('r1')).toMatchObject({ status: 'started', planned: false });
    expect(s.gateway.mutating()).toEqual([]);
  });

  it('refuses while the restore runs, once it completed, and with the same id but another request', async () => {
    const s = await setup();
    await s.post(body);
    s.client.statuses.set('restore-r1', 'Running');
    expect((await s.post(body)).body.error).toBe('restore-running');
    s.client.statuses.set('restore-r1', 'Failed');
    expect((await s.post({ ...body, mode: 'append' })).body.error).toBe('restore-id-conflict');
    const rerun = await s.post(body);
    expect(rerun).toMatchObject({ status: 202, body: { rerun: true } });
    s.client.statuses.set('restore-r1', 'Completed');
    await s.state.patchRestore('r1', { status: 'completed' });
    expect(await s.post(body)).toMatchObject({ status: 409, body: { error: 'restore-completed' } });
  });

  it('answers 400 for bad input, the resolver status for a refused restore, 503 when the target cannot be read', async () => {
    const s = await setup();
    expect(await s.post({ source: {} })).toMatchObject({ status: 400, body: { error: 'invalid-request' } });
    expect(await s.post({ ...body, source: { database: 'Sales', tables: ['Nope'] } })).toMatchObject({
      status: 404,
      body: { error: 'table-not-found', field: 'source.tables[0]' },
    });
    const down = await setup(
      scriptedGateway({ 'show-database-schema-json': new TransientError('503 from cluster, sig=SECRET') }),
    );
    const res = await down.post(body);
    expect(res.status).toBe(503);
    expect(JSON.stringify(res.body)).not.toContain('SECRET');
    expect(down.client.started).toEqual([]);
  });

  it('answers a dry run with the plan and starts nothing', async () => {
    const s = await setup();
    const res = await s.post({ ...body, dryRun: true });
    expect(res).toMatchObject({
      status: 200,
      body: { dryRun: true, plan: { restoreId: 'r1', totals: { blobs: 1, expectedRows: 10 } } },
    });
    expect(s.client.started).toEqual([]);
    expect(await s.state.getRestore('r1')).toBeUndefined();
  });
});

describe('GET /api/restores/{id}', () => {
  it('answers the stored progress with the runtime status; 404 for an unknown restore; 400 for a bad id', async () => {
    const s = await setup();
    await s.post(body);
    s.client.statuses.set('restore-r1', 'Running');
    expect(await s.get('r1')).toMatchObject({
      status: 200,
      body: { restoreId: 'r1', status: 'started', runtimeStatus: 'Running', tables: [] },
    });
    expect(await s.get('nope')).toMatchObject({ status: 404, body: { error: 'restore-not-found' } });
    expect(await s.get('../x')).toMatchObject({ status: 400, body: { field: 'id' } });
  });
});
