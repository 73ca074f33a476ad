/**
 * Section (d): the historical export of a table over the low-memory threshold. The emulator's
 * threshold (`faults.exportRowLimit`) is set so an export reading {@link THRESHOLD_ROWS} rows or more
 * fails with E_LOW_MEMORY_CONDITION; tables of 0.5x (under it), 1x, 10x and 100x that many rows are
 * backed up by the real setup orchestration (replayed by the local runner, real activities, real
 * gateway and catalog, the emulator and its Azurite in this process). Each table is also backed up
 * once more with no threshold, so the cost of splitting is measured against the same table.
 * Not a test: `npm run bench`.
 *
 * Rows are ingested in extents of {@link EXTENT_ROWS} rows spread evenly over one day of ingestion
 * time, so a chunk split in two by time holds about half the rows. With the default chunk target
 * (16,000,000 rows) every table starts as one chunk and all splitting is adaptive, the worst case.
 * A small table is exported first, unmeasured, so no measured run pays for warming up. Polls (`.show operations`) depend on how long the emulator takes per
 * export, since the replayed poll timers fire at once (a 20 ms real pause stands in for them).
 */
import '../lib/runtime/hostless';
import { StorageSharedKeyCredential } from '@azure/storage-blob';
import { loadConfig } from '../lib/config';
import { parseSetupRequest } from '../lib/http/setupRequest';
import { SdkKustoGateway } from '../lib/kusto/sdkGateway';
import { OrchestratorNames, setupInstanceId } from '../lib/names';
import type { SetupResult } from '../lib/orchestrations/setupDatabase';
import { CatalogStore } from '../lib/storage/catalog';
import { createTextBlobStore } from '../lib/storage/textBlobs';
import { startEmulator } from '../test/emulator/index';
import type { EmulatorHandle } from '../test/emulator/index';
import { appendExtent, createTable } from '../test/emulator/tables';
import type { KValue } from '../test/emulator/values';
import { DurableReplayer } from '../test/helpers/durableReplay';
import { recordingGateway, registerForTest, silentLogger } from '../test/helpers/setupHarness';
import type { HistoryTotals } from './common';
import { probeHistories, round, runMain, say, seconds, textTable } from './common';

/** Rows at which an export fails for memory in this section. */
export const THRESHOLD_ROWS = 1_000;
/** Table sizes, as multiples of the threshold; the first is the under-threshold reference. */
export const MULTIPLES = [0.5, 1, 10, 100] as const;
/** Rows per extent: a tenth of the threshold, so halving a chunk by time halves its rows. */
export const EXTENT_ROWS = THRESHOLD_ROWS / 10;
/** Days of ingestion time the rows are spread over (one: every table is planned as one chunk). */
export const SPREAD_DAYS = 1;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const TABLE = 'Events';

/** One historical export run. */
export interface ExportRunFigures extends HistoryTotals {
  readonly seconds: number;
  /** Export operations started (`.export async`), failed ones included. */
  readonly attempts: number;
  /** Chunks that failed for memory and were split in two. */
  readonly splits: number;
  /** Rows the attempts covered (each attempt's chunk, counted from the table's extents). */
  readonly rowsRead: number;
  /** `rowsRead` over the table's rows: what a cluster reads for the export, failed attempts included. */
  readonly readAmplification: number;
  readonly chunksCompleted: number;
  readonly artifacts: number;
  readonly rowsExported: number;
  /** Every command setup sent for the database. */
  readonly commands: number;
  /** `.show operations` polls among them. */
  readonly polls: number;
  readonly byVerb: Readonly<Record<string, number>>;
}

/** Figures of one table size. */
export interface HistoricalExportFigures {
  readonly multiple: number;
  readonly rows: number;
  readonly extents: number;
  readonly withThreshold: ExportRunFigures;
  readonly withoutThreshold: ExportRunFigures;
  /** Time with the threshold over time of the under-threshold table (with the threshold). */
  readonly timeVsUnderThreshold: number;
  /** Time with the threshold over time of the same table without one. */
  readonly timeVsNoThreshold: number;
}

/** The whole section. */
export interface HistoricalExportSection {
  readonly thresholdRows: number;
  readonly extentRows: number;
  readonly spreadDays: number;
  readonly chunkTargetRows: number;
  readonly tables: HistoricalExportFigures[];
}

/** Creates `database` with table Events of `rows` rows in extents spread over the spread days. */
function seed(emu: EmulatorHandle, database: string, rows: number, from: number): number {
  const db = emu.createDatabase(database);
  createTable(db, TABLE, [
    { name: 'Timestamp', type: 'datetime' },
    { name: 'Id', type: 'long' },
  ]);
  const extents = Math.ceil(rows / EXTENT_ROWS);
  const spacing = (SPREAD_DAYS * DAY) / extents;
  for (let k = 0; k < extents; k++) {
    emu.clock.set(new Date(from + Math.floor((k + 0.5) * spacing)));
    const first = k * EXTENT_ROWS;
    const slice: KValue[][] = [];
    for (let id = first; id < Math.min(rows, first + EXTENT_ROWS); id++)
      slice.push([from - 30 * DAY + id * 1000, id]);
    appendExtent(emu.state, database, TABLE, slice);
  }
  return extents;
}

/** Runs every size with and without the threshold in one emulator. */
export async function runHistoricalExportBench(
  options: { multiples?: readonly number[]; log?: (line: string) => void } = {},
): Promise<HistoricalExportSection> {
  const multiples = options.multiples ?? MULTIPLES;
  const log = options.log ?? (() => undefined);
  const emu = await startEmulator();
  const sdk = new SdkKustoGateway({
    clusterUri: emu.url,
    retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
  });
  const gateway = recordingGateway(sdk, { pollDelayMs: 20 });
  try {
    const catalog = CatalogStore.fromConnectionString(emu.storage.connectionString);
    registerForTest({
      gatewayFor: () => gateway,
      catalog,
      blobs: createTextBlobStore(new StorageSharedKeyCredential(emu.storage.account, emu.storage.accountKey)),
      logger: silentLogger,
    });
    const config = loadConfig({ ADX_BACKUP_EXPORT_MANAGED_IDENTITY: 'system' });
    const container = `${emu.storage.blobUrl}/history-backup`;
    const from = emu.clock.now().getTime();
    const sizes = multiples.map((multiple) => {
      const rows = Math.round(multiple * THRESHOLD_ROWS);
      const tag = String(multiple).replace('.', '_');
      const extents = seed(emu, `over${tag}x`, rows, from);
      seed(emu, `plain${tag}x`, rows, from);
      return { multiple, rows, extents, tag };
    });
    seed(emu, 'warmup', EXTENT_ROWS, from);
    emu.clock.set(new Date(from + SPREAD_DAYS * DAY + HOUR));

    const exportTable = async (
      database: string,
      rows: number,
      limit: number | null,
    ): Promise<ExportRunFigures> => {
      emu.faults.exportRowLimit = limit;
      const input = parseSetupRequest(
        database,
        { clusterUri: emu.url, containers: [container], export: { interval: '1h' } },
        config,
      );
      const probe = probeHistories([
        OrchestratorNames.setupDatabase,
        OrchestratorNames.setupTable,
        OrchestratorNames.historicalExport,
      ]);
      const mark = emu.commandLog.length;
      try {
        const t = performance.now();
        const run = await new DurableReplayer().run(OrchestratorNames.setupDatabase, input, {
          instanceId: setupInstanceId(emu.url, database),
        });
        const elapsed = seconds(t);
        if (run.status !== 'Completed')
          throw new Error(`setup of ${database} ${run.status}: ${run.error ?? ''}`);
        const table = (run.output as SetupResult).tables[0];
        if (table?.status !== 'ready' || table.historical?.rows !== rows)
          throw new Error(`setup of ${database}: ${JSON.stringify(table)}; expected ${rows} rows exported`);
        const sent = emu.commandLog.slice(mark).filter((e) => e.database === database);
        const byVerb: Record<string, number> = {};
        for (const e of sent) byVerb[e.verb] = (byVerb[e.verb] ?? 0) + 1;
        const chunks = await catalog.listChunks(emu.url, database, TABLE);
        const done = chunks.filter((c) => c.state === 'completed');
        const extents = emu.state.database(database)!.tables.get(TABLE)!.extents;
        const rowsIn = (from: string | null, to: string | null): number => {
          const [f, u] = [Date.parse(from ?? ''), Date.parse(to ?? '')];
          return extents
            .filter((e) => e.ingestionTime !== null && e.ingestionTime >= f && e.ingestionTime < u)
            .reduce((n, e) => n + e.rows.length, 0);
        };
        const rowsRead = chunks.reduce((n, c) => n + c.attempts * rowsIn(c.from, c.to), 0);
        return {
          seconds: round(elapsed, 2),
          attempts: sent.filter((e) => e.verb.startsWith('export')).length,
          splits: chunks.filter((c) => c.state === 'split').length,
          rowsRead,
          readAmplification: round(rowsRead / rows, 1),
          chunksCompleted: done.length,
          artifacts: done.reduce((n, c) => n + c.artifactCount, 0),
          rowsExported: table.historical.rows,
          commands: sent.length,
          polls: byVerb['show operations'] ?? 0,
          byVerb,
          ...probe.totals(),
        };
      } finally {
        probe.remove();
        emu.faults.exportRowLimit = null;
      }
    };

    await exportTable('warmup', EXTENT_ROWS, THRESHOLD_ROWS - 1);
    const measured: { size: (typeof sizes)[number]; over: ExportRunFigures; plain: ExportRunFigures }[] = [];
    for (const size of sizes) {
      const over = await exportTable(`over${size.tag}x`, size.rows, THRESHOLD_ROWS - 1);
      const plain = await exportTable(`plain${size.tag}x`, size.rows, null);
      log(
        `  ${size.multiple}x (${size.rows} rows): ${over.attempts} attempts, ${over.seconds} s; without threshold ${plain.seconds} s`,
      );
      measured.push({ size, over, plain });
    }
    const reference = measured[0]!.over.seconds;
    return {
      thresholdRows: THRESHOLD_ROWS,
      extentRows: EXTENT_ROWS,
      spreadDays: SPREAD_DAYS,
      chunkTargetRows: config.chunkTargetRows,
      tables: measured.map(({ size, over, plain }) => ({
        multiple: size.multiple,
        rows: size.rows,
        extents: size.extents,
        withThreshold: over,
        withoutThreshold: plain,
        timeVsUnderThreshold: round(over.seconds / reference, 1),
        timeVsNoThreshold: round(over.seconds / plain.seconds, 1),
      })),
    };
  } finally {
    gateway.close();
    await emu.stop();
  }
}

/** The section's table. */
export function historicalExportTable(section: HistoricalExportSection): string {
  return textTable(
    [
      'table',
      'rows',
      'attempts',
      'splits',
      'chunks',
      'rows read/rows',
      'commands',
      'polls',
      'largest history',
      'events (all)',
      'seconds',
      'x under-threshold',
      'x no threshold',
    ],
    section.tables.map((t) => [
      `${t.multiple}x${t.multiple < 1 ? ' (under)' : ''}`,
      t.rows,
      t.withThreshold.attempts,
      t.withThreshold.splits,
      t.withThreshold.chunksCompleted,
      t.withThreshold.readAmplification,
      t.withThreshold.commands,
      t.withThreshold.polls,
      t.withThreshold.largest,
      t.withThreshold.totalEvents,
      t.withThreshold.seconds,
      t.timeVsUnderThreshold,
      t.timeVsNoThreshold,
    ]),
  );
}

if (require.main === module)
  runMain(async () => {
    const section = await runHistoricalExportBench({ log: say });
    say(historicalExportTable(section));
  });
