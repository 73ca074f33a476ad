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

/**
 * How often one queue is swept for expired messages: messages live 7 days unless sent with a shorter
 * time to live, and Azure itself removes expired messages lazily.
 */
const EXPIRY_SWEEP_MS = 60_000;

/** A stored message: Azurite's message model, times in milliseconds, plus its insertion number. */
interface StoredMessage {
  seq: number;
  accountName: string;
  queueName: string;
  messageId: string;
  popReceipt: string;
  timeNextVisible: number;
  expiresAt: number;
  insertionTime: Date;
  expirationTime: Date;
  dequeueCount: number;
  persistency: { id: string; offset: number; count: number };
}

/**
 * Queue messages. Azurite keeps every message of the account in one Loki collection: each receive
 * finds and sorts every visible message of the queue and then re-sorts four indexes over every
 * message; each delete splices the message out of arrays of every message; each receive and delete
 * first scans the queue for expired messages. With 100,000 queued ingestions that is quadratic
 * (measured at 50,000: receives, deletes and expiry sweeps took most of Azurite's CPU).
 *
 * Here the store's message methods keep each queue's messages in a `Map` in insertion order (delete,
 * update and lookups by id in O(1)); a receive or peek takes the first visible messages of the queue
 * (a scan that stops at the queue's head); a queue is swept for expired messages at most once a
 * minute (an expired message is never returned in between). Azure Queue Storage does not guarantee order, and a message that becomes visible again
 * keeps its place, so every answer is one Azure could give. Errors are Azurite's own.
 */
function patchQueueMessageStore(): void {
  const Store = require('azurite/dist/src/queue/persistence/LokiQueueMetadataStore').default;
  if (Store.prototype.__adxPatched) return;
  const Errors = require('azurite/dist/src/queue/errors/StorageErrorFactory').default;
  const stores = new WeakMap<
    object,
    { queues: Map<string, Map<string, StoredMessage>>; all: Map<number, StoredMessage>; seq: number }
  >();
  const stateOf = (store: object) => {
    let state = stores.get(store);
    if (!state) stores.set(store, (state = { queues: new Map(), all: new Map(), seq: 0 }));
    return state;
  };
  const queueOf = (store: object, account: string, queue: string): Map<string, StoredMessage> => {
    const { queues } = stateOf(store);
    let q = queues.get(`${account}/${queue}`);
    if (!q) queues.set(`${account}/${queue}`, (q = new Map()));
    return q;
  };
  const requestId = (context: any): string | undefined => context?.contextID;
  const swept = new WeakMap<object, Map<string, number>>();
  const remove = (store: object, doc: StoredMessage): void => {
    queueOf(store, doc.accountName, doc.queueName).delete(doc.messageId);
    stateOf(store).all.delete(doc.seq);
  };
  const visibleHead = (q: Map<string, StoredMessage>, now: number, wanted: number): StoredMessage[] => {
    const docs: StoredMessage[] = [];
    for (const doc of q.values()) {
      if (doc.timeNextVisible > now || doc.expiresAt <= now) continue;
      docs.push(doc);
      if (docs.length === wanted) break;
    }
    return docs;
  };
  const P = Store.prototype;

  P.clearExpiredMessages = function (this: any, account: string, queue: string, context: unknown) {
    this.checkQueueExist(account, queue, context);
    const now = Date.now();
    let last = swept.get(this);
    if (!last) swept.set(this, (last = new Map()));
    if (now - (last.get(`${account}/${queue}`) ?? 0) < EXPIRY_SWEEP_MS) return Promise.resolve();
    last.set(`${account}/${queue}`, now);
    for (const doc of [...queueOf(this, account, queue).values()])
      if (doc.expiresAt <= now) remove(this, doc);
    return Promise.resolve();
  };
  P.insertMessage = function (this: any, message: any, context: unknown) {
    this.checkQueueExist(message.accountName, message.queueName, context);
    const state = stateOf(this);
    const copy = this.messageCopy(message);
    const doc: StoredMessage = {
      ...copy,
      seq: ++state.seq,
      timeNextVisible: copy.timeNextVisible.getTime(),
      expiresAt: copy.expirationTime.getTime(),
    };
    queueOf(this, doc.accountName, doc.queueName).set(doc.messageId, doc);
    state.all.set(doc.seq, doc);
    return Promise.resolve();
  };
  P.getMessagesCount = function (this: any, account: string, queue: string, context: unknown) {
    this.checkQueueExist(account, queue, context);
    return Promise.resolve(queueOf(this, account, queue).size);
  };
  P.peekMessages = function (
    this: any,
    account: string,
    queue: string,
    numOfMessages: number | undefined,
    queryDate: Date | undefined,
    context: unknown,
  ) {
    this.checkQueueExist(account, queue, context);
    void this.clearExpiredMessages(account, queue, context);
    const now = (queryDate ?? new Date()).getTime();
    const docs = visibleHead(queueOf(this, account, queue), now, numOfMessages ?? 1);
    return Promise.resolve(docs.map((doc) => this.messageCopy(doc)));
  };
  P.getMessages = function (
    this: any,
    account: string,
    queue: string,
    timeNextVisible: Date,
    popReceipt: string,
    numOfMessages: number | undefined,
    queryDate: Date | undefined,
    context: unknown,
  ) {
    this.checkQueueExist(account, queue, context);
    void this.clearExpiredMessages(account, queue, context);
    const now = (queryDate ?? new Date()).getTime();
    const wanted = numOfMessages === undefined || numOfMessages < 1 ? 1 : numOfMessages;
    const docs = visibleHead(queueOf(this, account, queue), now, wanted);
    return Promise.resolve(
      docs.map((doc) => {
        doc.timeNextVisible = timeNextVisible.getTime();
        doc.popReceipt = popReceipt;
        doc.dequeueCount = Number(doc.dequeueCount) + 1;
        return this.messageCopy(doc);
      }),
    );
  };
  /** The message `id` of the queue, checked against the caller's pop receipt. */
  const lookUp = (store: any, account: string, queue: string, id: string, pop: string, context: unknown) => {
    store.checkQueueExist(account, queue, context);
    void store.clearExpiredMessages(account, queue, context);
    const doc = queueOf(store, account, queue).get(id);
    if (!doc) throw Errors.getMessageNotFound(requestId(context));
    if (doc.popReceipt !== pop) throw Errors.getPopReceiptMismatch(requestId(context));
    return doc;
  };
  P.deleteMessage = function (
    this: any,
    account: string,
    queue: string,
    messageId: string,
    validatingPopReceipt: string,
    context: unknown,
  ) {
    // Azurite's methods are async: a refusal is a rejected promise, not a throw.
    return Promise.resolve().then(() => {
      remove(this, lookUp(this, account, queue, messageId, validatingPopReceipt, context));
    });
  };
  P.updateMessage = function (this: any, message: any, validatingPopReceipt: string, context: unknown) {
    return Promise.resolve().then(() => {
      const doc = lookUp(
        this,
        message.accountName,
        message.queueName,
        message.messageId,
        validatingPopReceipt,
        context,
      );
      doc.popReceipt = message.popReceipt;
      doc.timeNextVisible = message.timeNextVisible.getTime();
      if (message.persistency !== undefined) doc.persistency = message.persistency;
    });
  };
  P.clearMessages = function (this: any, account: string, queue: string, context: unknown) {
    this.checkQueueExist(account, queue, context);
    for (const doc of [...queueOf(this, account, queue).values()]) remove(this, doc);
    return Promise.resolve();
  };
  const deleteQueue = P.deleteQueue;
  P.deleteQueue = async function (this: any, account: string, queue: string, context: unknown) {
    await deleteQueue.call(this, account, queue, context);
    for (const doc of [...queueOf(this, account, queue).values()]) remove(this, doc);
    stateOf(this).queues.delete(`${account}/${queue}`);
  };
  // Azurite's extent garbage collector pages through every message by insertion number: a page
  // that starts where the previous one ended continues the previous page's iterator.
  const cursors = new WeakMap<object, { marker: number; it: Iterator<StoredMessage> }>();
  P.listMessages = function (this: any, maxResults = 5000, marker?: number) {
    const kept = cursors.get(this);
    let it: Iterator<StoredMessage>;
    if (marker !== undefined && kept?.marker === marker) it = kept.it;
    else {
      it = stateOf(this).all.values();
      cursors.delete(this);
    }
    const docs: StoredMessage[] = [];
    for (let r = it.next(); !r.done; r = it.next()) {
      if (marker !== undefined && r.value.seq <= marker) continue;
      docs.push(r.value);
      if (docs.length === maxResults) break;
    }
    const next = docs.length < maxResults ? undefined : docs[docs.length - 1]!.seq;
    if (next === undefined) cursors.delete(this);
    else cursors.set(this, { marker: next, it });
    return Promise.resolve([docs.map((d) => ({ ...this.messageCopy(d), $loki: d.seq })), next]);
  };
  P.__adxPatched = true;
}

/**
 * The stored bytes of blobs and messages ("extents"). Azurite keeps their metadata in a Loki
 * collection with a binary index on `id`: every append and delete re-sorts that index (deletes even
 * rebuild it from scratch through `findAndRemove`), and its garbage collector, which runs every
 * minute for queues, pages through every extent with a query that scans the whole collection per
 * page. With 100,000 queued ingestions both were quadratic (measured: 10,000 took 400 s instead of
 * 110 s; at 100,000 the collector alone took over a minute of CPU).
 *
 * Here the collection has a unique index on `id` instead (lookups, appends and deletes in O(1)
 * apart from Loki's own array splice), and a page of the listing starts at the marker, found by
 * binary search in Loki's ordered id index, instead of scanning from the start.
 */
function patchExtentStore(): void {
  const Store = require('azurite/dist/src/common/persistence/LokiExtentMetadataStore').default;
  if (Store.prototype.__adxPatched) return;
  const collection = (store: any): any => {
    const coll = store.db.getCollection(store.EXTENTS_COLLECTION);
    if (!coll.__adxIndexed) {
      coll.binaryIndices = {};
      coll.ensureUniqueIndex('id');
      coll.__adxIndexed = true;
    }
    return coll;
  };
  const P = Store.prototype;
  P.updateExtent = function (this: any, extent: any) {
    const coll = collection(this);
    const doc = coll.by('id', extent.id);
    if (!doc) coll.insert(extent);
    else {
      // Azurite's own field names, kept as they are (including the capitalised one).
      doc.size = extent.size;
      doc.LastModifyInMS = extent.lastModifiedInMS;
      coll.update(doc);
    }
    return Promise.resolve();
  };
  P.deleteExtent = function (this: any, extentId: string) {
    const coll = collection(this);
    const doc = coll.by('id', extentId);
    if (doc) coll.remove(doc);
    return Promise.resolve();
  };
  P.getExtentLocationId = function (this: any, extentId: string) {
    return Promise.resolve(collection(this).by('id', extentId).locationId);
  };
  const listExtents = P.listExtents;
  P.listExtents = function (
    this: any,
    id: string | undefined,
    maxResults = 5000,
    marker: number | undefined,
    queryTime: Date | undefined,
    protectTimeInMs = 0,
  ) {
    if (id !== undefined) return listExtents.call(this, id, maxResults, marker, queryTime, protectTimeInMs);
    const coll = collection(this);
    // `idIndex` (built lazily) holds the documents' $loki numbers in the order of `data`, ascending.
    coll.ensureId();
    const ids: number[] = coll.idIndex;
    let lo = 0;
    let hi = ids.length;
    while (marker !== undefined && lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ids[mid]! <= marker) lo = mid + 1;
      else hi = mid;
    }
    const cutoff = queryTime === undefined ? Infinity : queryTime.getTime() - protectTimeInMs;
    const docs: any[] = [];
    for (let i = lo; i < coll.data.length && docs.length < maxResults; i++) {
      if (coll.data[i].LastModifyInMS < cutoff) docs.push(coll.data[i]);
    }
    return Promise.resolve([docs, docs.length < maxResults ? undefined : docs[docs.length - 1].$loki]);
  };
  P.__adxPatched = true;
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
    countChanges(coll);
    return coll;
  };
  patchTableQueries(Store);
  Store.prototype.__adxPatched = true;
}

/** Counts a Loki collection's insert/update/remove calls in `__adxVersion` (cache invalidation). */
function countChanges(coll: any): void {
  if (coll.__adxVersion !== undefined) return;
  coll.__adxVersion = 0;
  for (const m of ['insert', 'update', 'remove', 'clear']) {
    const orig = coll[m].bind(coll);
    coll[m] = (...a: unknown[]) => {
      coll.__adxVersion++;
      return orig(...a);
    };
  }
}

/** Azurite's order of query results: by PartitionKey, then RowKey. */
const byKeys = (a: any, b: any): number =>
  a.PartitionKey > b.PartitionKey
    ? 1
    : a.PartitionKey === b.PartitionKey
      ? a.RowKey > b.RowKey
        ? 1
        : a.RowKey === b.RowKey
          ? 0
          : -1
      : -1;

/**
 * Azurite answers each page of a table query (1,000 entities) by filtering and sorting every entity
 * of the table again, so reading a 100,000-entity partition page by page is quadratic (measured:
 * minutes for the catalog of a 100,000-artifact backup). The filtered, sorted list is kept per
 * table and filter until the table changes; each page applies Azurite's own continuation test to
 * it. Same entities, same order, same continuation tokens.
 */
function patchTableQueries(Store: any): void {
  const Generator = require('azurite/dist/src/table/persistence/LokiTableStoreQueryGenerator').default;
  const cache = new WeakMap<object, Map<string, { version: number; sorted: any[] }>>();
  Store.prototype.queryTableEntities = function (
    this: any,
    context: unknown,
    account: string,
    table: string,
    queryOptions: { filter?: string },
    nextPartitionKey?: string,
    nextRowKey?: string,
  ) {
    const coll = this.getEntityCollection(account, table, context);
    const where = Generator.generateQueryForPersistenceLayer(queryOptions, context);
    const maxResults = this.getMaxResultsOption(queryOptions);
    const pk = this.decodeContinuationHeader(nextPartitionKey);
    const rk = this.decodeContinuationHeader(nextRowKey);
    let byFilter = cache.get(coll);
    if (!byFilter) cache.set(coll, (byFilter = new Map()));
    let entry = byFilter.get(queryOptions.filter ?? '');
    if (!entry || entry.version !== coll.__adxVersion) {
      entry = { version: coll.__adxVersion, sorted: coll.chain().where(where).data().sort(byKeys) };
      byFilter.set(queryOptions.filter ?? '', entry);
    }
    // Azurite's own continuation test, applied in order until a page (plus one) is full.
    const after = (data: any): boolean => {
      if (pk !== undefined && data.PartitionKey > pk) return true;
      if (rk !== undefined)
        return data.RowKey >= rk && (data.PartitionKey === pk || data.PartitionKey === undefined);
      if (pk !== undefined && data.PartitionKey < pk) return false;
      return true;
    };
    const result: any[] = [];
    for (const doc of entry.sorted) {
      if (result.length > maxResults) break;
      if (after(doc)) result.push(doc);
    }
    const response = this.adjustQueryResultforTop(result, maxResults);
    return Promise.resolve([result, response.nextPartitionKeyResponse, response.nextRowKeyResponse]);
  };
}

/** Starts blob, queue and table services on 127.0.0.1 with OS-assigned ports. */
export async function startAzurite(): Promise<AzuriteHandle> {
  const BlobServer = require('azurite/dist/src/blob/BlobServer').default;
  const BlobConfiguration = require('azurite/dist/src/blob/BlobConfiguration').default;
  const QueueServer = require('azurite/dist/src/queue/QueueServer').default;
  const QueueConfiguration = require('azurite/dist/src/queue/QueueConfiguration').default;
  const TableServer = require('azurite/dist/src/table/TableServer').default;
  const TableConfiguration = require('azurite/dist/src/table/TableConfiguration').default;
  patchQueueMessageStore();
  patchExtentStore();
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
