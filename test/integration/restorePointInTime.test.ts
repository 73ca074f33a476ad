/**
 * Restores of a backup written straight into Azurite and the catalog, across a schema change:
 * artifacts of January (3 columns), then a column added (new snapshot), artifacts of February
 * (4 columns), then more artifacts committed in March.
 *
 * - Point in time: only artifacts committed at or before `asOf`, with the snapshot in force then;
 *   older artifacts restore with nulls in the added column.
 * - Crash safety: ingestions failed by the emulator are queued again; a worker lost in the middle of
 *   a batch (after half of it was queued) fails the restore; running the same restore again
 *   completes with exact counts (every id once).
 */
import { Client } from 'azure-kusto-data';
import type { IngestSender } from '../../lib/restore/ingestSender';
import { startEmulator, type EmulatorHandle } from '../emulator/index';
import { RestoreHarness } from '../helpers/restoreHarness';
import { daysFrom, idOf, writeSnapshot, writeSyntheticBackup } from '../helpers/syntheticBackup';

const SRC = 'Shop';
const V1 = [
  { name: 'Ts', type: 'datetime' },
  { name: 'Id', type: 'long' },
  { name: 'Name', type: 'string' },
];
const V2 = [...V1, { name: 'Priority', type: 'long' }];

let emu: EmulatorHandle;
let h: RestoreHarness;
let kusto: Client;
let injectLoss = false;
const rows = { january: 0, february: 0, march: 0 };

/** A sender that, while `injectLoss`, queues half of its third batch and then dies. */
function lossy(sender: IngestSender): IngestSender {
  let calls = 0;
  return {
    async queue(target, blobs) {
      calls++;
      if (injectLoss && calls >= 3) {
        await sender.queue(target, blobs.slice(0, Math.ceil(blobs.length / 2)));
        throw new Error('injected: worker lost in the middle of a batch');
      }
      return sender.queue(target, blobs);
    },
  };
}

const query = async <T>(db: string, text: string): Promise<T[]> =>
  (await kusto.execute(db, text)).primaryResults[0]!.toJSON<T>().data;

beforeAll(async () => {
  emu = await startEmulator({ databases: [SRC, 'AsOfFeb', 'AsOfJan', 'Crash'] });
  kusto = new Client(emu.url);
  h = new RestoreHarness(emu, {
    env: { ADX_BACKUP_RESTORE_BATCH_SIZE: '2' },
    countDelayMs: 100,
    wrapIngest: lossy,
  });
  const base = { storage: emu.storage, containerUrl: h.container, database: SRC, table: 'Orders' };
  await writeSnapshot(emu.storage, h.container, SRC, new Date('2025-01-01T00:00:00Z'), [
    { name: 'Orders', columns: V1 },
  ]);
  rows.january = (
    await writeSyntheticBackup(h.catalog, {
      ...base,
      columns: V1,
      days: daysFrom('2025-01-01', 10),
      artifacts: 40,
      committedAt: () => '2025-01-20T00:00:00Z',
    })
  ).rows;
  await writeSnapshot(emu.storage, h.container, SRC, new Date('2025-02-01T00:00:00Z'), [
    { name: 'Orders', columns: V2 },
  ]);
  rows.february = (
    await writeSyntheticBackup(h.catalog, {
      ...base,
      columns: V2,
      days: daysFrom('2025-02-01', 10),
      artifacts: 20,
      firstIndex: 40,
      committedAt: () => '2025-02-20T00:00:00Z',
      valueFor: () => 7,
    })
  ).rows;
  rows.march = (
    await writeSyntheticBackup(h.catalog, {
      ...base,
      columns: V2,
      days: daysFrom('2025-03-01', 5),
      artifacts: 10,
      firstIndex: 60,
      committedAt: () => '2025-03-20T00:00:00Z',
      valueFor: () => 9,
    })
  ).rows;
}, 120_000);

afterAll(async () => {
  h?.close();
  kusto?.close();
  await emu?.stop();
});

const body = (target: string, extra: Record<string, unknown> = {}) => ({
  source: { database: SRC, tables: ['Orders'] },
  target: { clusterUri: emu.url, database: target },
  ...extra,
});

test('asOf excludes artifacts committed later and uses the snapshot in force then; older rows get nulls', async () => {
  const feb = await h.restore(body('AsOfFeb', { restoreId: 'feb', asOf: '2025-02-28T00:00:00Z' }));
  expect(feb.status).toBe('Completed');
  const byPriority = await query<{ Priority: number | null; Rows: number }>(
    'AsOfFeb',
    'Orders | summarize Rows = count() by Priority | order by Rows desc',
  );
  expect(byPriority).toEqual([
    { Priority: null, Rows: rows.january },
    { Priority: 7, Rows: rows.february },
  ]);
  expect(
    emu.state
      .database('AsOfFeb')!
      .tables.get('Orders')!
      .columns.map((c) => c.name),
  ).toEqual(['Ts', 'Id', 'Name', 'Priority']);
  expect((await h.get('feb')).body).toMatchObject({
    tables: [{ rows: { expected: rows.january + rows.february } }],
  });

  const jan = await h.restore(
    body('AsOfJan', {
      restoreId: 'jan',
      asOf: '2025-01-31T00:00:00Z',
      partitions: { from: '2025-01-03', to: '2025-01-05' },
    }),
  );
  expect(jan.status).toBe('Completed');
  expect(
    emu.state
      .database('AsOfJan')!
      .tables.get('Orders')!
      .columns.map((c) => c.name),
  ).toEqual(['Ts', 'Id', 'Name']);
  const days = await query<{ Day: string; Rows: number }>(
    'AsOfJan',
    'Orders | summarize Rows = count() by Day = format_datetime(startofday(Ts), "yyyy-MM-dd") | order by Day asc',
  );
  expect(days.map((d) => d.Day)).toEqual(['2025-01-03', '2025-01-04', '2025-01-05']);
  // Artifact i of January lies on day i mod 10; each holds 1 + i mod 3 rows.
  const expected = Array.from({ length: 40 }, (_, i) => i)
    .filter((i) => [2, 3, 4].includes(i % 10))
    .reduce((n, i) => n + 1 + (i % 3), 0);
  expect(days.reduce((n, d) => n + d.Rows, 0)).toBe(expected);
});

test('failed ingestions are queued again; a worker lost mid-batch fails the restore; the re-run is exact', async () => {
  const all = rows.january + rows.february + rows.march;
  emu.faults.ingestionFailNext = 5;
  injectLoss = true;
  const first = await h.restore(body('Crash', { restoreId: 'crash' }));
  expect(first.status).toBe('Failed');
  expect(first.error).toContain('injected: worker lost in the middle of a batch');
  const failed = await h.get('crash');
  expect(failed.body).toMatchObject({ status: 'failed', tables: [{ state: 'failed' }] });
  // The first run left a partly filled staging table behind; nothing reached the target.
  await emu.drainIngestion();
  const staging = [...emu.state.database('Crash')!.tables.keys()].find((t) => t.startsWith('__restore_'))!;
  expect(emu.state.database('Crash')!.tables.get(staging)!.extents.length).toBeGreaterThan(0);
  expect(emu.state.database('Crash')!.tables.get('Orders')!.extents).toEqual([]);

  injectLoss = false;
  emu.faults.throttle('move extents', 2);
  const posted = await h.post(body('Crash', { restoreId: 'crash' }));
  expect(posted).toMatchObject({ status: 202, body: { rerun: true } });
  const second = await h.runStarted();
  expect(second.error).toBeUndefined();
  expect(second.status).toBe('Completed');
  const [counted] = await query<{ Rows: number; Ids: number }>(
    'Crash',
    'Orders | summarize Rows = count(), Ids = dcount(Id)',
  );
  expect(counted).toEqual({ Rows: all, Ids: all });
  expect(await query<{ Id: number }>('Crash', `Orders | where Id == ${idOf(65, 0)} | project Id`)).toEqual([
    { Id: idOf(65, 0) },
  ]);
  expect([...emu.state.database('Crash')!.tables.keys()].filter((t) => t.startsWith('__restore_'))).toEqual(
    [],
  );
  const status = await h.get('crash');
  expect(status.body).toMatchObject({
    status: 'completed',
    tables: [{ state: 'completed', rows: { ingested: all, expected: all } }],
  });
  // The five injected ingestion failures were queued again (the first run's, or the re-run's).
  expect(emu.state.ingestionFailures.filter((f) => f.errorCode === 'BadRequest_InvalidBlob')).toHaveLength(5);
});
