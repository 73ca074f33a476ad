/**
 * Shared setup for the export-side tests: an emulator driven only through the real clients
 * (azure-kusto-data for commands and queries, @azure/storage-blob for what landed in storage).
 */
import { BlobServiceClient, type BlobClient, type ContainerClient } from '@azure/storage-blob';
import { Client } from 'azure-kusto-data';
import { readParquet } from '../parquet';
import { startEmulator, type EmulatorHandle } from '../index';
import type { KValue } from '../values';

/** A started emulator with clients. */
export interface Kit {
  readonly emu: EmulatorHandle;
  readonly kusto: Client;
  readonly blobs: BlobServiceClient;
  /** Runs a command or query and returns the primary result as plain objects. */
  run(text: string, database?: string): Promise<Record<string, unknown>[]>;
  /** Runs a command that must fail; returns the error's message text (OneApi `@message` when present). */
  fail(text: string, database?: string): Promise<string>;
  container(name: string): ContainerClient;
  /** Blob names under a prefix. */
  list(container: string, prefix?: string): Promise<string[]>;
  /** Rows of every parquet blob under a prefix, as objects keyed by column name. */
  readRows(container: string, prefix?: string): Promise<Record<string, KValue>[]>;
  /** Rows of one parquet artifact by its blob URL (as `exported-artifacts` lists it). */
  readArtifact(url: string): Promise<Record<string, KValue>[]>;
  stop(): Promise<void>;
}

async function parquetRows(blob: BlobClient): Promise<Record<string, KValue>[]> {
  const file = await readParquet(new Uint8Array(await blob.downloadToBuffer()));
  return file.rows.map((row) => Object.fromEntries(file.columns.map((c, i) => [c.name, row[i] ?? null])));
}

/** Error text of a failed client call: the OneApi message when the server sent one. */
export function errorText(error: unknown): string {
  const e = error as {
    response?: { data?: { error?: { '@message'?: string; message?: string } } };
    message?: string;
  };
  return (
    e.response?.data?.error?.['@message'] ?? e.response?.data?.error?.message ?? e.message ?? String(error)
  );
}

/** Starts an emulator with database `db` (virtual clock at 2026-01-01). */
export async function startKit(options: { eventGridUrl?: string } = {}): Promise<Kit> {
  const emu = await startEmulator({ databases: ['db'], eventGridUrl: options.eventGridUrl });
  const kusto = new Client(emu.url);
  const blobs = BlobServiceClient.fromConnectionString(emu.storage.connectionString);
  const run = async (text: string, database = 'db'): Promise<Record<string, unknown>[]> => {
    const result = await kusto.execute(database, text);
    const primary = result.primaryResults[0];
    if (!primary) return [];
    return [...primary.rows()].map((row) => row.toJSON<Record<string, unknown>>());
  };
  const list = async (container: string, prefix?: string): Promise<string[]> => {
    const client = blobs.getContainerClient(container);
    if (!(await client.exists())) return [];
    const names: string[] = [];
    for await (const blob of client.listBlobsFlat({ prefix })) names.push(blob.name);
    return names.sort();
  };
  return {
    emu,
    kusto,
    blobs,
    run,
    async fail(text, database = 'db') {
      try {
        await run(text, database);
      } catch (error) {
        return errorText(error);
      }
      throw new Error(`expected the command to fail: ${text}`);
    },
    container: (name) => blobs.getContainerClient(name),
    list,
    async readRows(container, prefix) {
      const out: Record<string, KValue>[] = [];
      for (const name of await list(container, prefix)) {
        if (name.endsWith('.parquet'))
          out.push(...(await parquetRows(blobs.getContainerClient(container).getBlobClient(name))));
      }
      return out;
    },
    async readArtifact(url) {
      const path = url.slice(emu.storage.blobUrl.length + 1).split('?')[0]!;
      const slash = path.indexOf('/');
      const container = decodeURIComponent(path.slice(0, slash));
      const name = path
        .slice(slash + 1)
        .split('/')
        .map(decodeURIComponent)
        .join('/');
      return parquetRows(blobs.getContainerClient(container).getBlobClient(name));
    },
    async stop() {
      emu.faults.reset();
      kusto.close();
      await emu.stop();
    },
  };
}

/** Epoch ms of an ISO date (test data). */
export const at = (iso: string): number => Date.parse(iso);
