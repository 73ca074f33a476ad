/**
 * The data-management service's storage resources (reference §3.2): several ready-for-aggregation
 * queues, temp-storage containers, the success/failure report queues and the status table, all in
 * the emulator's Azurite account and reached through an account SAS. Also the identity token that
 * `.get kusto identity token` hands out and the ingestion consumer checks (§3.3).
 */
import { createHmac } from 'node:crypto';
import {
  AccountSASPermissions,
  BlobServiceClient,
  StorageSharedKeyCredential,
  generateAccountSASQueryParameters,
} from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import type { QueueClient } from '@azure/storage-queue';
import { TableServiceClient } from '@azure/data-tables';
import type { EmulatorState, StorageEndpoints } from '../state';

/**
 * Ready-for-aggregation queue names. Several queues, because Azurite's dequeue cost grows with queue
 * depth (local-stack notes §1): spreading messages keeps every queue shallow.
 */
export const READY_QUEUES: readonly string[] = [0, 1, 2, 3].map((i) => `readyforaggregation-secured-${i}`);
/** Containers clients upload local files and streams to before queueing them. */
export const TEMP_CONTAINERS: readonly string[] = [0, 1].map((i) => `tempstorage-${i}`);
/** Queue the service reports failed ingestions to (§3.7). */
export const FAILED_QUEUE = 'failedingestions';
/** Queue the service reports successful ingestions to, when asked (§3.7). */
export const SUCCESS_QUEUE = 'successfulingestions';
/** Table for ReportMethod Table (§3.6); created, but the emulator does not update its entities. */
export const STATUS_TABLE = 'ingestionsstatus';

/** One row of `.get ingestion resources`. */
export interface IngestionResource {
  readonly resourceTypeName: string;
  readonly storageRoot: string;
}

/** Account SAS lifetime; Azurite checks expiry against the wall clock, not the emulator's clock. */
const SAS_LIFETIME_MS = 7 * 86_400_000;
/** A cached SAS is renewed once less than this much of its lifetime is left. */
const SAS_RENEW_MARGIN_MS = 86_400_000;

const sasCache = new WeakMap<StorageEndpoints, { sas: string; expiresOn: number }>();
const ensured = new WeakMap<StorageEndpoints, Promise<void>>();
const rotation = new WeakMap<EmulatorState, number>();
const queueClients = new WeakMap<StorageEndpoints, Map<string, QueueClient>>();

/** An account SAS (blob, queue, table; read/write/delete/list/add/create/update/process). */
export function accountSas(storage: StorageEndpoints): string {
  const now = Date.now();
  const cached = sasCache.get(storage);
  if (cached && cached.expiresOn - now > SAS_RENEW_MARGIN_MS) return cached.sas;
  const expiresOn = now + SAS_LIFETIME_MS;
  const sas = generateAccountSASQueryParameters(
    {
      // Started slightly in the past so a clock skew between here and Azurite cannot reject it.
      startsOn: new Date(now - 5 * 60_000),
      expiresOn: new Date(expiresOn),
      permissions: AccountSASPermissions.parse('rwdlacup'),
      services: 'bqt',
      resourceTypes: 'sco',
    },
    new StorageSharedKeyCredential(storage.account, storage.accountKey),
  ).toString();
  sasCache.set(storage, { sas, expiresOn });
  return sas;
}

/**
 * The rows of `.get ingestion resources`. The ready queues are listed starting at a position that
 * advances on every call: the SDK sends to the first queue of the first-ranked storage account, so
 * with Azurite's single account a fixed order would put every client on the same queue, whereas
 * real clusters spread clients over several accounts.
 */
export function ingestionResources(state: EmulatorState): IngestionResource[] {
  const { storage } = state;
  const sas = accountSas(storage);
  const start = rotation.get(state) ?? 0;
  rotation.set(state, (start + 1) % READY_QUEUES.length);
  const queues = READY_QUEUES.map((_, i) => READY_QUEUES[(start + i) % READY_QUEUES.length]!);
  const row = (resourceTypeName: string, base: string, name: string): IngestionResource => ({
    resourceTypeName,
    storageRoot: `${base}/${name}?${sas}`,
  });
  return [
    ...queues.map((q) => row('SecuredReadyForAggregationQueue', storage.queueUrl, q)),
    ...TEMP_CONTAINERS.map((c) => row('TempStorage', storage.blobUrl, c)),
    row('FailedIngestionsQueue', storage.queueUrl, FAILED_QUEUE),
    row('SuccessfulIngestionsQueue', storage.queueUrl, SUCCESS_QUEUE),
    row('IngestionsStatusTable', storage.tableUrl, STATUS_TABLE),
  ];
}

/**
 * The authorization context `.get kusto identity token` returns. Opaque to clients and stable for a
 * given storage account, so the consumer can verify that a message carries it.
 */
export function identityToken(state: EmulatorState): string {
  const mac = createHmac('sha256', state.storage.accountKey).update('kusto-identity-token').digest('base64');
  return `KustoIdentityToken:${mac}`;
}

/** Queue service client for the emulator's account. */
export function queueService(storage: StorageEndpoints): QueueServiceClient {
  return QueueServiceClient.fromConnectionString(storage.connectionString);
}

/** A queue of the emulator's account by name (clients are reused: the consumer polls constantly). */
export function queueClient(storage: StorageEndpoints, name: string): QueueClient {
  let byName = queueClients.get(storage);
  if (!byName) {
    byName = new Map();
    queueClients.set(storage, byName);
  }
  let client = byName.get(name);
  if (!client) {
    client = queueService(storage).getQueueClient(name);
    byName.set(name, client);
  }
  return client;
}

/** Creates every queue, container and the status table (once per storage; safe to call repeatedly). */
export function ensureIngestionResources(storage: StorageEndpoints): Promise<void> {
  let pending = ensured.get(storage);
  if (!pending) {
    pending = createAll(storage);
    // A failed attempt (Azurite not up yet) must not be remembered.
    pending.catch(() => ensured.delete(storage));
    ensured.set(storage, pending);
  }
  return pending;
}

async function createAll(storage: StorageEndpoints): Promise<void> {
  const queues = queueService(storage);
  const blobs = BlobServiceClient.fromConnectionString(storage.connectionString);
  const tables = TableServiceClient.fromConnectionString(storage.connectionString, {
    allowInsecureConnection: true,
  });
  await Promise.all([
    ...[...READY_QUEUES, FAILED_QUEUE, SUCCESS_QUEUE].map((q) =>
      queues.getQueueClient(q).createIfNotExists(),
    ),
    ...TEMP_CONTAINERS.map((c) => blobs.getContainerClient(c).createIfNotExists()),
    tables.createTable(STATUS_TABLE),
  ]);
}
