/**
 * The emulator's HTTP protocol through the real azure-kusto-data client: v1, query-shaped v1 and v2
 * answers, OneApi errors, endpoint routing, throttling, auth refusal, the command log and the admin
 * routes (plain HTTP: they are not part of the Kusto protocol).
 */
import {
  Client,
  ClientRequestProperties,
  KustoConnectionStringBuilder,
  KustoDataErrors,
} from 'azure-kusto-data';
import { startEmulator, type EmulatorHandle } from './index';
import { failure, rawBody, run } from './clientHelpers';

let emu: EmulatorHandle;
let client: Client;
const DB = 'db1';

beforeAll(async () => {
  emu = await startEmulator({ databases: [DB], start: new Date('2026-01-05T12:00:00Z') });
  client = new Client(emu.url);
  await run(client, DB, '.create table Events (Timestamp:datetime, Id:long, Name:string, Took:timespan)');
  await run(
    client,
    DB,
    '.ingest inline into table Events <| 2026-01-01T01:02:03.25Z,1,a,1.02:03:04.5\n2026-01-02T00:00:00Z,2,b,00:00:01',
  );
});

afterAll(async () => {
  client.close();
  await emu.stop();
});

beforeEach(() => emu.faults.reset());

async function admin(path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${emu.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

type V1 = {
  Tables: {
    TableName: string;
    Columns: { ColumnName: string; DataType: string; ColumnType: string }[];
    Rows: unknown[][];
  }[];
};
type Frame = Record<string, unknown> & { FrameType: string };

describe('answers', () => {
  test('a management command answers one v1 table with ColumnName, DataType and ColumnType', async () => {
    const body = (await rawBody(client, DB, '.show table Events cslschema', 'mgmt')) as V1;
    expect(body.Tables).toHaveLength(1);
    expect(body.Tables[0]!.TableName).toBe('Table_0');
    expect(body.Tables[0]!.Columns).toEqual([
      { ColumnName: 'TableName', DataType: 'String', ColumnType: 'string' },
      { ColumnName: 'Schema', DataType: 'String', ColumnType: 'string' },
      { ColumnName: 'DatabaseName', DataType: 'String', ColumnType: 'string' },
      { ColumnName: 'Folder', DataType: 'String', ColumnType: 'string' },
      { ColumnName: 'DocString', DataType: 'String', ColumnType: 'string' },
    ]);
    expect(body.Tables[0]!.Rows).toEqual([
      ['Events', 'Timestamp:datetime,Id:long,Name:string,Took:timespan', DB, '', ''],
    ]);
  });

  test('a piped management command answers the query-shaped v1 (4 tables, TOC last)', async () => {
    const answer = await run(
      client,
      DB,
      ".show tables | where TableName startswith 'Ev' | project TableName, DatabaseName",
    );
    expect(answer.rows).toEqual([{ TableName: 'Events', DatabaseName: DB }]);
    const body = (await rawBody(client, DB, '.show tables | count', 'mgmt')) as V1;
    expect(body.Tables.map((t) => t.TableName)).toEqual(['Table_0', 'Table_1', 'Table_2', 'Table_3']);
    expect(body.Tables[0]!.Rows).toEqual([[1]]);
    expect(body.Tables[1]!.Columns.map((c) => c.ColumnName)).toEqual(['Value']);
    expect(body.Tables[2]!.Columns.map((c) => c.ColumnName)).toEqual([
      'Timestamp',
      'Severity',
      'SeverityName',
      'StatusCode',
      'StatusDescription',
      'Count',
      'RequestId',
      'ActivityId',
      'SubActivityId',
      'ClientActivityId',
    ]);
    expect(body.Tables[3]!.Columns.map((c) => c.ColumnName)).toEqual([
      'Ordinal',
      'Kind',
      'Name',
      'Id',
      'PrettyName',
    ]);
    expect(body.Tables[3]!.Rows.map((r) => [r[0], r[1], r[2]])).toEqual([
      [0, 'QueryResult', 'PrimaryResult'],
      [1, 'QueryProperties', '@ExtendedProperties'],
      [2, 'QueryStatus', 'QueryStatus'],
    ]);
  });

  test('a query on /v2/rest/query answers frames; datetimes carry 7 digits, timespans c-format', async () => {
    const frames = (await rawBody(
      client,
      DB,
      'Events | where Id == 1 | project Timestamp, Took',
      'v2',
    )) as Frame[];
    expect(frames.map((f) => f.FrameType)).toEqual([
      'DataSetHeader',
      'DataTable',
      'DataTable',
      'DataTable',
      'DataSetCompletion',
    ]);
    expect(frames.filter((f) => f.FrameType === 'DataTable').map((f) => f.TableKind)).toEqual([
      'QueryProperties',
      'PrimaryResult',
      'QueryCompletionInformation',
    ]);
    const primaryFrame = frames.find((f) => f.TableKind === 'PrimaryResult')!;
    expect(primaryFrame.Columns).toEqual([
      { ColumnName: 'Timestamp', ColumnType: 'datetime' },
      { ColumnName: 'Took', ColumnType: 'timespan' },
    ]);
    expect(primaryFrame.Rows).toEqual([['2026-01-01T01:02:03.2500000Z', '1.02:03:04.5000000']]);
    expect(frames[4]).toEqual({ FrameType: 'DataSetCompletion', HasErrors: false, Cancelled: false });
    // The client converts them: Date and milliseconds.
    const answer = await run(client, DB, 'Events | where Id == 2 | project Timestamp, Took');
    expect(answer.rows).toEqual([{ Timestamp: new Date('2026-01-02T00:00:00Z'), Took: 1000 }]);
  });

  test('/v1/rest/query serves queries and .show commands query-shaped', async () => {
    const query = (await rawBody(client, DB, 'Events | count', 'v1')) as V1;
    expect(query.Tables).toHaveLength(4);
    expect(query.Tables[0]!.Rows).toEqual([[2]]);
    const show = await client.executeQueryV1(DB, '.show tables');
    expect(show.primaryResults[0]!.toJSON().data).toEqual([
      { TableName: 'Events', DatabaseName: DB, Folder: '', DocString: '' },
    ]);
  });

  test('the client request id is echoed and an activity id is sent', async () => {
    const seen: Record<string, unknown>[] = [];
    const id = client.axiosInstance.interceptors.response.use((response) => {
      seen.push(response.headers);
      return response;
    });
    try {
      const props = new ClientRequestProperties();
      props.clientRequestId = 'adx-backup.test;42';
      await client.execute(DB, '.show tables', props);
    } finally {
      client.axiosInstance.interceptors.response.eject(id);
    }
    expect(seen[0]!['x-ms-client-request-id']).toBe('adx-backup.test;42');
    expect(String(seen[0]!['x-ms-activity-id'])).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('errors and routing', () => {
  test('a syntax error is a 400 BadRequest_SyntaxError OneApi body with the parser message', async () => {
    const f = await failure(client.execute(DB, '.create table T (a:long'));
    expect(f.status).toBe(400);
    expect(f.error).toMatchObject({
      code: 'BadRequest_SyntaxError',
      message: 'Request is invalid and cannot be executed.',
      '@type': 'Kusto.Data.Exceptions.SyntaxException',
      '@permanent': true,
    });
    expect(String(f.error!['@message'])).toMatch(/^Syntax error: KS\d+: .*\)/);
    expect(f.error!['@context']).toMatchObject({ clientRequestId: expect.stringMatching(/^KNC\.execute;/) });
  });

  test('an unknown command names itself as not supported; unknown database and table are 400s', async () => {
    const unknown = await failure(client.execute(DB, '.show table Events details'));
    expect(unknown.status).toBe(400);
    expect(unknown.error!['@message']).toBe(
      "Control command '.show table Events details' is not supported by the emulator.",
    );
    const noDb = await failure(client.execute('nope', '.show tables'));
    expect(noDb.error).toMatchObject({
      code: 'BadRequest_DatabaseNotExist',
      '@message': "Database 'nope' was not found.",
    });
    const noTable = await failure(client.execute(DB, 'Missing | count'));
    expect(noTable.status).toBe(400);
    expect(String(noTable.error!['@message'])).toContain(
      "SEM0100: 'table' operator: Failed to resolve table expression named 'Missing'",
    );
  });

  test('control commands: only .show on /v1/rest/query, none on /v2/rest/query', async () => {
    const v1 = await failure(client.executeQueryV1(DB, '.create table X (a:int)'));
    expect(v1.status).toBe(400);
    expect(v1.error!['@message']).toBe(
      "Control commands (starting with a dot '.') cannot be served from the query endpoint unless they are .show control commands.",
    );
    const v2 = await failure(client.executeQuery(DB, '.show tables'));
    expect(v2.error!['@message']).toBe(
      "Control commands (starting with a dot '.') do not support api_version=v2",
    );
    expect(emu.state.database(DB)!.tables.has('X')).toBe(false);
  });

  test('a throttled command family answers 429 (ThrottlingError) with a transient OneApi body, then recovers', async () => {
    expect((await admin('/admin/faults', { throttle: { family: 'show tables', times: 1 } })).status).toBe(
      200,
    );
    const f = await failure(client.execute(DB, '.show tables'));
    expect(f.thrown).toBeInstanceOf(KustoDataErrors.ThrottlingError);
    expect(f.status).toBe(429);
    expect(f.error).toMatchObject({ code: 'TooManyRequests', '@permanent': false });
    expect(String(f.error!['@message'])).toContain('The management command was aborted due to throttling.');
    // Other families are not affected, and the throttle is used up.
    await run(client, DB, '.show table Events cslschema');
    expect((await run(client, DB, '.show tables')).rows).toHaveLength(1);
  });

  test('refused auth: 401 without credentials, 403 OneApi Forbidden with a token', async () => {
    emu.faults.refuseAuth = true;
    const anonymous = await failure(client.execute(DB, '.show tables'));
    expect(anonymous.status).toBe(401);
    const withToken = new Client(KustoConnectionStringBuilder.withAccessToken(emu.url, 'dummy-token'));
    try {
      const denied = await failure(withToken.execute(DB, '.show tables'));
      expect(denied.status).toBe(403);
      expect(denied.error).toMatchObject({
        code: 'Forbidden',
        '@type': 'Kusto.Data.Exceptions.KustoRequestDeniedException',
      });
    } finally {
      withToken.close();
    }
  });

  test('the auth metadata endpoint answers 404 (clients fall back to defaults)', async () => {
    const res = await fetch(`${emu.url}/v1/rest/auth/metadata`);
    expect(res.status).toBe(404);
  });
});

describe('command log and admin routes', () => {
  test('every request is logged with verb, mutating, endpoint, client request id and outcome', async () => {
    const from = emu.commandLog.length;
    const props = new ClientRequestProperties();
    props.clientRequestId = 'adx-backup.log;1';
    await client.execute(DB, '.create-merge table Events (Extra:string)', props);
    await failure(client.execute(DB, '.drop table NoSuchTable'));
    await client.execute(DB, 'Events | take 1');
    const entries = emu.commandLog.slice(from);
    expect(entries.map((e) => [e.verb, e.mutating, e.endpoint, e.ok])).toEqual([
      ['create-merge table', true, 'mgmt', true],
      ['drop table', true, 'mgmt', false],
      ['query', false, 'query-v2', true],
    ]);
    expect(entries[0]).toMatchObject({
      database: DB,
      clientRequestId: 'adx-backup.log;1',
      text: '.create-merge table Events (Extra:string)',
    });
    const listed = (await admin('/admin/commands')).json as { verb: string; at: string }[];
    expect(listed.slice(from).map((e) => e.verb)).toEqual(['create-merge table', 'drop table', 'query']);
    expect(listed[from]!.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
  });

  test('admin: databases, clock, faults, ingestion drain', async () => {
    expect((await admin('/admin/databases', { name: 'fromAdmin' })).status).toBe(200);
    expect((await run(client, 'fromAdmin', '.show tables')).rows).toEqual([]);
    const before = emu.clock.now().getTime();
    const advanced = (await admin('/admin/clock', { advanceMs: 3_600_000 })).json as { now: string };
    expect(new Date(advanced.now).getTime()).toBe(before + 3_600_000);
    expect((await run(client, DB, 'print t = now()')).rows[0]!.t).toEqual(new Date(before + 3_600_000));
    await admin('/admin/clock', { set: '2026-02-01T00:00:00Z' });
    expect(emu.clock.now().toISOString()).toBe('2026-02-01T00:00:00.000Z');
    expect((await admin('/admin/faults', { refuseAuth: true })).status).toBe(200);
    expect(emu.faults.refuseAuth).toBe(true);
    expect((await admin('/admin/faults', { reset: true })).status).toBe(200);
    expect(emu.faults.refuseAuth).toBe(false);
    expect((await admin('/admin/faults', { noSuchFault: 1 })).status).toBe(400);
    expect((await admin('/admin/faults', { throttles: {} })).status).toBe(400);
    expect((await admin('/admin/faults', { partialFilesNext: 'two' })).status).toBe(400);
    expect(
      (await admin('/admin/faults', { exportRowLimit: 5, inaccessibleContainers: ['backup'] })).status,
    ).toBe(200);
    expect(emu.faults.exportRowLimit).toBe(5);
    expect([...emu.faults.inaccessibleContainers]).toEqual(['backup']);
    expect((await admin('/admin/ingestion/drain', {})).json).toEqual({ drained: true });
  });

  test('admin: an operation id can be lost, after which by-id lookups miss it', async () => {
    await run(client, DB, '.create table Lost (a:long)');
    await run(client, DB, '.ingest inline into table Lost <| 1');
    await run(
      client,
      DB,
      ".create external table LostExt (a:long) kind=storage dataformat=parquet ('https://acct.blob.core.windows.net/lost;impersonate')",
    );
    const id = (await run(client, DB, '.export async to table LostExt <| Lost')).rows[0]!
      .OperationId as string;
    await emu.idle();
    expect((await run(client, DB, `.show operations (${id})`)).rows).toHaveLength(1);
    expect((await admin('/admin/faults', { loseOperation: id })).status).toBe(200);
    expect((await run(client, DB, `.show operations (${id})`)).rows).toEqual([]);
    expect((await admin('/admin/faults', { loseOperation: 'not-an-operation' })).status).toBe(400);
  });
});
