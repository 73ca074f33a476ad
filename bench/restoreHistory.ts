/**
 * Section (b): orchestration history of a whole restore. The production restore orchestrators
 * (`restore` -> `restoreTable` -> `restoreFolder`) are replayed by the local runner with the fast
 * in-memory restore activities of the tests; the table's folders and batches are planned by the
 * production planner (`planBatches`, the configured default batch size) from artifacts spread over
 * 365 day folders, as `writeSyntheticBackup` spreads them. Not a test: `npm run bench` (or
 * `ts-node --transpile-only bench/restoreHistory.ts` for this section alone).
 *
 * Rows reach staging gradually, {@link BLOBS_PER_CHECK} blobs' worth per progress check, so the
 * table's wait loop (one timer and one count per check) grows with the restore the way it does
 * against a cluster, instead of finishing at the first check.
 */
import '../lib/runtime/hostless';
import { loadConfig } from '../lib/config';
import { ActivityNames, OrchestratorNames, restoreInstanceId } from '../lib/names';
import type { RestoreInput } from '../lib/orchestrations/restore';
import { folderEntries, planBatches } from '../lib/restore/plan';
import type { PlannedArtifact, RestoreRequest } from '../lib/restore/types';
import { DurableReplayer } from '../test/helpers/durableReplay';
import { FakeRestore } from '../test/helpers/fakeRestoreActivities';
import { daysFrom } from '../test/helpers/syntheticBackup';
import type { HistoryTotals } from './common';
import { probeHistories, round, runMain, say, seconds, textTable } from './common';

/** Day folders the artifacts are spread over (a year of daily partitions). */
export const DAYS = 365;
/** Blobs whose rows reach staging between two progress checks (see the module comment). */
export const BLOBS_PER_CHECK = 1_000;
/** The bound every single history must stay under. */
export const HISTORY_LIMIT = 2_000;

/** Figures of one restore size. */
export interface RestoreHistoryFigures extends HistoryTotals {
  readonly artifacts: number;
  readonly folders: number;
  readonly batches: number;
  readonly batchSize: number;
  readonly rows: number;
  /** Progress checks (staging counts) the table needed. */
  readonly checks: number;
  readonly activityCalls: Readonly<Record<string, number>>;
  /** The runner's own largest history (equal to `largest`; kept as a cross-check of the probe). */
  readonly runnerLargestHistory: number;
  readonly status: string;
  readonly replaySeconds: number;
}

/** Artifact i of `n`: in day folder i mod 365 with 1 + i mod 3 rows, as the synthetic backup writes it. */
function artifactsOf(n: number, days: readonly string[]): PlannedArtifact[] {
  return Array.from({ length: n }, (_, i) => {
    const day = days[i % days.length]!;
    return {
      path: `https://bench.blob.core.windows.net/backup/Bench/Events/${day.replace(/-/g, '')}/part-${String(i).padStart(7, '0')}.parquet`,
      sizeInBytes: 900,
      rows: 1 + (i % 3),
      partitionDate: day,
      origin: 'catalog',
    };
  });
}

/** Replays one full restore of `artifacts` artifacts of one table. */
export async function runRestoreHistoryBench(options: { artifacts: number }): Promise<RestoreHistoryFigures> {
  const config = loadConfig({});
  const batchSize = config.restoreBatchSize;
  const artifacts = artifactsOf(options.artifacts, daysFrom('2025-01-01', DAYS));
  const plan = planBatches(artifacts, batchSize);
  const rows = artifacts.reduce((n, a) => n + a.rows, 0);
  const blobs = artifacts.length;
  const rowsPerBlob = rows / blobs;
  new FakeRestore({
    tables: [{ source: 'Events', folders: folderEntries(plan.folders), rows }],
    rowsAt: (_table, check) => Math.min(rows, Math.round(check * BLOBS_PER_CHECK * rowsPerBlob)),
  });
  const probe = probeHistories([
    OrchestratorNames.restore,
    OrchestratorNames.restoreTable,
    OrchestratorNames.restoreFolder,
  ]);
  try {
    const request: RestoreRequest = {
      restoreId: 'bench',
      source: {
        clusterUri: 'https://src.westeurope.kusto.windows.net',
        database: 'Bench',
        tables: ['Events'],
        containers: ['https://bench.blob.core.windows.net/backup'],
      },
      target: { clusterUri: 'https://dst.westeurope.kusto.windows.net', database: 'Recovered' },
      renames: {},
      asOf: null,
      partitions: null,
      mode: 'new-tables',
      allowExportedTarget: false,
      dryRun: false,
    };
    const input: RestoreInput = {
      request,
      settings: { batchSize, stallTimeoutMs: config.restoreStallTimeoutMs },
    };
    const runner = new DurableReplayer();
    const t = performance.now();
    const result = await runner.run(OrchestratorNames.restore, input, {
      instanceId: restoreInstanceId(request.restoreId),
    });
    const replaySeconds = seconds(t);
    if (result.status !== 'Completed')
      throw new Error(`restore replay ${result.status}: ${result.error ?? 'no error'}`);
    const queued = runner.stats.activityCalls.get(ActivityNames.queueRestoreBatch) ?? 0;
    if (queued !== plan.batches.length)
      throw new Error(`queued ${queued} batches, planned ${plan.batches.length}`);
    return {
      artifacts: blobs,
      folders: plan.folders.length,
      batches: plan.batches.length,
      batchSize,
      rows,
      checks: runner.stats.activityCalls.get(ActivityNames.countStaging) ?? 0,
      ...probe.totals(),
      activityCalls: Object.fromEntries(runner.stats.activityCalls),
      runnerLargestHistory: runner.stats.largestHistory(),
      status: result.status,
      replaySeconds: round(replaySeconds),
    };
  } finally {
    probe.remove();
  }
}

/** The section's table. */
export function restoreHistoryTable(figures: readonly RestoreHistoryFigures[]): string {
  const batchSize = figures[0]?.batchSize ?? 0;
  const preface = `one table over ${DAYS} day folders, batches of at most ${batchSize} blobs; staging gains ${BLOBS_PER_CHECK.toLocaleString('en-US')} blobs' rows per progress check`;
  return `${preface}\n${textTable(
    [
      'artifacts',
      'folders',
      'batches',
      'checks',
      'instances',
      'generations',
      'events (all)',
      'events/artifact',
      'largest history',
      'largest/limit',
    ],
    figures.map((f) => [
      f.artifacts,
      f.folders,
      f.batches,
      f.checks,
      f.instances,
      f.generations,
      f.totalEvents,
      round(f.totalEvents / f.artifacts, 3),
      f.largest,
      round(f.largest / HISTORY_LIMIT, 2),
    ]),
  )}`;
}

if (require.main === module)
  runMain(async () => {
    const figures = [];
    for (const artifacts of [10_000, 100_000]) figures.push(await runRestoreHistoryBench({ artifacts }));
    say(restoreHistoryTable(figures));
  });
