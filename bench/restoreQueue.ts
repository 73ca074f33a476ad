/**
 * Section (a): restore's list-and-queue phase, against raw Azurite enqueue throughput measured in
 * the same run and against a naive loop of one `IngestClient.ingestFromBlob` per blob.
 * `npm run bench` runs it for 10,000 and 100,000 artifacts; `npm run bench:restore` runs one size
 * alone (BENCH_ARTIFACTS, default 100,000; BENCH_NAIVE the naive sample, default 2,000) and writes
 * `bench/results/restore.json`.
 *
 * - The backup (blobs and the catalog) lives on one Azurite process, as the backup storage account
 *   does; the ingestion queues live on another, as the cluster's data-management accounts do. Every
 *   enqueue phase (ours, each raw run, naive) gets a fresh queue Azurite: with one shared Azurite,
 *   whichever phase ran later measured markedly slower (it inherits the heap of 100,000 messages
 *   queued and cleared before it). The code under test runs in this process.
 * - The data-management endpoint is a scripted Kusto server listing 4 ingestion queues on the
 *   current queue Azurite (so no ingestion consumer competes for the CPU).
 * - "ours": plan (the catalog's artifacts of the table, folders, batches, the manifest written), then
 *   every batch queued by the real `queueRestoreBatch` activity, as many at once as the restore
 *   orchestration runs (`FOLDERS_AT_ONCE` folders x `BATCHES_AT_ONCE` batches, each sending
 *   `createIngestSender`'s default number of messages at once).
 * - "raw": the same number of messages of the same size sent straight with `QueueClient` over the
 *   same SAS URLs ours uses, spread over the same 4 queues. The reference is the fastest of
 *   {@link RAW_IN_FLIGHT} messages in flight: each is measured on up to {@link RAW_PILOT} messages,
 *   and the fastest is then measured on every message. With several sizes, the first tries them all
 *   and each later size runs at the fastest of the size before (`npm run bench`: all three on every
 *   message of the 10,000 size, then the fastest on all 100,000).
 * - "naive": `ingestFromBlob` one blob after another, on a sample of the blobs, as a rate.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { QueueClient } from '@azure/storage-queue';
import {
  AccountSASPermissions,
  StorageSharedKeyCredential,
  generateAccountSASQueryParameters,
} from '@azure/storage-blob';
import { KustoConnectionStringBuilder } from 'azure-kusto-data';
import { BlobDescriptor, DataFormat, IngestClient, IngestionProperties } from 'azure-kusto-ingest';
import { createQueueRestoreBatchActivity } from '../lib/activities/queueRestoreBatch';
import { loadConfig } from '../lib/config';
import { SdkKustoGateway } from '../lib/kusto/sdkGateway';
import { BATCHES_AT_ONCE } from '../lib/orchestrations/restoreFolder';
import { FOLDERS_AT_ONCE } from '../lib/orchestrations/restoreTable';
import { collectArtifacts } from '../lib/restore/artifacts';
import type { RestoreBlobs } from '../lib/restore/blobs';
import { createRestoreBlobs } from '../lib/restore/blobs';
import { artifactKey, encodeIngestionMessage, restoreTag, stableUuid } from '../lib/restore/ingestMessage';
import { createIngestSender } from '../lib/restore/ingestSender';
import { planBatches } from '../lib/restore/plan';
import { RestoreState } from '../lib/restore/state';
import { CatalogStore } from '../lib/storage/catalog';
import { RestoreStore } from '../lib/storage/restores';
import type { StorageEndpoints } from '../test/emulator/state';
import { startAzuriteProcess } from '../test/helpers/emulatorProcess';
import type { FakeKustoServer } from '../test/helpers/fakeKustoServer';
import { columns, startFakeKustoServer, v1Body } from '../test/helpers/fakeKustoServer';
import { daysFrom, writeSyntheticBackup } from '../test/helpers/syntheticBackup';
import { machineInfo, pool, round, runMain, say, seconds } from './common';

/** Raw enqueue concurrencies tried; the fastest is the reference. */
export const RAW_IN_FLIGHT = [128, 256, 1024] as const;
/** Messages each raw concurrency is first measured on. */
export const RAW_PILOT = 10_000;
/** Messages `createIngestSender` sends at once per activity (its default). */
export const SENDS_PER_ACTIVITY = 32;
/** Acceptance: ours over raw enqueue throughput (100,000 artifacts). */
export const TARGET_RATIO_TO_RAW = 0.8;
/** Acceptance: ours over the naive loop (100,000 artifacts). */
export const TARGET_SPEEDUP_OVER_NAIVE = 5;
const DAYS = 365;
const QUEUES = [0, 1, 2, 3].map((i) => `bench-ready-${i}`);
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** What to measure. */
export interface RestoreQueueOptions {
  /** Backup sizes in artifacts, ascending; each is measured once the backup has grown to it. */
  readonly sizes: readonly number[];
  /** Blobs the naive loop sends (a sample: it is slow); its figure is a rate. */
  readonly naiveSample: number;
  readonly log?: (line: string) => void;
}

/** One raw enqueue run. */
export interface RawRun {
  readonly inFlight: number;
  readonly messages: number;
  readonly seconds: number;
  readonly messagesPerSecond: number;
}

/** Figures of one size. */
export interface RestoreQueueFigures {
  readonly artifacts: number;
  readonly folders: number;
  readonly batches: number;
  readonly batchSize: number;
  /** Activities at once x messages each sends at once. */
  readonly inFlight: { readonly activities: number; readonly sendsPerActivity: number };
  /** Growing the synthetic backup to this size (blobs and catalog); not part of any figure. */
  readonly setupSeconds: number;
  readonly ours: {
    readonly listSeconds: number;
    readonly queueSeconds: number;
    readonly totalSeconds: number;
    readonly messagesPerSecond: number;
    /** The queueing alone (after listing and planning). */
    readonly queueMessagesPerSecond: number;
    /** Where the list phase went: catalog read, storage listing, manifest write (the rest is planning). */
    readonly listBreakdown: {
      readonly catalogSeconds: number;
      readonly storageListingSeconds: number;
      readonly storageListCalls: number;
      readonly blobsListed: number;
      readonly manifestSeconds: number;
    };
  };
  readonly raw: {
    readonly seconds: number;
    readonly messagesPerSecond: number;
    readonly inFlight: number;
    /** Every run: the pilots, then the reference run (when the pilots were not already every message). */
    readonly runs: readonly RawRun[];
  };
  readonly naive: { readonly sample: number; readonly seconds: number; readonly messagesPerSecond: number };
  /** Ours over the raw reference (messages/s over messages/s). */
  readonly ratioToRaw: number;
  readonly targetRatioToRaw: number;
  /** Ours over the naive loop (messages/s over messages/s). */
  readonly speedupOverNaive: number;
  readonly targetSpeedupOverNaive: number;
}

/** A fresh queue Azurite with the 4 ingestion queues, served as the DM's resources. */
interface QueueStorage {
  readonly urls: readonly string[];
  depth(): Promise<number>;
  stop(): Promise<void>;
}

function accountSas(storage: StorageEndpoints): string {
  return generateAccountSASQueryParameters(
    {
      expiresOn: new Date(Date.now() + 86_400_000),
      permissions: AccountSASPermissions.parse('rwdlacup'),
      services: 'bqt',
      resourceTypes: 'sco',
    },
    new StorageSharedKeyCredential(storage.account, storage.accountKey),
  ).toString();
}

async function freshQueues(dm: FakeKustoServer): Promise<QueueStorage> {
  const azurite = await startAzuriteProcess();
  const sas = accountSas(azurite);
  const urls = QUEUES.map((q) => `${azurite.queueUrl}/${q}?${sas}`);
  await Promise.all(urls.map((u) => new QueueClient(u).createIfNotExists()));
  const resources = [
    ...urls.map((u) => ['SecuredReadyForAggregationQueue', u]),
    ['TempStorage', `${azurite.blobUrl}/temp?${sas}`],
    ['FailedIngestionsQueue', `${azurite.queueUrl}/failed?${sas}`],
    ['SuccessfulIngestionsQueue', `${azurite.queueUrl}/succeeded?${sas}`],
    ['IngestionsStatusTable', `${azurite.tableUrl}/status?${sas}`],
  ];
  dm.setFallback((req) =>
    /identity token/.test(req.csl ?? '')
      ? { body: v1Body(columns('AuthorizationContext:string'), [['bench-token']]) }
      : { body: v1Body(columns('ResourceTypeName:string, StorageRoot:string'), resources) },
  );
  return {
    urls,
    async depth() {
      const counts = await Promise.all(
        urls.map(async (u) => (await new QueueClient(u).getProperties()).approximateMessagesCount ?? 0),
      );
      return counts.reduce((a, b) => a + b, 0);
    },
    stop: () => azurite.stop(),
  };
}

/** The backup storage, the DM endpoint and the raw concurrency found so far, shared by the sizes. */
interface Context {
  readonly backup: StorageEndpoints;
  readonly dm: FakeKustoServer;
  readonly catalog: CatalogStore;
  readonly container: string;
  readonly batchSize: number;
  readonly naiveSample: number;
  readonly log: (line: string) => void;
  /** The fastest raw concurrency of the previous size, tried alone on the next. */
  fastestRaw?: number;
}

async function expectQueued(queues: QueueStorage, n: number, what: string): Promise<void> {
  const depth = await queues.depth();
  if (depth !== n) throw new Error(`${what}: ${depth} messages queued, expected ${n}`);
}

/**
 * Measures every size against one backup Azurite: the backup is written up to the first size,
 * measured, grown to the next (the same table, artifact numbering continued) and measured again, so
 * no artifact is written twice; each size's listing sees exactly that size's blobs.
 */
export async function runRestoreQueueBench(options: RestoreQueueOptions): Promise<RestoreQueueFigures[]> {
  const backup = await startAzuriteProcess();
  const dm = await startFakeKustoServer();
  try {
    const ctx: Context = {
      backup,
      dm,
      catalog: CatalogStore.fromConnectionString(backup.connectionString),
      container: `${backup.blobUrl}/backup`,
      batchSize: loadConfig({}).restoreBatchSize,
      naiveSample: options.naiveSample,
      log: options.log ?? (() => undefined),
    };
    const out: RestoreQueueFigures[] = [];
    let written = 0;
    for (const artifacts of options.sizes) {
      if (artifacts < written) throw new RangeError('sizes must be ascending');
      ctx.log(`  ${artifacts} artifacts: writing the backup over ${DAYS} days...`);
      const t = performance.now();
      await writeSyntheticBackup(ctx.catalog, {
        storage: backup,
        containerUrl: ctx.container,
        database: 'Bench',
        table: 'Events',
        columns: [
          { name: 'Timestamp', type: 'datetime' },
          { name: 'Id', type: 'long' },
        ],
        days: daysFrom('2025-01-01', DAYS),
        artifacts: artifacts - written,
        firstIndex: written,
      });
      written = artifacts;
      const figures = await measureSize(ctx, artifacts, seconds(t));
      ctx.fastestRaw = figures.raw.inFlight;
      out.push(figures);
    }
    return out;
  } finally {
    await dm.close();
    await backup.stop();
  }
}

/** Ours, raw and naive on a backup of `artifacts` artifacts. */
async function measureSize(ctx: Context, artifacts: number, setupS: number): Promise<RestoreQueueFigures> {
  const { backup, dm, catalog, container, batchSize, log } = ctx;
  const restoreId = `bench-${artifacts}`;
  let t: number;
  // Ours: list and plan, write the manifest, queue every batch through the activity.
  log(`  ${artifacts} artifacts: list and queue (ours)...`);
  let queues = await freshQueues(dm);
  const gateway = new SdkKustoGateway({ clusterUri: dm.url });
  const state = new RestoreState(RestoreStore.fromConnectionString(backup.connectionString));
  const blobs = createRestoreBlobs({
    credential: new StorageSharedKeyCredential(backup.account, backup.accountKey),
    emulatorConnectionString: backup.connectionString,
  });
  // collectArtifacts reads the catalog, then lists storage, one call after the other, so summed
  // call times split the list phase without overlap.
  const spent = { catalog: 0, listing: 0, listCalls: 0, listedBlobs: 0 };
  const timed = async <T>(key: 'catalog' | 'listing', work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    try {
      return await work();
    } finally {
      spent[key] += seconds(start);
    }
  };
  const timedCatalog: Pick<CatalogStore, 'listArtifacts'> = {
    listArtifacts: (database, table) => timed('catalog', () => catalog.listArtifacts(database, table)),
  };
  const timedBlobs: RestoreBlobs = {
    listNames: (c, p) => blobs.listNames(c, p),
    readText: (c, n) => blobs.readText(c, n),
    parquetRowCount: (u, size) => blobs.parquetRowCount(u, size),
    listFolders: (c, p) => {
      spent.listCalls++;
      return timed('listing', () => blobs.listFolders(c, p));
    },
    listBlobs: async (c, p) => {
      spent.listCalls++;
      const listed = await timed('listing', () => blobs.listBlobs(c, p));
      spent.listedBlobs += listed.length;
      return listed;
    },
  };
  const ingest = createIngestSender({ gatewayFor: () => gateway });
  const activity = createQueueRestoreBatchActivity({
    state,
    ingest,
    storageAuth: { kind: 'impersonate' },
    logger: silent,
  });
  t = performance.now();
  const collected = await collectArtifacts(
    { catalog: timedCatalog, blobs: timedBlobs },
    { database: 'Bench', table: 'Events', containers: [container], asOf: null, partitions: null },
  );
  const { folders, batches } = planBatches(collected.artifacts, batchSize);
  const manifestStart = performance.now();
  await state.putBatches(restoreId, 'Events', batches);
  const manifestS = seconds(manifestStart);
  const listS = seconds(t);
  const target = { clusterUri: dm.url, database: 'T' };
  await pool(batches, FOLDERS_AT_ONCE * BATCHES_AT_ONCE, async (b) => {
    await activity({
      restoreId,
      table: 'Events',
      folder: b.folder,
      index: b.index,
      target,
      staging: '__restore_bench_Events',
    });
  });
  const oursS = seconds(t);
  gateway.close();
  await expectQueued(queues, artifacts, 'ours');
  await queues.stop();

  // Raw: the same messages, straight to the queues.
  const texts = collected.artifacts.map((a) =>
    encodeIngestionMessage({
      id: stableUuid('raw', a.path),
      path: a.path,
      auth: { kind: 'impersonate' },
      rawDataSize: a.sizeInBytes,
      database: 'T',
      table: '__restore_bench_Events',
      authorizationContext: 'bench-token',
      creationTime: `${a.partitionDate}T00:00:00.000Z`,
      tags: [restoreTag('bench')],
      ingestByKey: artifactKey(a.path),
      now: new Date(),
      application: 'adx-backup',
      clientVersion: 'bench',
    }),
  );
  const rawRun = async (inFlight: number, messages: readonly string[]): Promise<RawRun> => {
    const q = await freshQueues(dm);
    try {
      const clients = q.urls.map((u) => new QueueClient(u));
      const start = performance.now();
      await pool(messages, inFlight, async (text, i) => {
        await clients[i % clients.length]!.sendMessage(text);
      });
      const s = seconds(start);
      await expectQueued(q, messages.length, `raw, ${inFlight} in flight`);
      return { inFlight, messages: messages.length, seconds: s, messagesPerSecond: messages.length / s };
    } finally {
      await q.stop();
    }
  };
  const runs: RawRun[] = [];
  const candidates = ctx.fastestRaw === undefined ? RAW_IN_FLIGHT : [ctx.fastestRaw];
  const pilot = candidates.length > 1 ? texts.slice(0, Math.min(RAW_PILOT, texts.length)) : texts;
  for (const inFlight of candidates) {
    log(`  ${artifacts} artifacts: raw enqueue, ${inFlight} in flight, ${pilot.length} messages...`);
    runs.push(await rawRun(inFlight, pilot));
  }
  let best = runs.reduce((a, b) => (b.messagesPerSecond > a.messagesPerSecond ? b : a));
  if (pilot.length < texts.length) {
    log(`  ${artifacts} artifacts: raw enqueue, ${best.inFlight} in flight, ${texts.length} messages...`);
    best = await rawRun(best.inFlight, texts);
    runs.push(best);
  }

  // Naive: one ingestFromBlob after another, on a sample.
  log(`  ${artifacts} artifacts: naive ingestFromBlob loop...`);
  queues = await freshQueues(dm);
  const client = new IngestClient(
    KustoConnectionStringBuilder.withTokenProvider(dm.url, () => Promise.resolve('bench')),
    new IngestionProperties({ database: 'T', table: 'Events', format: DataFormat.PARQUET }),
    false,
  );
  const sample = collected.artifacts.slice(0, Math.min(ctx.naiveSample, artifacts));
  t = performance.now();
  for (const a of sample)
    await client.ingestFromBlob(
      new BlobDescriptor(`${a.path};impersonate`, a.sizeInBytes ?? undefined, stableUuid('naive', a.path)),
    );
  const naiveS = seconds(t);
  client.close();
  await expectQueued(queues, sample.length, 'naive');
  await queues.stop();

  const rate = (n: number, s: number): number => round(n / s, 0);
  const oursRate = artifacts / oursS;
  const naiveRate = sample.length / naiveS;
  return {
    artifacts,
    folders: folders.length,
    batches: batches.length,
    batchSize,
    inFlight: { activities: FOLDERS_AT_ONCE * BATCHES_AT_ONCE, sendsPerActivity: SENDS_PER_ACTIVITY },
    setupSeconds: round(setupS),
    ours: {
      listSeconds: round(listS),
      queueSeconds: round(oursS - listS),
      totalSeconds: round(oursS),
      messagesPerSecond: round(oursRate, 0),
      queueMessagesPerSecond: rate(artifacts, oursS - listS),
      listBreakdown: {
        catalogSeconds: round(spent.catalog),
        storageListingSeconds: round(spent.listing),
        storageListCalls: spent.listCalls,
        blobsListed: spent.listedBlobs,
        manifestSeconds: round(manifestS),
      },
    },
    raw: {
      seconds: round(best.seconds),
      messagesPerSecond: round(best.messagesPerSecond, 0),
      inFlight: best.inFlight,
      runs: runs.map((r) => ({
        ...r,
        seconds: round(r.seconds),
        messagesPerSecond: round(r.messagesPerSecond, 0),
      })),
    },
    naive: { sample: sample.length, seconds: round(naiveS), messagesPerSecond: round(naiveRate, 0) },
    ratioToRaw: round(oursRate / best.messagesPerSecond, 2),
    targetRatioToRaw: TARGET_RATIO_TO_RAW,
    speedupOverNaive: round(oursRate / naiveRate, 1),
    targetSpeedupOverNaive: TARGET_SPEEDUP_OVER_NAIVE,
  };
}

/** The figures of one size as lines of text. */
export function restoreQueueLines(f: RestoreQueueFigures): string[] {
  return [
    `artifacts              ${f.artifacts} (${f.batches} batches of at most ${f.batchSize} over ${f.folders} folders)`,
    `ours: list + plan      ${f.ours.listSeconds} s (catalog ${f.ours.listBreakdown.catalogSeconds} s, storage listing ${f.ours.listBreakdown.storageListingSeconds} s for ${f.ours.listBreakdown.blobsListed} blobs, manifest ${f.ours.listBreakdown.manifestSeconds} s)`,
    `ours: queue            ${f.ours.queueSeconds} s`,
    `ours: total            ${f.ours.totalSeconds} s = ${f.ours.messagesPerSecond} msgs/s`,
    `raw Azurite enqueue    ${f.raw.seconds} s = ${f.raw.messagesPerSecond} msgs/s (${f.raw.inFlight} in flight; ${f.raw.runs.map((r) => `${r.inFlight}: ${r.messagesPerSecond}/s`).join(', ')})`,
    `naive ingestFromBlob   ${f.naive.messagesPerSecond} msgs/s (${f.naive.sample} blobs in ${f.naive.seconds} s)`,
    `ratio to raw           ${f.ratioToRaw} (target >= ${f.targetRatioToRaw})`,
    `speed-up over naive    ${f.speedupOverNaive}x (target >= ${f.targetSpeedupOverNaive}x)`,
  ];
}

if (require.main === module)
  runMain(async () => {
    const [figures] = await runRestoreQueueBench({
      sizes: [Number(process.env.BENCH_ARTIFACTS ?? 100_000)],
      naiveSample: Number(process.env.BENCH_NAIVE ?? 2_000),
      log: say,
    });
    if (!figures) throw new Error('no figures');
    const file = path.join(__dirname, 'results', 'restore.json');
    mkdirSync(path.dirname(file), { recursive: true });
    const results = { measuredAt: new Date().toISOString(), machine: machineInfo(), ...figures };
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    say([...restoreQueueLines(figures), `written to ${path.relative(process.cwd(), file)}`].join('\n'));
  });
