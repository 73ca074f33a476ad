/**
 * Verification at scale against the ADX emulator and Azurite: 20 tables x 400 days (3 rows a day,
 * 8,000 committed parquet files). The backups are made directly (`test/helpers/directBackup.ts`: the
 * external table and continuous export setup would define, one `.export to table` per table, its
 * files recorded as committed historical artifacts), not through the setup orchestration, which has
 * its own acceptance test and would only add minutes here.
 *
 * Three tables are damaged: T03 loses a row in the source (a delete outside the ledger), T07 loses a
 * committed file from the catalog, T11's catalog overstates a file's row count (caught by the parquet
 * footers). Verification must send at most 2 commands per table (plus one `.show continuous-exports`),
 * and its HTML report, parsed here, must show every table's verdict and the figures of the bad days.
 */
import { StorageSharedKeyCredential } from '@azure/storage-blob';
import { mapPool } from '../../lib/catalog/pool';
import { SdkKustoGateway } from '../../lib/kusto/sdkGateway';
import { createArtifactBlobStore } from '../../lib/storage/artifactBlobs';
import { CatalogStore } from '../../lib/storage/catalog';
import { createVerifyReportStore } from '../../lib/storage/verifyReports';
import { TableWatermarkStore } from '../../lib/storage/watermarks';
import type { VerificationReport } from '../../lib/verify/report';
import { runVerification } from '../../lib/verify/run';
import { startEmulator, type EmulatorHandle } from '../emulator/index';
import { appendExtent, createTable } from '../emulator/tables';
import { backUpDirectly } from '../helpers/directBackup';
import { htmlTables } from '../helpers/htmlTables';
import { memoryLedger } from '../helpers/memoryLedger';
import { recordingGateway, silentLogger } from '../helpers/setupHarness';

const DAY = 86_400_000;
const DB = 'telemetry';
const TABLES = Array.from({ length: 20 }, (_, i) => `T${String(i + 1).padStart(2, '0')}`);
const DAYS = 400;
const PER_DAY = 3;

let emu: EmulatorHandle;
let gateway: ReturnType<typeof recordingGateway>;
let catalog: CatalogStore;
let container: string;
let credential: StorageSharedKeyCredential;

beforeAll(async () => {
  emu = await startEmulator();
  container = `${emu.storage.blobUrl}/backup`;
  gateway = recordingGateway(
    new SdkKustoGateway({ clusterUri: emu.url, retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 } }),
  );
  catalog = CatalogStore.fromConnectionString(emu.storage.connectionString);
  credential = new StorageSharedKeyCredential(emu.storage.account, emu.storage.accountKey);
  const db = emu.createDatabase(DB);
  const start = emu.clock.now().getTime();
  const columns = [
    { name: 'Timestamp', type: 'datetime' },
    { name: 'Id', type: 'long' },
  ] as const;
  for (const table of TABLES) {
    createTable(db, table, columns);
    const rows: [number, number][] = [];
    for (let d = 0; d < DAYS; d++)
      for (let k = 0; k < PER_DAY; k++)
        rows.push([start - (DAYS - d) * DAY + k * 3_600_000, d * PER_DAY + k]);
    appendExtent(emu.state, DB, table, rows);
  }
  // Four exports at a time: each writes its files one after the other, so this keeps the one event
  // loop (emulator, Azurite and clients) busy.
  const files = await mapPool(TABLES, 4, (table) =>
    backUpDirectly(gateway, catalog, {
      clusterUri: emu.url,
      database: DB,
      table,
      columns,
      partitionColumn: 'Timestamp',
      container,
    }),
  );
  expect(files).toEqual(TABLES.map(() => DAYS));
  // The continuous exports run once (nothing new): ExportedTo covers every day.
  await emu.clock.advance(10 * 60_000);
  await emu.idle();
}, 600_000);

afterAll(async () => {
  gateway?.close();
  await emu?.stop();
});

test('20 tables x 400 days: at most 2 commands per table, and the HTML report shows every verdict', async () => {
  // T03: one row deleted in the source, outside the ledger (day 100).
  await gateway.execute(DB, {
    text: ".delete table ['T03'] records <| ['T03'] | where Id == 300",
    operation: 'test-direct-delete',
    mutating: true,
    endpoint: 'engine',
  });
  const artifactOn = async (table: string, day: number) => {
    const iso = new Date(emu.clock.now().getTime() - (DAYS - day) * DAY).toISOString().slice(0, 10);
    return (await catalog.listArtifacts(DB, table)).find((a) => a.partitionDate === iso)!;
  };
  // T07: the file of day 200 is lost to the catalog; T11: the catalog overstates day 300's file.
  const lost = await artifactOn('T07', 200);
  await catalog.putArtifacts([{ ...lost, state: 'orphan' }]);
  const overstated = await artifactOn('T11', 300);
  await catalog.putArtifacts([{ ...overstated, numRecords: PER_DAY + 1 }]);

  const mark = gateway.commands.length;
  const report: VerificationReport = await runVerification(
    {
      gatewayFor: () => gateway,
      catalog,
      watermarks: TableWatermarkStore.fromConnectionString(emu.storage.connectionString),
      ledger: memoryLedger(),
      blobs: createArtifactBlobStore({ credential }),
      reports: createVerifyReportStore({ credential }),
      containers: [container],
      storageAuth: { kind: 'impersonate' },
      alerts: { report: () => undefined },
      logger: silentLogger,
      now: () => new Date(),
    },
    { clusterUri: emu.url, database: DB },
  );

  const sent = gateway.commands.slice(mark);
  expect(sent.length).toBeLessThanOrEqual(2 * TABLES.length + 1);
  for (const table of TABLES) {
    expect({
      table,
      commands: sent.filter((c) => c.text.includes(`'${table}'`) || c.text.includes(`adxbackup_${table}'`))
        .length,
    }).toEqual({
      table,
      commands: 2,
    });
  }
  expect(report.summary.daysByVerdict).toEqual({
    ok: TABLES.length * DAYS - 3,
    'extra-explained-by-deletions': 0,
    'missing-data': 1,
    unexplained: 2,
  });

  const html = (await createVerifyReportStore({ credential }).latest(container, DB, 'html'))!;
  expect(html.name).toMatch(/^_reports\/verify\/telemetry\/\d{8}T\d{6}Z\.html$/);
  const tables = htmlTables(html.text);
  const summary = tables.find((t) => t.attributes.id === 'tables')!;
  expect(summary.rows.map((r) => [r.attributes['data-table'], r.attributes['data-verdict']])).toEqual(
    TABLES.map((t) => [t, t === 'T03' || t === 'T11' ? 'unexplained' : t === 'T07' ? 'missing-data' : 'ok']),
  );
  const days = (table: string) =>
    tables
      .find((t) => t.attributes['data-table'] === table && t.attributes.class === 'days')!
      .rows.map((r) => r.cells);
  const dayOf = (d: number) =>
    new Date(emu.clock.now().getTime() - (DAYS - d) * DAY).toISOString().slice(0, 10);
  // day, verdict, source rows, catalog rows, file footer rows, ledger rows, files, why
  expect(days('T03')).toEqual([
    [
      dayOf(100),
      'unexplained',
      '2',
      '3',
      '3',
      '0',
      '1',
      expect.stringContaining('1 rows more than the source'),
    ],
  ]);
  expect(days('T07')).toEqual([
    [dayOf(200), 'missing-data', '3', '0', '0', '—', '0', '3 source rows are not in the backup'],
  ]);
  expect(days('T11')).toEqual([
    [
      dayOf(300),
      'unexplained',
      '3',
      '4',
      '3',
      '—',
      '1',
      'the catalog records 4 rows but the committed files hold 3',
    ],
  ]);
  expect(tables.filter((t) => t.attributes.class === 'days')).toHaveLength(3);
}, 300_000);
