/**
 * The emulator's storage: every Kusto storage connection string, whatever account it names, maps to
 * the same container name in the local Azurite account. Auth suffixes are accepted and ignored, the
 * cluster's own identity standing in for them (SAS-carrying ingestion URLs are fetched by the
 * ingestion module with their SAS instead).
 */
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import type { BlobStore } from '../core';
import type { StorageEndpoints } from '../state';
import { parseConnectionString } from './connectionStrings';

/** Encodes a blob name for a URL path, keeping its `/` separators. */
export function encodeBlobName(name: string): string {
  return name
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
}

/** Joins path parts with single `/`, dropping empty parts. */
export function joinPath(...parts: string[]): string {
  return parts
    .flatMap((p) => p.split('/'))
    .filter((p) => p !== '')
    .join('/');
}

/** Azurite (or any path-style) blob URL -> container and blob name; undefined when it is not one. */
function parseAzuriteUrl(
  url: string,
  storage: StorageEndpoints,
): { container: string; blobName: string } | undefined {
  const base = storage.blobUrl.replace(/\/+$/, '');
  const noQuery = url.split('?')[0] ?? url;
  if (!noQuery.startsWith(`${base}/`)) return undefined;
  const rest = noQuery.slice(base.length + 1);
  const slash = rest.indexOf('/');
  if (slash <= 0) return undefined;
  return {
    container: decodeURIComponent(rest.slice(0, slash)),
    blobName: rest
      .slice(slash + 1)
      .split('/')
      .map((s) => decodeURIComponent(s))
      .join('/'),
  };
}

/** Creates the blob store over the Azurite endpoints. */
export function createBlobStore(storage: StorageEndpoints): BlobStore {
  const service = BlobServiceClient.fromConnectionString(storage.connectionString);
  const base = storage.blobUrl.replace(/\/+$/, '');
  const ensured = new Map<string, Promise<unknown>>();

  const containerClient = (container: string): ContainerClient => service.getContainerClient(container);

  /** Creates a container once per process; exports write into containers nobody created explicitly. */
  const ensureContainer = async (container: string): Promise<void> => {
    let pending = ensured.get(container);
    if (!pending) {
      pending = containerClient(container)
        .createIfNotExists()
        .catch((error: unknown) => {
          ensured.delete(container);
          throw error;
        });
      ensured.set(container, pending);
    }
    await pending;
  };

  const download = async (container: string, blobName: string): Promise<Uint8Array> => {
    const buffer = await containerClient(container).getBlobClient(blobName).downloadToBuffer();
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  };

  return {
    resolve(connectionString) {
      const location = parseConnectionString(connectionString);
      const prefix = location.prefix;
      const url = `${base}/${encodeURIComponent(location.container)}${prefix ? `/${encodeBlobName(prefix)}` : ''}`;
      return { container: location.container, prefix, url };
    },

    async upload(container, blobName, data) {
      await ensureContainer(container);
      const client = containerClient(container).getBlockBlobClient(blobName);
      await client.upload(data, data.byteLength);
      return { url: client.url, size: data.byteLength };
    },

    async list(container, prefix) {
      const client = containerClient(container);
      if (!(await client.exists())) return [];
      const out: { name: string; url: string; size: number }[] = [];
      const normalized = prefix === '' ? undefined : prefix;
      for await (const blob of client.listBlobsFlat({ prefix: normalized })) {
        out.push({
          name: blob.name,
          url: client.getBlobClient(blob.name).url,
          size: blob.properties.contentLength ?? 0,
        });
      }
      return out;
    },

    download,

    async downloadUrl(url) {
      const local = parseAzuriteUrl(url, storage);
      if (local) return download(local.container, local.blobName);
      // A cloud-style URL (https://acct.blob.core.windows.net/container/blob): same container locally.
      const location = parseConnectionString(url);
      return download(location.container, location.prefix);
    },
  };
}
