import { TableClient } from '@azure/data-tables';
import { HttpRequest, InvocationContext } from '@azure/functions';
import { ConfigError, PermanentError } from '../../../lib/errors';
import {
  makeDeletionScrubHandler,
  makeDeletionsCreateHandler,
  makeDeletionsListHandler,
  type DeletionDeps,
} from '../../../lib/http/deletions';
import { LEDGER_TABLE, LedgerStore } from '../../../lib/storage/ledger';
import { startAzurite, type AzuriteHandle } from '../../helpers/azurite';
import { table } from '../../helpers/resultTables';
import { notFound, scriptedGateway, type Answer, type ScriptedGateway } from '../../helpers/scriptedGateway';
import { schemaAnswer } from '../../helpers/schemaAnswers';

let az: AzuriteHandle;
let ledger: LedgerStore;
let raw: TableClient;
beforeAll(async () => {
  az = await startAzurite();
  ledger = LedgerStore.fromConnectionString(az.connectionString);
  raw = TableClient.fromConnectionString(az.connectionString, LEDGER_TABLE, {
    allowInsecureConnection: true,
  });
});
afterAll(() => az.stop());

const context = () => new InvocationContext({ functionName: 'test', logHandler: () => undefined });
const SCHEMA = schemaAnswer('Orders', { Id: 'long', Customer: 'string' });
const DELETED = table('OriginalExtentId:string, ResultExtentId:string, RecordsMatchPredicate:long', [
  ['e1', 'e2', 2],
]);

let ids = 0;
function depsWith(script: Record<string, Answer | Answer[]>): {
  deps: () => DeletionDeps;
  gateway: ScriptedGateway;
} {
  const gateway = scriptedGateway({ 'show-table-schema': SCHEMA, ...script });
  const deps: DeletionDeps = {
    gatewayFor: () => gateway,
    ledger,
    catalog: {
      getTable: () => Promise.resolve(undefined),
      listArtifacts: () => Promise.resolve([]),
      putArtifacts: () => Promise.resolve(),
    },
    blobs: { deleteIfExists: () => Promise.resolve() },
    storageAuth: { kind: 'impersonate' },
    defaultClusterUri: 'https://c1.westeurope.kusto.windows.net',
    now: () => new Date('2026-03-01T00:00:00Z'),
    newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
  };
  return { deps: () => deps, gateway };
}

const post = (body: unknown, headers: Record<string, string> = {}) =>
  new HttpRequest({
    url: 'http://localhost/api/deletions',
    method: 'POST',
    headers,
    body: { string: typeof body === 'string' ? body : JSON.stringify(body) },
  });
const get = (query: string) =>
  new HttpRequest({ url: `http://localhost/api/deletions?${query}`, method: 'GET' });
const scrub = (id: string) =>
  new HttpRequest({ url: `http://localhost/api/deletions/${id}/scrub`, method: 'POST', params: { id } });

const body = (over: Record<string, unknown> = {}) => ({
  database: 'Sales',
  table: 'Orders',
  predicate: "Customer == 'alice'",
  kind: 'delete',
  ...over,
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are read loosely
type Json = Record<string, any>;

describe('POST /api/deletions', () => {
  it('records and runs a deletion: 201 with the deletion, who asked from the principal header', async () => {
    const { deps, gateway } = depsWith({ 'delete-records': DELETED });
    const res = await makeDeletionsCreateHandler(deps)(
      post(body({ database: 'Created' }), { 'x-ms-client-principal-name': 'dpo@example.com' }),
      context(),
    );
    expect(res.status).toBe(201);
    expect((res.jsonBody as Json).deletion).toMatchObject({
      database: 'Created',
      cluster: 'https://c1.westeurope.kusto.windows.net',
      status: 'succeeded',
      requestedBy: 'dpo@example.com',
      principal: 'dpo@example.com',
      details: { recordsDeleted: 2 },
    });
    expect(gateway.mutating()).toHaveLength(1);
  });

  it.each([
    ['invalid JSON', '{"database":', 'body'],
    ['an unknown field', body({ excute: false }), 'excute'],
    ['a bad kind', body({ kind: 'drop' }), 'kind'],
    ['a hostile table name', body({ table: "Orders'] | .drop table x" }), 'table'],
    ['a cluster over plain http', body({ clusterUri: 'http://c1.kusto.windows.net' }), 'clusterUri'],
    ['a pipe in the predicate', body({ predicate: "Customer == 'a' | take 1" }), 'predicate'],
    ['an unknown column', body({ predicate: 'Nope == 1' }), 'predicate'],
  ])('400 for %s, naming the field; nothing recorded or run', async (_label, request, field) => {
    const { deps, gateway } = depsWith({});
    const res = await makeDeletionsCreateHandler(deps)(post(request), context());
    expect(res.status).toBe(400);
    expect(res.jsonBody).toMatchObject({ error: 'invalid-request', field });
    expect((res.jsonBody as Json).problems[0].field).toBe(field);
    expect(gateway.mutating()).toEqual([]);
    expect((await ledger.readDatabase('Sales')).flatMap((c) => c.entries)).toEqual([]);
  });

  it('404 for an unknown table', async () => {
    const { deps, gateway } = depsWith({ 'show-table-schema': notFound('Table', 'Nope') });
    const res = await makeDeletionsCreateHandler(deps)(post(body({ table: 'Nope' })), context());
    expect(res.status).toBe(404);
    expect((res.jsonBody as Json).message).toBe("table 'Nope' was not found in database 'Sales'");
    expect(gateway.mutating()).toEqual([]);
  });

  it('502 when the command fails on the source; the entry is kept as failed', async () => {
    const { deps } = depsWith({
      'delete-records': new PermanentError('HTTP 400', { serverMessage: 'Cannot delete.' }),
    });
    const res = await makeDeletionsCreateHandler(deps)(post(body({ database: 'Failing' })), context());
    expect(res.status).toBe(502);
    expect(res.jsonBody).toMatchObject({
      error: 'execution-failed',
      message: 'Cannot delete.',
      deletion: { status: 'failed' },
    });
    const [chain] = await ledger.readDatabase('Failing');
    expect(chain!.entries.map((e) => e.type)).toEqual(['deletion', 'execution']);
  });

  it('500 naming the settings when the configuration is bad', async () => {
    const deps = () => {
      throw new ConfigError([{ key: 'ADX_BACKUP_CATALOG_TABLE_URL', message: 'required' }]);
    };
    const res = await makeDeletionsCreateHandler(deps)(post(body()), context());
    expect(res).toEqual({
      status: 500,
      jsonBody: {
        error: 'misconfigured',
        problems: [{ key: 'ADX_BACKUP_CATALOG_TABLE_URL', message: 'required' }],
      },
    });
  });
});

describe('GET /api/deletions', () => {
  beforeAll(async () => {
    const { deps } = depsWith({ 'delete-records': DELETED });
    const create = makeDeletionsCreateHandler(deps);
    await create(post(body({ database: 'Listed', table: 'A', predicate: 'Id == 1' })), context());
    await create(
      post(body({ database: 'Listed', table: 'A', predicate: 'Id == 2', execute: false })),
      context(),
    );
    await create(post(body({ database: 'Listed', table: 'B', predicate: 'Id == 3' })), context());
  });

  it('lists the deletions of a database per table, each chain verified', async () => {
    const { deps } = depsWith({});
    const res = await makeDeletionsListHandler(deps)(get('database=Listed'), context());
    expect(res.status).toBe(200);
    const tables = (res.jsonBody as Json).tables as Json[];
    expect(
      tables.map((t) => [
        t.table,
        t.chain.valid,
        t.chain.length,
        t.deletions.map((d: Json) => [d.predicate, d.status]),
      ]),
    ).toEqual([
      [
        'A',
        true,
        3,
        [
          ['Id == 1', 'succeeded'],
          ['Id == 2', 'recorded'],
        ],
      ],
      ['B', true, 2, [['Id == 3', 'succeeded']]],
    ]);
    expect(tables[0]!.entries).toBeUndefined();
  });

  it('lists one table, with the raw entries on request', async () => {
    const { deps } = depsWith({});
    const res = await makeDeletionsListHandler(deps)(get('database=Listed&table=B&entries=true'), context());
    const [only] = (res.jsonBody as Json).tables as Json[];
    expect(only!.entries.map((e: Json) => [e.seq, e.type])).toEqual([
      [1, 'deletion'],
      [2, 'execution'],
    ]);
    expect(only!.chain.headHash).toBe(only!.entries[1].hash);
  });

  it('400 without a database', async () => {
    const { deps } = depsWith({});
    const res = await makeDeletionsListHandler(deps)(get('table=A'), context());
    expect(res.status).toBe(400);
    expect(res.jsonBody).toMatchObject({ field: 'database' });
  });

  it('shows a tampered entry as a broken chain, naming where', async () => {
    const { deps } = depsWith({ 'delete-records': DELETED });
    await makeDeletionsCreateHandler(deps)(
      post(body({ database: 'Tampered', predicate: "Customer == 'alice'" })),
      context(),
    );
    const entity = await raw.getEntity<Record<string, unknown>>('Tampered|Orders', String(9_999_999_999 - 1));
    const text = Buffer.from(entity.b0 as Uint8Array)
      .toString('utf8')
      .replace("'alice'", "'mallory'");
    await raw.updateEntity(
      { partitionKey: 'Tampered|Orders', rowKey: entity.rowKey!, b0: new Uint8Array(Buffer.from(text)) },
      'Merge',
    );

    const res = await makeDeletionsListHandler(deps)(get('database=Tampered&table=Orders'), context());
    const [orders] = (res.jsonBody as Json).tables as Json[];
    expect(orders!.chain).toMatchObject({
      valid: false,
      problems: [{ seq: 1, problem: 'content does not match its hash' }],
    });
  });
});

describe('POST /api/deletions/{id}/scrub', () => {
  it('400 for a malformed id, 404 for an unknown one, 409 for a deletion that failed on the source', async () => {
    const { deps } = depsWith({ 'delete-records': new PermanentError('no') });
    const handler = makeDeletionScrubHandler(deps);
    expect((await handler(scrub('nope'), context())).status).toBe(400);
    expect((await handler(scrub('0d1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'), context())).status).toBe(404);
    const created = await makeDeletionsCreateHandler(deps)(post(body({ database: 'ScrubFail' })), context());
    const id = ((created.jsonBody as Json).deletion as Json).id as string;
    const res = await handler(scrub(id), context());
    expect(res.status).toBe(409);
    expect((res.jsonBody as Json).message).toMatch(/is failed on the source/);
  });

  it('404 when the table has no backup in the catalog', async () => {
    const { deps } = depsWith({ 'delete-records': DELETED });
    const created = await makeDeletionsCreateHandler(deps)(post(body({ database: 'NoBackup' })), context());
    const id = ((created.jsonBody as Json).deletion as Json).id as string;
    const res = await makeDeletionScrubHandler(deps)(scrub(id), context());
    expect(res.status).toBe(404);
  });
});
