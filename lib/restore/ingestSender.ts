/**
 * Queues ingestions of backup blobs on a cluster's data-management service, spread over every
 * ingestion queue `.get ingestion resources` lists.
 *
 * Why not `IngestClient.ingestFromBlob`: the SDK sends each message to the first queue of its
 * ranked list (falling back to the next only on failure), builds a new `QueueClient` per message and
 * sends one message per call; a restore of 100,000 blobs would pile onto one queue. This sender
 * builds the SDK's exact message (`ingestMessage.ts`), keeps one client per queue, sends many
 * messages at once and rotates over all queues; a message whose queue fails goes to the next queue
 * and the failed queue is skipped for a minute, as the SDK ranks a failing account down. Resources
 * and the identity token are cached for an hour (the SDK's lifetime), and refetched after a failure
 * when older than a minute (a rotated SAS).
 */
import { QueueClient } from '@azure/storage-queue';
import { PermanentError } from '../errors';
import { getIngestionResources, getKustoIdentityToken } from '../kusto/commands';
import type { KustoGateway } from '../kusto/gateway';
import { redactError } from '../kusto/redact';
import { groupIngestionResources, parseIngestionResources, parseKustoIdentityToken } from '../kusto/results';
import type { StorageAuth } from '../kusto/quote';
import { version } from '../version';
import { encodeIngestionMessage, stableUuid } from './ingestMessage';

/** The DM commands run in this database (reference §3.1). */
const DM_DATABASE = 'NetDefaultDB';
const RESOURCE_TTL_MS = 3_600_000;
/** How long a queue that failed is skipped. */
const UNHEALTHY_MS = 60_000;

/** One blob to ingest. */
export interface BlobToQueue {
  readonly path: string;
  readonly size: number | null;
  readonly key: string;
  readonly creationTime?: string;
}

/** Where and how a batch is ingested. */
export interface QueueTarget {
  readonly clusterUri: string;
  readonly database: string;
  readonly table: string;
  readonly auth: StorageAuth;
  /** Plain tags every extent gets (the restore's tag); also seeds the message ids. */
  readonly tags: readonly string[];
}

/** Sends messages; a test fake or `@azure/storage-queue`. */
export interface QueueSender {
  readonly url: string;
  send(messageText: string): Promise<void>;
}

/** Queues ingestions. */
export interface IngestSender {
  /** Queues every blob; resolves with how many messages went to each queue (in resource order). */
  queue(target: QueueTarget, blobs: readonly BlobToQueue[]): Promise<{ queued: number; perQueue: number[] }>;
}

/** Dependencies of {@link createIngestSender}. */
export interface IngestSenderDeps {
  readonly gatewayFor: (clusterUri: string) => KustoGateway;
  /** Opens a queue from its SAS URL (default: `@azure/storage-queue`). */
  readonly openQueue?: (url: string) => QueueSender;
  readonly now?: () => Date;
  /** Messages in flight per `queue` call. */
  readonly concurrency?: number;
}

interface Resources {
  readonly queues: readonly QueueSender[];
  readonly token: string;
  readonly fetchedAt: number;
}

function defaultQueue(url: string): QueueSender {
  const client = new QueueClient(url);
  return {
    url,
    async send(text) {
      await client.sendMessage(text);
    },
  };
}

/** Builds the sender; one per process, shared by every activity. */
export function createIngestSender(deps: IngestSenderDeps): IngestSender {
  const open = deps.openQueue ?? defaultQueue;
  const now = deps.now ?? (() => new Date());
  const concurrency = deps.concurrency ?? 32;
  const cache = new Map<string, Promise<Resources>>();
  const opened = new Map<string, QueueSender>();
  let rotation = 0;
  /** Queues that failed recently, skipped until the time given (the SDK ranks them down likewise). */
  const unhealthy = new Map<string, number>();

  /** The queue for the n-th message: round robin over the healthy queues (over all when none is). */
  function pick(queues: readonly QueueSender[], n: number): number {
    const t = now().getTime();
    const healthy = queues.map((_, i) => i).filter((i) => (unhealthy.get(queues[i]!.url) ?? 0) <= t);
    const usable = healthy.length > 0 ? healthy : queues.map((_, i) => i);
    return usable[n % usable.length]!;
  }

  async function fetchResources(clusterUri: string): Promise<Resources> {
    const gateway = deps.gatewayFor(clusterUri);
    const [resources, token] = await Promise.all([
      gateway.execute(DM_DATABASE, getIngestionResources()),
      gateway.execute(DM_DATABASE, getKustoIdentityToken()),
    ]);
    const urls = groupIngestionResources(parseIngestionResources(resources)).readyForAggregationQueues;
    if (urls.length === 0) throw new PermanentError(`${clusterUri} lists no ingestion queue`);
    const context = parseKustoIdentityToken(token);
    // Sorted, so the queue order (and a test's view of it) does not depend on the DM's rotation.
    const queues = [...urls].sort().map((url) => {
      let q = opened.get(url);
      if (!q) opened.set(url, (q = open(url)));
      return q;
    });
    return { queues, token: context, fetchedAt: now().getTime() };
  }

  /**
   * The cluster's resources; fetched again when older than the TTL or when `failed` (the ones a send
   * just failed with) are still the cached ones, so concurrent failures cause one refetch.
   */
  async function resourcesOf(clusterUri: string, failed?: Resources): Promise<Resources> {
    const cached = cache.get(clusterUri);
    if (cached) {
      const current = await cached.catch(() => undefined);
      if (current && current !== failed && now().getTime() - current.fetchedAt < RESOURCE_TTL_MS)
        return current;
      if (cache.get(clusterUri) !== cached) return resourcesOf(clusterUri, failed);
    }
    const fresh = fetchResources(clusterUri);
    cache.set(clusterUri, fresh);
    fresh.catch(() => cache.delete(clusterUri));
    return fresh;
  }

  return {
    async queue(target, blobs) {
      let resources = await resourcesOf(target.clusterUri);
      const perQueue = new Array<number>(resources.queues.length).fill(0);
      const start = rotation;
      rotation += blobs.length;
      const sendOne = async (blob: BlobToQueue, index: number): Promise<void> => {
        let lastError: unknown;
        for (let attempt = 0; attempt < 3; attempt++) {
          const queues = resources.queues;
          const at = pick(queues, start + index + attempt);
          const text = encodeIngestionMessage({
            id: stableUuid(...target.tags, blob.path),
            path: blob.path,
            auth: target.auth,
            rawDataSize: blob.size,
            database: target.database,
            table: target.table,
            authorizationContext: resources.token,
            ...(blob.creationTime !== undefined ? { creationTime: blob.creationTime } : {}),
            tags: target.tags,
            ingestByKey: blob.key,
            now: now(),
            application: 'adx-backup',
            clientVersion: `adx-backup:{${version}}|Runtime.Node:{${process.version}}`,
          });
          try {
            await queues[at]!.send(text);
            if (queues === resources.queues) perQueue[at] = (perQueue[at] ?? 0) + 1;
            return;
          } catch (error) {
            lastError = error;
            unhealthy.set(queues[at]!.url, now().getTime() + UNHEALTHY_MS);
            // Credentials rotate: resources older than a minute may hold a SAS that stopped working.
            if (now().getTime() - resources.fetchedAt > UNHEALTHY_MS)
              resources = await resourcesOf(target.clusterUri, resources);
          }
        }
        throw new PermanentError(`could not queue the ingestion of ${blob.path}: ${redactError(lastError)}`);
      };
      let next = 0;
      const lane = async (): Promise<void> => {
        while (next < blobs.length) {
          const i = next++;
          await sendOne(blobs[i]!, i);
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, blobs.length) }, lane));
      return { queued: blobs.length, perQueue };
    },
  };
}
