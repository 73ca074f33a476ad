/**
 * Acceptance at scale: 100,000 artifacts over 365 day folders (written straight into Azurite and the
 * catalog, not through exports, to keep the setup fast) restore with the exact row count: every
 * artifact's rows exactly once (count and distinct ids both equal the backup's), one extent per
 * artifact carrying the restore's tag, and no orchestration history reaching 2,000 events.
 *
 * Azurite and the emulator run in their own processes (`startEmulatorProcess`), so queue and blob
 * handling, ingestion and the code under test use both cores. Phase times are printed.
 */
import { Client } from 'azure-kusto-data';
import { ActivityNames } from '../../lib/names';
import { DurableReplayer } from '../helpers/durableReplay';
import { startEmulatorProcess } from '../helpers/emulatorProcess';
import type { EmulatorProcess } from '../helpers/emulatorProcess';
import { RestoreHarness } from '../helpers/restoreHarness';
import { daysFrom, writeSnapshot, writeSyntheticBackup } from '../helpers/syntheticBackup';

const ARTIFACTS = 100_000;
const DAYS = 365;
const SRC = 'Telemetry';
const DST = 'Recovered';
const COLUMNS = [
  { name: 'Timestamp', type: 'datetime' },
  { name: 'Id', type: 'long' },
  { name: 'Name', type: 'string' },
];

let emu: EmulatorProcess;
let h: RestoreHarness;
let kusto: Client;
let rows = 0;
const timings: Record<string, number> = {};

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    timings[label] = Math.round((performance.now() - start) / 100) / 10;
  }
}

beforeAll(async () => {
  emu = await timed('start emulator (s)', () => startEmulatorProcess([SRC, DST]));
  kusto = new Client(emu.url);
  // A real durable timer waits; the replay kit does not, so each staging count waits 1 s instead.
  h = new RestoreHarness(emu, { countDelayMs: 1000 });
  const written = await timed('write 100,000 artifacts + catalog (s)', () =>
    writeSyntheticBackup(h.catalog, {
      storage: emu.storage,
      containerUrl: h.container,
      database: SRC,
      table: 'Events',
      columns: COLUMNS,
      days: daysFrom('2025-01-01', DAYS),
      artifacts: ARTIFACTS,
    }),
  );
  rows = written.rows;
  await h.catalog.putTable({
    cluster: emu.url,
    database: SRC,
    table: 'Events',
    state: 'ready',
    exportName: 'adxbackup_Events',
    externalTableName: 'adxbackup_Events',
    partitionColumn: 'Timestamp',
    startCursor: null,
    columns: COLUMNS,
    historicalChunks: 0,
    historicalRows: 0,
    lastError: null,
    updatedAt: '2026-01-01T00:00:00.000Z',
  });
  await writeSnapshot(emu.storage, h.container, SRC, new Date('2025-01-01T00:00:00Z'), [
    { name: 'Events', columns: COLUMNS },
  ]);
}, 900_000);

afterAll(async () => {
  console.log(`restore of ${ARTIFACTS} artifacts, ${rows} rows: ${JSON.stringify(timings)}`);
  h?.close();
  kusto?.close();
  await emu?.stop();
});

test('100,000 artifacts over 365 day folders restore exactly; every history stays under 2,000 events', async () => {
  const replayer = new DurableReplayer();
  const result = await timed('restore (s)', () =>
    h.restore(
      {
        restoreId: 'scale',
        source: { clusterUri: emu.url, database: SRC, tables: ['Events'] },
        target: { clusterUri: emu.url, database: DST },
      },
      replayer,
    ),
  );
  expect(result.error).toBeUndefined();
  expect(result.status).toBe('Completed');
  const [counted] = (
    await kusto.execute(
      DST,
      'Events | summarize Rows = count(), Ids = dcount(Id), Days = dcount(startofday(Timestamp))',
    )
  ).primaryResults[0]!.toJSON<{ Rows: number; Ids: number; Days: number }>().data;
  expect(counted).toEqual({ Rows: rows, Ids: rows, Days: DAYS });
  const [extents] = (
    await kusto.execute(DST, ".show table Events extents where tags has 'adxbackup-restore:scale' | count")
  ).primaryResults[0]!.toJSON<{ Count: number }>().data;
  expect(extents?.Count).toBe(ARTIFACTS);
  // 274 or 275 blobs per folder: one batch each.
  expect(replayer.stats.activityCalls.get(ActivityNames.queueRestoreBatch)).toBe(DAYS);
  expect(replayer.stats.largestHistory()).toBeLessThan(2000);
  timings['largest history (events)'] = replayer.stats.largestHistory();
  const status = await h.get('scale');
  expect(status.body).toMatchObject({
    status: 'completed',
    tables: [
      {
        folders: { done: DAYS, total: DAYS },
        blobs: { queued: ARTIFACTS, total: ARTIFACTS },
        rows: { ingested: rows, expected: rows },
      },
    ],
  });
}, 1_800_000);
