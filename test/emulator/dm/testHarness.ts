/**
 * Test harness for the data-management module: a running emulator (`startEmulator`, with its own
 * Azurite) plus the helpers these tests share: a blob container to upload sources to, table creation
 * and access to the queues.
 */
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import type { EmulatorCore } from '../core';
import type { Faults } from '../faults';
import { startEmulator, type EmulatorHandle } from '../index';
import type { EmulatorState, StorageEndpoints } from '../state';
import { createTable } from '../tables';
import type { Column } from '../values';
import { accountSas } from './resources';

/** A running emulator and the helpers the data-management tests share. */
export interface DmHarness {
  readonly emulator: EmulatorHandle;
  readonly core: EmulatorCore;
  readonly state: EmulatorState;
  readonly faults: Faults;
  readonly storage: StorageEndpoints;
  /** `http://127.0.0.1:<port>`: engine and DM endpoint. */
  readonly url: string;
  /** A container for test sources (created). */
  readonly sources: ContainerClient;
  /** Uploads a source and returns its URL with an account SAS, as a backup reader would hold it. */
  upload(name: string, data: Uint8Array | string): Promise<{ url: string; size: number }>;
  /** Creates (or replaces with an empty one) a table. */
  resetTable(database: string, table: string, columns: readonly Column[]): void;
  drain(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts an emulator (its consumer running) and a source container. */
export async function startDmHarness(): Promise<DmHarness> {
  const emulator = await startEmulator({ start: new Date(Date.UTC(2026, 0, 10)) });
  const sources = BlobServiceClient.fromConnectionString(
    emulator.storage.connectionString,
  ).getContainerClient('sources');
  await sources.createIfNotExists();
  return {
    emulator,
    core: emulator.core,
    state: emulator.state,
    faults: emulator.faults,
    storage: emulator.storage,
    url: emulator.url,
    sources,
    async upload(name, data) {
      const blob = sources.getBlockBlobClient(name);
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      await blob.uploadData(bytes);
      return { url: `${blob.url}?${accountSas(emulator.storage)}`, size: bytes.length };
    },
    resetTable(database, table, columns) {
      const db = emulator.createDatabase(database);
      db.tables.delete(table);
      createTable(db, table, columns);
    },
    drain: () => emulator.drainIngestion(),
    stop: () => emulator.stop(),
  };
}
