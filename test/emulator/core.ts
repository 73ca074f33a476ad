/**
 * The emulator's shared core: state, faults and the services each part provides. Command handlers
 * receive it through `CommandInvocation.core`.
 */
import type { EmulatorState } from './state';
import type { Faults } from './faults';
import type { QueryEnv } from './kql/types';

/** Reads and writes export artifacts and external-table data in Azurite (owned by the export module). */
export interface BlobStore {
  /** Maps a Kusto storage connection string (https://acct.blob.core.windows.net/container[/path];auth) to Azurite. */
  resolve(connectionString: string): { container: string; prefix: string; url: string };
  upload(container: string, blobName: string, data: Uint8Array): Promise<{ url: string; size: number }>;
  list(container: string, prefix: string): Promise<{ name: string; url: string; size: number }[]>;
  download(container: string, blobName: string): Promise<Uint8Array>;
  /** Downloads by any Azurite blob URL (with or without SAS). */
  downloadUrl(url: string): Promise<Uint8Array>;
}

/** Publishes Microsoft.Storage.BlobCreated events to a webhook (owned by the Event Grid module). */
export interface EventGridPublisher {
  blobCreated(container: string, blobName: string, size: number): Promise<void>;
}

/** Runs exports (owned by the export module). */
export interface ExportEngine {
  /** Runs every enabled continuous export whose interval has elapsed. */
  runDueContinuousExports(): Promise<void>;
  /** Resolves when no async operation is running. */
  idle(): Promise<void>;
}

/** Consumes ingestion queues (owned by the data-management module). */
export interface IngestionEngine {
  /** Resolves when every queued ingestion message has been processed. */
  drain(): Promise<void>;
}

export interface EmulatorCore {
  readonly state: EmulatorState;
  readonly faults: Faults;
  readonly blobs: BlobStore;
  readonly eventGrid: EventGridPublisher;
  readonly exports: ExportEngine;
  readonly ingestion: IngestionEngine;
  /** Query environment for a database (tables, external tables, clock, cursor). */
  queryEnv(database: string): QueryEnv;
}
