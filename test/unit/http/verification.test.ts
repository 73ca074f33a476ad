import { HttpRequest, InvocationContext } from '@azure/functions';
import { TransientError } from '../../../lib/errors';
import type { VerificationHttpDeps } from '../../../lib/http/verification';
import { makeVerificationLatestHandler, makeVerificationRunHandler } from '../../../lib/http/verification';
import type { VerifyReportStore } from '../../../lib/storage/verifyReports';
import {
  continuousExportsTable,
  FakeBlobs,
  FakeCatalog,
  FakeWatermarks,
  tableRecord,
} from '../../helpers/catalogFakes';
import { memoryLedger } from '../../helpers/memoryLedger';
import { table } from '../../helpers/resultTables';
import type { Answer } from '../../helpers/scriptedGateway';
import { scriptedGateway } from '../../helpers/scriptedGateway';
import { silentLogger } from '../../helpers/setupHarness';

const context = new InvocationContext({ functionName: 'verify', logHandler: () => undefined });
const stored = new Map<string, string>([
  ['https://b.blob.core.windows.net/backup|db|json', '{"id":"r0"}'],
  ['https://b.blob.core.windows.net/backup|db|html', '<p>r0</p>'],
]);
const reports: VerifyReportStore = {
  write: (container, name) =>
    Promise.resolve({ json: `${container}/${name}.json`, html: `${container}/${name}.html` }),
  latest: (container, database, format) => {
    const text = stored.get(`${container}|${database}|${format}`);
    return Promise.resolve(text === undefined ? undefined : { name: `x.${format}`, text });
  },
};

function deps(script: Record<string, Answer> = {}, over: Partial<VerificationHttpDeps> = {}) {
  const catalog = new FakeCatalog();
  catalog.tables.push(tableRecord('T'));
  const gateway = scriptedGateway({
    'show-continuous-exports': continuousExportsTable(['T']),
    'show-exported-artifacts': table(
      'Timestamp:datetime, ExternalTableName:string, Path:string, NumRecords:long',
      [],
    ),
    'count-by-source-day': table('Timestamp:datetime, count_:long', []),
    ...script,
  });
  return (): VerificationHttpDeps => ({
    gatewayFor: () => gateway,
    catalog,
    watermarks: new FakeWatermarks(),
    ledger: memoryLedger(),
    blobs: new FakeBlobs(),
    reports,
    containers: ['https://a.blob.core.windows.net/backup', 'https://b.blob.core.windows.net/backup'],
    storageAuth: { kind: 'impersonate' },
    alertsFor: () => ({ report: () => undefined }),
    now: () => new Date('2026-01-03T02:00:00Z'),
    defaultClusterUri: 'https://c1.kusto.windows.net',
    ...over,
  });
}

const post = (body: string) =>
  new HttpRequest({ url: 'http://localhost/api/verification/run', method: 'POST', body: { string: body } });
const get = (query: string) =>
  new HttpRequest({ url: `http://localhost/api/verification/latest?${query}`, method: 'GET' });

describe('POST /api/verification/run', () => {
  it('verifies and answers the report', async () => {
    const res = await makeVerificationRunHandler(deps(), () => silentLogger)(
      post('{"database":"db"}'),
      context,
    );
    expect(res.status).toBe(200);
    expect(res.jsonBody).toMatchObject({
      report: { database: 'db', clusterUri: 'https://c1.kusto.windows.net', tables: [{ table: 'T' }] },
    });
  });

  it.each([
    ['not JSON', '{', 'body'],
    ['no database', '{}', 'database'],
    ['an unknown field', '{"database":"db","tabels":["T"]}', 'tabels'],
    ['an empty table list', '{"database":"db","tables":[]}', 'tables'],
    ['a bad database name', '{"database":"d|b"}', 'database'],
    ['a table without backup', '{"database":"db","tables":["Z"]}', 'tables[0]'],
  ])('answers 400 naming the field for %s', async (_label, body, field) => {
    const res = await makeVerificationRunHandler(deps(), () => silentLogger)(post(body), context);
    expect(res.status).toBe(400);
    expect(res.jsonBody).toMatchObject({ error: 'invalid-request', field });
  });

  it('needs a cluster when none is configured', async () => {
    const res = await makeVerificationRunHandler(
      deps({}, { defaultClusterUri: undefined }),
      () => silentLogger,
    )(post('{"database":"db"}'), context);
    expect(res.jsonBody).toMatchObject({ error: 'invalid-request', field: 'clusterUri' });
  });

  it('maps an unknown database to 404 and an unavailable cluster to 503', async () => {
    const none = deps({}, { catalog: new FakeCatalog() });
    expect(
      (await makeVerificationRunHandler(none, () => silentLogger)(post('{"database":"db"}'), context)).status,
    ).toBe(404);
    const down = deps({ 'show-continuous-exports': new TransientError('cluster busy') });
    const res = await makeVerificationRunHandler(down, () => silentLogger)(
      post('{"database":"db"}'),
      context,
    );
    expect([res.status, res.jsonBody]).toEqual([
      503,
      { error: 'cluster-unavailable', message: 'cluster busy' },
    ]);
  });
});

describe('GET /api/verification/latest', () => {
  const latest = makeVerificationLatestHandler(deps(), () => silentLogger);

  it('serves the newest report from the first container that has one, as JSON or HTML', async () => {
    const json = await latest(get('database=db'), context);
    expect([json.status, json.body, json.headers]).toEqual([
      200,
      '{"id":"r0"}',
      { 'content-type': 'application/json; charset=utf-8' },
    ]);
    const html = await latest(get('database=db&format=html'), context);
    expect([html.status, html.body]).toEqual([200, '<p>r0</p>']);
  });

  it('answers 404 without a report and 400 for bad parameters', async () => {
    expect((await latest(get('database=other'), context)).status).toBe(404);
    expect((await latest(get(''), context)).jsonBody).toMatchObject({ field: 'database' });
    expect((await latest(get('database=db&format=xml'), context)).jsonBody).toMatchObject({
      field: 'format',
    });
  });
});
