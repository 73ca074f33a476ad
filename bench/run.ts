/**
 * `npm run bench` (not part of `npm test`): the four benchmark sections in sequence, one table each
 * with ratios and PASS/FAIL per acceptance target, then every figure and the machine to
 * `bench/results.json`. Exits 1 when a target is missed or a section fails, after printing
 * everything. Every figure is a ratio against a baseline measured in the same run, so a slower or
 * busier machine moves both sides.
 *
 * (a) restore list-and-queue throughput for 10,000 and 100,000 artifacts, against raw Azurite
 *     enqueue and a naive `ingestFromBlob` loop (`restoreQueue.ts`);
 * (b) orchestration history events per restore for those sizes, replayed (`restoreHistory.ts`);
 * (c) Kusto commands per monitor tick for 10, 100 and 1,000 tables, healthy and 10% unhealthy
 *     (`monitorTick.ts`);
 * (d) historical export over the emulator's low-memory threshold (`historicalExport.ts`).
 */
import '../lib/runtime/hostless';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import * as prettier from 'prettier';
import type { Target } from './common';
import { machineInfo, round, say, seconds, target, textTable, verdict } from './common';
import type { HistoricalExportSection } from './historicalExport';
import { historicalExportTable, runHistoricalExportBench } from './historicalExport';
import type { MonitorTickFigures } from './monitorTick';
import { HEALTHY_COMMANDS_PER_DATABASE, monitorTickTable, runMonitorTickBench } from './monitorTick';
import type { RestoreHistoryFigures } from './restoreHistory';
import { HISTORY_LIMIT, restoreHistoryTable, runRestoreHistoryBench } from './restoreHistory';
import type { RestoreQueueFigures } from './restoreQueue';
import { TARGET_RATIO_TO_RAW, TARGET_SPEEDUP_OVER_NAIVE, runRestoreQueueBench } from './restoreQueue';

const RESTORE_SIZES = [10_000, 100_000];
/** The naive loop runs on a sample of the blobs; its figure is a rate. */
const NAIVE_SAMPLE = 2_000;
const MONITOR_TABLES = [10, 100, 1_000];
const RESULTS = path.join(__dirname, 'results.json');

/** A section's outcome: its figures, or the error that stopped it. */
interface SectionResult<T> {
  readonly seconds: number;
  readonly figures?: T;
  readonly error?: string;
}

async function section<T>(
  title: string,
  work: () => Promise<T>,
  show: (figures: T) => string,
  targets: (figures: T) => Target[],
  all: Target[],
): Promise<SectionResult<T>> {
  say(`\n== ${title}`);
  const t = performance.now();
  try {
    const figures = await work();
    const checked = targets(figures);
    all.push(...checked);
    say(show(figures));
    if (checked.length > 0) say(['', ...checked.map(verdict)].join('\n'));
    say(`(${round(seconds(t))} s)`);
    return { seconds: round(seconds(t)), figures };
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    say(`FAIL  section did not complete: ${message}`);
    all.push(target(title, 'section completed', 0, '==', 1));
    return { seconds: round(seconds(t)), error: message };
  }
}

function restoreQueueText(figures: readonly RestoreQueueFigures[]): string {
  const table = textTable(
    [
      'artifacts',
      'batches',
      'list s',
      'queue s',
      'ours msgs/s',
      'raw msgs/s',
      'naive msgs/s',
      'ours/raw',
      'ours/naive',
    ],
    figures.map((f) => [
      f.artifacts,
      f.batches,
      f.ours.listSeconds,
      f.ours.queueSeconds,
      f.ours.messagesPerSecond,
      f.raw.messagesPerSecond,
      f.naive.messagesPerSecond,
      f.ratioToRaw,
      `${f.speedupOverNaive}x`,
    ]),
  );
  const notes = figures.map((f) =>
    [
      `${f.artifacts.toLocaleString('en-US')}: ours ${f.inFlight.activities} activities x ${f.inFlight.sendsPerActivity} sends in flight, queueing alone ${f.ours.queueMessagesPerSecond}/s;`,
      `list = catalog ${f.ours.listBreakdown.catalogSeconds} s + storage listing ${f.ours.listBreakdown.storageListingSeconds} s (${f.ours.listBreakdown.storageListCalls} calls, ${f.ours.listBreakdown.blobsListed.toLocaleString('en-US')} blobs) + manifest ${f.ours.listBreakdown.manifestSeconds} s + planning;`,
      `raw ${f.raw.runs.map((r) => `${r.inFlight} in flight ${r.messagesPerSecond}/s (${r.messages.toLocaleString('en-US')} msgs)`).join(', ')};`,
      `naive: a sample of ${f.naive.sample.toLocaleString('en-US')} blobs in ${f.naive.seconds} s`,
    ].join(' '),
  );
  return [table, '', ...notes].join('\n');
}

async function main(): Promise<void> {
  const started = performance.now();
  const machine = machineInfo();
  say(
    `adx-backup benchmarks: ${machine.cpus} x ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, load ${machine.loadAverage.join(' ')}`,
  );
  const targets: Target[] = [];
  const progress = (line: string): void => say(line);

  const restoreQueue = await section(
    '(a) restore list-and-queue throughput',
    () => runRestoreQueueBench({ sizes: RESTORE_SIZES, naiveSample: NAIVE_SAMPLE, log: progress }),
    restoreQueueText,
    (figures) => {
      const big = figures.find((f) => f.artifacts === 100_000);
      if (!big) return [];
      return [
        target('a', '100,000 artifacts: ours / raw enqueue', big.ratioToRaw, '>=', TARGET_RATIO_TO_RAW),
        target(
          'a',
          '100,000 artifacts: ours / naive loop',
          big.speedupOverNaive,
          '>=',
          TARGET_SPEEDUP_OVER_NAIVE,
        ),
      ];
    },
    targets,
  );

  const restoreHistory = await section(
    '(b) orchestration history per restore (replay kit)',
    async () => {
      const out: RestoreHistoryFigures[] = [];
      for (const artifacts of RESTORE_SIZES) out.push(await runRestoreHistoryBench({ artifacts }));
      return out;
    },
    restoreHistoryTable,
    (figures) =>
      figures.map((f) =>
        target(
          'b',
          `${f.artifacts.toLocaleString('en-US')} artifacts: largest history`,
          f.largest,
          '<=',
          HISTORY_LIMIT,
        ),
      ),
    targets,
  );

  const monitor = await section(
    '(c) Kusto commands per monitor tick (one database)',
    async () => {
      const out: MonitorTickFigures[] = [];
      for (const tables of MONITOR_TABLES) {
        progress(`  ${tables} tables...`);
        out.push(await runMonitorTickBench({ tables }));
      }
      return out;
    },
    monitorTickTable,
    (figures) =>
      figures.map((f) =>
        target(
          'c',
          `${f.tables.toLocaleString('en-US')} tables: healthy tick commands per database`,
          f.healthy.commands,
          '==',
          HEALTHY_COMMANDS_PER_DATABASE,
        ),
      ),
    targets,
  );

  const historical = await section<HistoricalExportSection>(
    '(d) historical export over the low-memory threshold',
    () => runHistoricalExportBench({ log: progress }),
    (s) =>
      [
        `threshold: an export reading ${s.thresholdRows.toLocaleString('en-US')} rows or more fails with E_LOW_MEMORY_CONDITION; chunk target ${s.chunkTargetRows.toLocaleString('en-US')} rows`,
        historicalExportTable(s),
      ].join('\n'),
    () => [],
    targets,
  );

  const failed = targets.filter((t) => !t.pass);
  const totalSeconds = round(seconds(started));
  const results = {
    measuredAt: new Date().toISOString(),
    machine: { ...machine, loadAverageAtEnd: machineInfo().loadAverage },
    totalSeconds,
    passed: failed.length === 0,
    targets,
    sections: {
      restoreQueue: { naiveSample: NAIVE_SAMPLE, ...restoreQueue },
      restoreHistory,
      monitorTick: monitor,
      historicalExport: historical,
    },
  };
  // The file is committed and `prettier --check .` covers it.
  const options = (await prettier.resolveConfig(RESULTS)) ?? {};
  writeFileSync(RESULTS, await prettier.format(JSON.stringify(results), { ...options, parser: 'json' }));

  say('\n== targets');
  say(targets.map(verdict).join('\n'));
  say(
    `\n${failed.length === 0 ? 'PASS' : `FAIL (${failed.length} of ${targets.length} targets missed)`}; ${totalSeconds} s in all; figures in ${path.relative(process.cwd(), RESULTS)}`,
  );
  // Explicit: a harness or client left with an open handle must not keep the process alive.
  process.exit(failed.length > 0 ? 1 : 0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
