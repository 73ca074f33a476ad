/**
 * Verification verdicts against the ADX emulator and Azurite, through the HTTP API: a table backed
 * up (directly, see `test/helpers/directBackup.ts`), then rows deleted in the source twice: once with
 * a plain `.delete` (not through the ledger: the backup's extra rows are unexplained), once through
 * the deletion ledger (explained, because the ledger's predicate removes exactly those backup rows,
 * counted by ADX over exactly the committed files). Late rows of an old day, ingested after the
 * export's ExportedTo, are not expected yet and leave the day ok. The report is stored as JSON and
 * HTML and served by `GET /api/verification/latest`; the alert fires.
 */
import { randomUUID } from 'node:crypto';
import { HttpRequest, InvocationContext } from '@azure/functions';
import { StorageSharedKeyCredential } from '@azure/storage-blob';
import { recordDeletion } from '../../lib/deletions/record';
import type { VerificationHttpDeps } from '../../lib/http/verification';
import { makeVerificationLatestHandler, makeVerificationRunHandler } from '../../lib/http/verification';
import type { Logger } from '../../lib/kusto/gateway';
import { SdkKustoGateway } from '../../lib/kusto/sdkGateway';
import { createArtifactBlobStore } from '../../lib/storage/artifactBlobs';
import { CatalogStore } from '../../lib/storage/catalog';
import { LedgerStore } from '../../lib/storage/ledger';
import { createVerifyReportStore } from '../../lib/storage/verifyReports';
import { TableWatermarkStore } from '../../lib/storage/watermarks';
import { createVerificationAlerts } from '../../lib/verify/alerts';
import type { VerificationReport } from '../../lib/verify/report';
import { startEmulator, type EmulatorHandle } from '../emulator/index';
import { appendExtent, createTable } from '../emulator/tables';
import { backUpDirectly } from '../helpers/directBackup';
import { htmlTables } from '../helpers/htmlTables';
import { recordingGateway } from '../helpers/setupHarness';

const DB = 'Sales';

let emu: EmulatorHandle;
let gateway: ReturnType<typeof recordingGateway>;
let deps: () => VerificationHttpDeps;
let container: string;
const alerts: { level: string; message: string; fields?: Readonly<Record<string, unknown>> }[] = [];
const logger: Logger = {
  info: (message, fields) => alerts.push({ level: 'info', message, fields }),
  warn: (message, fields) => alerts.push({ level: 'warn', message, fields }),
  error: (message, fields) => alerts.push({ level: 'error', message, fields }),
};
const context = new InvocationContext({ functionName: 'test', logHandler: () => undefined });
const day = (d: number) => new Date(Date.UTC(2025, 11, 27 + d)).toISOString().slice(0, 10);

beforeAll(async () => {
  emu = await startEmulator();
  container = `${emu.storage.blobUrl}/backup`;
  gateway = recordingGateway(
    new SdkKustoGateway({ clusterUri: emu.url, retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 } }),
  );
  const catalog = CatalogStore.fromConnectionString(emu.storage.connectionString);
  const ledger = LedgerStore.fromConnectionString(emu.storage.connectionString);
  const credential = new StorageSharedKeyCredential(emu.storage.account, emu.storage.accountKey);
  const columns = [
    { name: 'Timestamp', type: 'datetime' },
    { name: 'Id', type: 'long' },
    { name: 'Customer', type: 'string' },
  ] as const;
  createTable(emu.createDatabase(DB), 'Orders', columns);
  // Days 0-4 (2025-12-27 .. 12-31), ten rows each; Id = day * 10 + k; customer c-<k>.
  const rows = Array.from({ length: 50 }, (_, i) => [
    Date.UTC(2025, 11, 27 + Math.floor(i / 10), i % 10),
    i,
    `c-${i % 10}`,
  ]);
  appendExtent(emu.state, DB, 'Orders', rows);
  await backUpDirectly(gateway, catalog, {
    clusterUri: emu.url,
    database: DB,
    table: 'Orders',
    columns,
    partitionColumn: 'Timestamp',
    container,
  });
  await emu.clock.advance(10 * 60_000);
  await emu.idle();
  // Day 1: two rows deleted directly in the source. Day 3: customer c-7 deleted through the ledger.
  await gateway.execute(DB, {
    text: ".delete table ['Orders'] records <| ['Orders'] | where Id in (11, 12)",
    operation: 'test-direct-delete',
    mutating: true,
    endpoint: 'engine',
  });
  const deletion = await recordDeletion(
    { gateway, ledger, now: () => new Date(), newId: () => randomUUID() },
    {
      clusterUri: emu.url,
      database: DB,
      table: 'Orders',
      predicate:
        "Customer == 'c-7' and Timestamp >= datetime(2025-12-30) and Timestamp < datetime(2025-12-31)",
      kind: 'delete',
      execute: true,
      requestedBy: 'test',
      principal: null,
    },
  );
  expect(deletion.status).toBe('succeeded');
  // A late row for day 2, ingested after ExportedTo: not in the backup yet, and not expected to be.
  emu.clock.set(new Date(emu.clock.now().getTime() + 60_000));
  appendExtent(emu.state, DB, 'Orders', [[Date.UTC(2025, 11, 29, 12), 999, 'late']]);
  deps = () => ({
    gatewayFor: () => gateway,
    catalog,
    watermarks: TableWatermarkStore.fromConnectionString(emu.storage.connectionString),
    ledger,
    blobs: createArtifactBlobStore({ credential }),
    reports: createVerifyReportStore({ credential }),
    containers: [container],
    storageAuth: { kind: 'impersonate' },
    alertsFor: (l) => createVerificationAlerts(l),
    now: () => new Date(),
  });
}, 120_000);

afterAll(async () => {
  gateway?.close();
  await emu?.stop();
});

test('a delete outside the ledger is unexplained extra backup data; one through the ledger is explained', async () => {
  const run = makeVerificationRunHandler(deps, () => logger);
  const mark = gateway.commands.length;
  const res = await run(
    new HttpRequest({
      url: 'http://localhost/api/verification/run',
      method: 'POST',
      body: { string: JSON.stringify({ clusterUri: emu.url, database: DB, tables: ['Orders'] }) },
    }),
    context,
  );
  expect(res.status).toBe(200);
  const report = (res.jsonBody as { report: VerificationReport }).report;
  const orders = report.tables[0]!;
  expect(orders.verdict).toBe('unexplained');
  expect(orders.daysChecked).toBe(5);
  expect(
    orders.notOk.map((d) => [d.day, d.verdict, d.sourceRows, d.backupRows, d.fileRows, d.ledgerRows]),
  ).toEqual([
    [day(1), 'unexplained', 8, 10, 10, 0],
    [day(3), 'extra-explained-by-deletions', 9, 10, 10, 1],
  ]);
  // exported-artifacts, the source count, and the ledger's matches (only the two extra days' files).
  const sent = gateway.commands.slice(mark).map((c) => c.operation);
  expect(sent).toEqual([
    'show-continuous-exports',
    'show-exported-artifacts',
    'count-by-source-day',
    'count-ledger-matches',
  ]);
  const ledgerQuery = gateway.commands[gateway.commands.length - 1]!.text;
  expect(ledgerQuery.match(/\.parquet/g)).toHaveLength(2);

  // The alert: one error line naming the table, one finding line.
  const alert = alerts.find((a) => a.level === 'error' && a.fields?.alert === 'adx-backup-verification')!;
  expect(alert.message).toContain('Orders unexplained');
  expect(alert.fields).toMatchObject({
    database: DB,
    tablesNotOk: 1,
    unexplained: 1,
    'extra-explained-by-deletions': 1,
  });

  const latest = makeVerificationLatestHandler(deps, () => logger);
  const asJson = await latest(
    new HttpRequest({ url: `http://localhost/api/verification/latest?database=${DB}`, method: 'GET' }),
    context,
  );
  expect(asJson.status).toBe(200);
  expect(JSON.parse(asJson.body as string)).toMatchObject({ id: report.id, locations: report.locations });
  const asHtml = await latest(
    new HttpRequest({
      url: `http://localhost/api/verification/latest?database=${DB}&format=html`,
      method: 'GET',
    }),
    context,
  );
  const days = htmlTables(asHtml.body as string).find((t) => t.attributes.class === 'days')!;
  expect(days.rows.map((r) => r.attributes['data-verdict'])).toEqual([
    'unexplained',
    'extra-explained-by-deletions',
  ]);
  expect(report.locations).toHaveLength(1);
  expect(report.locations[0]!.html).toMatch(/\/backup\/_reports\/verify\/Sales\/\d{8}T\d{6}Z\.html$/);
});
