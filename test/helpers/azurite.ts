/**
 * Starts Azurite (blob, queue, table) from node_modules, in-process, on random loopback ports with
 * in-memory persistence, and stops it. Used by integration tests, the emulator CLI and the demo.
 *
 * Azurite's Loki store indexes blobs by its first query key (the account name), which makes every
 * blob write scan every blob; reordering query keys so `name` comes first restores O(1) lookups
 * (measured in the local-stack notes: 1,280 uploads/s across 100k blobs instead of collapsing).
 * Queue messages, message/blob bytes and table entities get the same kind of patch (see each one),
 * so a restore of 100,000 artifacts (catalog rows, blobs and queued ingestions) stays linear.
 */
/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
import type { StorageEndpoints } from '../emulator/state';

/** The well-known Azurite development account (public, documented constant; not a secret). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuriteHandle extends StorageEndpoints {
  stop(): Promise<void>;
}

/**
 * Puts the most selective key first in every `find`/`findOne` query of a Loki collection: Loki uses
 * the index of the query's first key only. `key` is a key whose presence marks the queries to reorder.
 */
function patchLokiQueryOrder(
  coll: any,
  prio: readonly string[] = ['name', 'blobName', 'containerName', 'queueName', 'accountName'],
  key = 'name',
): void {
  if (!coll || coll.__adxPatched) return;
  const reorder = (q: any): any => {
    if (!q || typeof q !== 'object' || typeof q[key] !== 'string') return q;
    const o: Record<string, unknown> = {};
    for (const k of prio) if (k in q) o[k] = q[k];
    for (const k of Object.keys(q)) if (!(k in o)) o[k] = q[k];
    return o;
  };
  for (const m of ['find', 'findOne']) {
    const orig = coll[m].bind(coll);
    coll[m] = (q: any, ...r: any[]) => orig(reorder(q), ...r);
  }
  coll.__adxPatched = true;
}

/** How often one queue is swept for expired messages (Azure itself removes them lazily too). */
const EXPIRY_SWEEP_MS = 1000;

/**
 * Azurite runs `clearExpiredMessages` before every queue receive and delete: a scan of the queue's
 * messages, then a batch remove that makes Loki rebuild its indexes over every message in the
 * account. Here a queue is swept at most once a second and only an actual expiry is removed
 * (messages live 7 days by default, so tests never see one expire within that second). Measured
 * with 10,000 queued ingestions: the sweep alone cost 17 s of 110 s.
 */
function patchQueueExpiry(): void {
  const Store = require('azurite/dist/src/queue/persistence/LokiQueueMetadataStore').default;
  if (Store.prototype.__adxPatched) return;
  const swept = new WeakMap<object, Map<string, number>>();
  Store.prototype.clearExpiredMessages = function (
    this: any,
    account: string,
    queue: string,
    context: unknown,
  ) {
    this.checkQueueExist(account, queue, context);
    const now = Date.now();
    let last = swept.get(this);
    if (!last) swept.set(this, (last = new Map()));
    if (now - (last.get(`${account}/${queue}`) ?? 0) < EXPIRY_SWEEP_MS) return Promise.resolve();
    last.set(`${account}/${queue}`, now);
    const coll = this.db.getCollection(this.MESSAGES_COLLECTION);
    const expired = coll.find({
      queueName: queue,
      accountName: account,
      expirationTime: { $lte: now },
    });
    for (const message of expired) coll.remove(message);
    return Promise.resolve();
  };
  Store.prototype.__adxPatched = true;
}

/**
 * Azurite deletes a blob's or message's stored bytes with `findAndRemove`, a batch removal after
 * which Loki rebuilds every index of the extent collection: each queue message delete sorted every
 * stored message (measured: 10,000 queued ingestions took 400 s instead of 110 s). One document is
 * removed with Loki's incremental index update instead.
 */
function patchExtentDelete(): void {
  const Store = require('azurite/dist/src/common/persistence/LokiExtentMetadataStore').default;
  if (Store.prototype.__adxPatched) return;
  Store.prototype.deleteExtent = function (this: any, extentId: string) {
    const coll = this.db.getCollection(this.EXTENTS_COLLECTION);
    const doc = coll.findOne({ id: extentId });
    if (doc) coll.remove(doc);
    return Promise.resolve();
  };
  Store.prototype.__adxPatched = true;
}

/**
 * Table entities are looked up by `{PartitionKey, RowKey}`, which Loki resolves through the
 * PartitionKey index: a scan of the whole partition for every insert or update (measured: 20,000
 * catalog artifacts in one partition took 175 s to write instead of 3 s). RowKey goes first.
 */
function patchTableEntityLookups(): void {
  const Store = require('azurite/dist/src/table/persistence/LokiTableMetadataStore').default;
  if (Store.prototype.__adxPatched) return;
  const original = Store.prototype.getEntityCollection;
  Store.prototype.getEntityCollection = function (this: any, ...args: unknown[]) {
    const coll = original.apply(this, args);
    patchLokiQueryOrder(coll, ['RowKey', 'PartitionKey'], 'RowKey');
    return coll;
  };
  Store.prototype.__adxPatched = true;
}

/** Starts blob, queue and table services on 127.0.0.1 with OS-assigned ports. */
export async function startAzurite(): Promise<AzuriteHandle> {
  const BlobServer = require('azurite/dist/src/blob/BlobServer').default;
  const BlobConfiguration = require('azurite/dist/src/blob/BlobConfiguration').default;
  const QueueServer = require('azurite/dist/src/queue/QueueServer').default;
  const QueueConfiguration = require('azurite/dist/src/queue/QueueConfiguration').default;
  const TableServer = require('azurite/dist/src/table/TableServer').default;
  const TableConfiguration = require('azurite/dist/src/table/TableConfiguration').default;
  patchQueueExpiry();
  patchExtentDelete();
  patchTableEntityLookups();
  const tag = `${process.pid}-${Date.now()}-${Math.random().toString(16).slice(2)}`;
  // Positional options (see Azurite's BlobConfiguration/QueueConfiguration): host, port, keepAlive,
  // metadata db, extent db, persistence, access log x2, debug log x2, loose, skipApiVersionCheck,
  // cert, key, pwd, oauth, disableProductStyleUrl, inMemoryPersistence.
  const blobLike = (name: string) =>
    [
      '127.0.0.1',
      0,
      5,
      `mem-${name}-${tag}.json`,
      `mem-${name}-extent-${tag}.json`,
      undefined,
      false,
      undefined,
      false,
      undefined,
      true,
      true,
      '',
      '',
      '',
      undefined,
      false,
      true,
    ] as const;
  const blob = new BlobServer(new BlobConfiguration(...blobLike('blob')));
  const queue = new QueueServer(new QueueConfiguration(...blobLike('queue')));
  // Table: host, port, keepAlive, db, debug log, access log, access log stream, debug log path,
  // loose, skipApiVersionCheck, cert, key, pwd, oauth, disableProductStyleUrl, inMemoryPersistence.
  const table = new TableServer(
    new TableConfiguration(
      '127.0.0.1',
      0,
      5,
      `mem-t-${tag}.json`,
      false,
      false,
      undefined,
      undefined,
      true,
      true,
      '',
      '',
      '',
      undefined,
      false,
      true,
    ),
  );
  await Promise.all([blob.start(), queue.start(), table.start()]);
  for (const c of ['$BLOBS_COLLECTION$', '$BLOCKS_COLLECTION$']) {
    patchLokiQueryOrder(blob.metadataStore?.db?.getCollection(c));
  }
  // Deletes look messages up by id; receives by queue (every message shares the one account).
  patchLokiQueryOrder(
    queue.metadataStore?.db?.getCollection('$MESSAGES_COLLECTION$'),
    ['messageId', 'queueName', 'accountName'],
    'queueName',
  );
  const blobUrl = `${String(blob.getHttpServerAddress())}/${AZURITE_ACCOUNT}`;
  const queueUrl = `${String(queue.getHttpServerAddress())}/${AZURITE_ACCOUNT}`;
  const tableUrl = `${String(table.getHttpServerAddress())}/${AZURITE_ACCOUNT}`;
  const connectionString =
    `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};` +
    `BlobEndpoint=${blobUrl};QueueEndpoint=${queueUrl};TableEndpoint=${tableUrl};`;
  let stopped = false;
  return {
    account: AZURITE_ACCOUNT,
    accountKey: AZURITE_KEY,
    blobUrl,
    queueUrl,
    tableUrl,
    connectionString,
    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.all([blob.close(), queue.close(), table.close()]);
    },
  };
}
