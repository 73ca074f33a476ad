import { NotFoundError, ValidationError } from '../../../lib/errors';
import type { VerifyReportStore } from '../../../lib/storage/verifyReports';
import type { VerificationReport } from '../../../lib/verify/report';
import type { VerifyDeps } from '../../../lib/verify/run';
import { runVerification } from '../../../lib/verify/run';
import {
  continuousExportsTable,
  FakeBlobs,
  FakeCatalog,
  FakeWatermarks,
  tableRecord,
} from '../../helpers/catalogFakes';
import { memoryLedger } from '../../helpers/memoryLedger';
import { table } from '../../helpers/resultTables';
import { scriptedGateway } from '../../helpers/scriptedGateway';
import { silentLogger } from '../../helpers/setupHarness';

const CLUSTER = 'https://c1.kusto.windows.net';
const EXPORTS = continuousExportsTable(['A', 'B']);

function setup() {
  const catalog = new FakeCatalog();
  catalog.tables.push(tableRecord('B'), tableRecord('A'));
  const gateway = scriptedGateway({
    'show-continuous-exports': EXPORTS,
    'show-exported-artifacts': table(
      'Timestamp:datetime, ExternalTableName:string, Path:string, NumRecords:long',
      [],
    ),
    'count-by-source-day': table('Timestamp:datetime, count_:long', []),
  });
  const written: { container: string; name: string; json: string; html: string }[] = [];
  const reports: VerifyReportStore = {
    write(container, name, json, html) {
      if (container.includes('broken')) return Promise.reject(new Error('403 sig=secret'));
      written.push({ container, name, json, html });
      return Promise.resolve({ json: `${container}/${name}.json`, html: `${container}/${name}.html` });
    },
    latest: () => Promise.resolve(undefined),
  };
  const alerted: VerificationReport[] = [];
  const errors: string[] = [];
  let clock = Date.parse('2026-01-03T02:00:00Z');
  const deps: VerifyDeps = {
    gatewayFor: () => gateway,
    catalog,
    watermarks: new FakeWatermarks(),
    ledger: memoryLedger(),
    blobs: new FakeBlobs(),
    reports,
    containers: [
      'https://a.blob.core.windows.net/backup/',
      'https://broken.blob.core.windows.net/backup',
      'https://b.blob.core.windows.net/backup',
    ],
    storageAuth: { kind: 'impersonate' },
    alerts: { report: (r) => void alerted.push(r) },
    logger: { ...silentLogger, error: (m, f) => void errors.push(`${m} ${JSON.stringify(f)}`) },
    now: () => new Date((clock += 1000)),
  };
  return { deps, gateway, written, alerted, errors };
}

it('verifies every table with one export listing, writes the report where it can, and alerts', async () => {
  const { deps, gateway, written, alerted, errors } = setup();
  const report = await runVerification(deps, { clusterUri: CLUSTER, database: 'db' });
  expect(report.tables.map((t) => [t.table, t.verdict])).toEqual([
    ['A', 'ok'],
    ['B', 'ok'],
  ]);
  expect(gateway.sent.filter((c) => c.operation === 'show-continuous-exports')).toHaveLength(1);
  expect(report.startedAt).toBe('2026-01-03T02:00:01.000Z');
  const name = '_reports/verify/db/20260103T020001Z';
  expect(written.map((w) => [w.container, w.name])).toEqual([
    ['https://a.blob.core.windows.net/backup', name],
    ['https://b.blob.core.windows.net/backup', name],
  ]);
  expect(report.locations).toEqual([
    {
      json: `https://a.blob.core.windows.net/backup/${name}.json`,
      html: `https://a.blob.core.windows.net/backup/${name}.html`,
    },
    {
      json: `https://b.blob.core.windows.net/backup/${name}.json`,
      html: `https://b.blob.core.windows.net/backup/${name}.html`,
    },
  ]);
  expect(JSON.parse(written[0]!.json)).toMatchObject({
    id: report.id,
    database: 'db',
    summary: report.summary,
  });
  expect(written[0]!.html).toContain('<table id="tables">');
  expect(errors).toHaveLength(1);
  expect(errors[0]).toContain('broken');
  expect(errors[0]).not.toContain('secret');
  expect(alerted).toEqual([report]);
});

it('verifies only the tables asked for', async () => {
  const { deps } = setup();
  const report = await runVerification(deps, { clusterUri: CLUSTER, database: 'db', tables: ['B'] });
  expect(report.tables.map((t) => t.table)).toEqual(['B']);
});

it.each([
  ['a bad cluster', { clusterUri: 'ftp://x', database: 'db' }, 'clusterUri'],
  ['a bad database name', { clusterUri: CLUSTER, database: 'd;b' }, 'database'],
  ['a bad table name', { clusterUri: CLUSTER, database: 'db', tables: ['A', 'x|y'] }, 'tables[1]'],
  ['a table without backup', { clusterUri: CLUSTER, database: 'db', tables: ['Z'] }, 'tables[0]'],
])('refuses %s, naming the field, before any command', async (_label, request, field) => {
  const { deps, gateway } = setup();
  const error = await runVerification(deps, request).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).field).toBe(field);
  expect(gateway.sent).toEqual([]);
});

it('answers not found for a database the catalog does not know', async () => {
  const { deps } = setup();
  await expect(
    runVerification({ ...deps, catalog: new FakeCatalog() }, { clusterUri: CLUSTER, database: 'db' }),
  ).rejects.toBeInstanceOf(NotFoundError);
});
