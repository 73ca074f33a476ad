/**
 * Event Grid stand-in: posts `Microsoft.Storage.BlobCreated` events (Event Grid schema, reference
 * §5.2) to a webhook for every blob an export writes. Delivery is fire-and-forget like the real
 * service's: failures are counted, never surfaced to the export. Faults can drop or duplicate
 * deliveries (Event Grid is at-least-once, and subscribers must tolerate both).
 */
import { BlobServiceClient } from '@azure/storage-blob';
import { randomUUID } from 'node:crypto';
import type { EventGridPublisher } from '../core';
import type { Faults } from '../faults';
import type { StorageEndpoints } from '../state';

/** Delivery counters (for tests and diagnostics). */
export interface EventGridStats {
  /** Events handed to the publisher while a target was set. */
  published: number;
  /** POSTs answered with a 2xx. */
  delivered: number;
  /** POSTs that failed (network error or non-2xx). */
  failed: number;
  /** Events dropped by fault injection. */
  dropped: number;
  /** Events sent twice by fault injection. */
  duplicated: number;
}

/** The publisher plus its controls. */
export interface EventGridControl extends EventGridPublisher {
  /** Sets (or clears) the webhook URL; no events are sent without one. */
  setTarget(url?: string): void;
  /** Resolves when every delivery started so far has finished. */
  idle(): Promise<void>;
  readonly stats: Readonly<EventGridStats>;
}

/** Options: the webhook and, optionally, the clock that stamps `eventTime` (defaults to wall time). */
export interface EventGridOptions {
  readonly url?: string;
  readonly now?: () => number;
}

/** A BlobCreated event in the Event Grid schema. */
export interface BlobCreatedEvent {
  readonly topic: string;
  readonly subject: string;
  readonly eventType: 'Microsoft.Storage.BlobCreated';
  readonly eventTime: string;
  readonly id: string;
  readonly data: {
    readonly api: 'PutBlob' | 'PutBlockList';
    readonly clientRequestId: string;
    readonly requestId: string;
    readonly eTag: string;
    readonly contentType: string;
    readonly contentLength: number;
    readonly blobType: 'BlockBlob';
    readonly url: string;
    readonly sequencer: string;
    readonly storageDiagnostics: { readonly batchId: string };
  };
  readonly dataVersion: '';
  readonly metadataVersion: '1';
}

/** Blobs at or above this size are uploaded in blocks by real writers (PutBlockList instead of PutBlob). */
const SINGLE_PUT_LIMIT = 256 * 1024 * 1024;

/** Creates the publisher. */
export function createEventGridPublisher(
  opts: EventGridOptions,
  storage: StorageEndpoints,
  faults: Faults,
): EventGridControl {
  let target = opts.url;
  const now = opts.now ?? Date.now;
  const service = BlobServiceClient.fromConnectionString(storage.connectionString);
  const pending = new Set<Promise<void>>();
  const stats: EventGridStats = { published: 0, delivered: 0, failed: 0, dropped: 0, duplicated: 0 };
  let sequence = 0n;
  const topic = `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/emulator/providers/Microsoft.Storage/storageAccounts/${storage.account}`;

  const buildEvent = async (container: string, blobName: string, size: number): Promise<BlobCreatedEvent> => {
    const blob = service.getContainerClient(container).getBlobClient(blobName);
    // The real event carries the committed blob's eTag and content type; read them back when possible.
    let eTag = `"0x${Date.now().toString(16).toUpperCase()}"`;
    let contentType = 'application/octet-stream';
    try {
      const props = await blob.getProperties();
      eTag = props.etag ?? eTag;
      contentType = props.contentType ?? contentType;
    } catch {
      // Blob gone already: the event still describes the write.
    }
    sequence += 1n;
    return {
      topic,
      subject: `/blobServices/default/containers/${container}/blobs/${blobName}`,
      eventType: 'Microsoft.Storage.BlobCreated',
      eventTime: new Date(now()).toISOString().replace('Z', '0000Z'),
      id: randomUUID(),
      data: {
        api: size >= SINGLE_PUT_LIMIT ? 'PutBlockList' : 'PutBlob',
        clientRequestId: randomUUID(),
        requestId: randomUUID(),
        eTag,
        contentType,
        contentLength: size,
        blobType: 'BlockBlob',
        url: blob.url,
        sequencer: sequence.toString(16).padStart(32, '0'),
        storageDiagnostics: { batchId: randomUUID() },
      },
      dataVersion: '',
      metadataVersion: '1',
    };
  };

  const post = async (url: string, event: BlobCreatedEvent): Promise<void> => {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'aeg-event-type': 'Notification' },
        body: JSON.stringify([event]),
      });
      await response.arrayBuffer();
      if (response.ok) stats.delivered += 1;
      else stats.failed += 1;
    } catch {
      stats.failed += 1;
    }
  };

  const deliver = async (url: string, container: string, blobName: string, size: number): Promise<void> => {
    const event = await buildEvent(container, blobName, size);
    if (faults.eventGridDropNext > 0) {
      faults.eventGridDropNext -= 1;
      stats.dropped += 1;
      return;
    }
    const copies = faults.eventGridDuplicateNext > 0 ? 2 : 1;
    if (copies === 2) {
      faults.eventGridDuplicateNext -= 1;
      stats.duplicated += 1;
    }
    // A duplicate is the same event (same id) delivered again, as Event Grid retries do.
    for (let i = 0; i < copies; i++) await post(url, event);
  };

  return {
    stats,
    setTarget(url) {
      target = url;
    },
    blobCreated(container, blobName, size) {
      const url = target;
      if (!url) return Promise.resolve();
      stats.published += 1;
      const delivery = deliver(url, container, blobName, size).catch(() => {
        stats.failed += 1;
      });
      pending.add(delivery);
      void delivery.finally(() => pending.delete(delivery));
      return delivery;
    },
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
