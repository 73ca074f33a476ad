/**
 * One progress check of a table's restore: how many rows the staging table holds (per partition day
 * when the partition column is known, so finished folders can be reported), and which of its queued
 * ingestions failed (`.show ingestion failures` for the staging table, which only this restore
 * writes to). Each failed blob is queued again, up to {@link MAX_REQUEUES} times; after that it is
 * reported as exhausted and the table's restore fails, naming it.
 */
import { countBySourceDay, countSourceRows, showIngestionFailures } from '../kusto/commands';
import type { KustoGateway } from '../kusto/gateway';
import type { StorageAuth } from '../kusto/quote';
import { redact } from '../kusto/redact';
import { parseIngestionFailures } from '../kusto/results';
import { parseDayCounts } from '../kusto/results/counts';
import { artifactPartitionDate } from '../storage/layout';
import type { IngestSender } from './ingestSender';
import { artifactKey, restoreTag } from './ingestMessage';
import { folderCreationTime, folderKey } from './plan';
import type { FailureNote, RestoreState, TableProgress } from './state';

/** Times a failed blob is queued again before the restore gives up on it. */
export const MAX_REQUEUES = 3;
/** Failure notes kept in the progress record (the report shows the latest). */
const MAX_NOTES = 20;
/** Handled failure ids kept (older ones cannot come back: `.show ingestion failures` keeps 14 days). */
const MAX_HANDLED = 10_000;

/** What one check found. */
export interface ProgressCheck {
  readonly rows: number;
  readonly foldersDone: number;
  readonly requeued: number;
  /** Blobs that failed more than {@link MAX_REQUEUES} times (empty while the restore can go on). */
  readonly exhausted: readonly FailureNote[];
}

/** What a check needs. */
export interface ProgressDeps {
  readonly gatewayFor: (clusterUri: string) => KustoGateway;
  readonly state: RestoreState;
  readonly ingest: IngestSender;
  readonly storageAuth: StorageAuth;
}

/** Rows of the staging table per folder key (one `none` total without a partition column). */
async function countRows(
  gateway: KustoGateway,
  database: string,
  staging: string,
  partitionColumn: string | null,
): Promise<Map<string, number>> {
  const command =
    partitionColumn === null ? countSourceRows(staging) : countBySourceDay(staging, partitionColumn);
  const counts = parseDayCounts(await gateway.execute(database, command));
  const out = new Map<string, number>();
  for (const [day, n] of counts) {
    const key = partitionColumn === null ? 'none' : folderKey(day);
    out.set(key, (out.get(key) ?? 0) + n);
  }
  return out;
}

/** Runs one check of `table` of `restoreId` and records it. */
export async function checkProgress(
  deps: ProgressDeps,
  restoreId: string,
  progress: TableProgress,
  target: { readonly clusterUri: string; readonly database: string },
): Promise<ProgressCheck> {
  const { plan } = progress;
  const gateway = deps.gatewayFor(target.clusterUri);
  const byFolder = await countRows(gateway, target.database, plan.staging, plan.partitionColumn);
  const rows = [...byFolder.values()].reduce((a, b) => a + b, 0);
  const foldersDone =
    plan.partitionColumn === null
      ? rows >= plan.rows
        ? plan.folders.length
        : 0
      : plan.folders.filter((f) => (byFolder.get(f.key) ?? 0) >= f.rows).length;

  const failures = parseIngestionFailures(
    await gateway.execute(target.database, showIngestionFailures({ table: plan.staging })),
  );
  const handled = new Set(progress.handledFailures);
  const requeues: Record<string, number> = { ...progress.requeues };
  const again: string[] = [];
  const notes: FailureNote[] = [];
  const exhausted: FailureNote[] = [];
  for (const f of failures) {
    if (handled.has(f.operationId)) continue;
    handled.add(f.operationId);
    // The blob URL as queued: no SAS is ever sent, but a credential suffix or query is cut anyway.
    const path = f.ingestionSourcePath.split(/[?;]/)[0] ?? '';
    const attempts = (requeues[path] ?? 0) + 1;
    requeues[path] = attempts;
    const note = {
      path: redact(path),
      error: redact(`${f.errorCode ?? f.failureKind}: ${f.details}`),
      attempts,
    };
    notes.push(note);
    if (attempts > MAX_REQUEUES) exhausted.push(note);
    else if (!again.includes(path)) again.push(path);
  }
  if (again.length > 0) {
    // The failure gives the blob's path only; its day, key and creation time follow from it.
    await deps.ingest.queue(
      {
        clusterUri: target.clusterUri,
        database: target.database,
        table: plan.staging,
        auth: deps.storageAuth,
        tags: [restoreTag(restoreId)],
      },
      again.map((path) => {
        const creationTime = folderCreationTime(folderKey(artifactPartitionDate(path, true)));
        return { path, size: null, key: artifactKey(path), ...(creationTime ? { creationTime } : {}) };
      }),
    );
  }
  await deps.state.patchTable(restoreId, plan.source, {
    state: 'ingesting',
    rowsIngested: rows,
    foldersDone,
    requeued: progress.requeued + again.length,
    requeues,
    handledFailures: [...handled].slice(-MAX_HANDLED),
    failures: [...progress.failures, ...notes].slice(-MAX_NOTES),
  });
  return { rows, foldersDone, requeued: again.length, exhausted };
}
