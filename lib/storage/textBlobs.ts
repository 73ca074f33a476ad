/**
 * Small text files in the backup containers (schema snapshots), over `@azure/storage-blob`. The
 * control plane authenticates with its own identity (or, against Azurite, the emulator account key).
 */
import type { StorageSharedKeyCredential } from '@azure/storage-blob';
import { ContainerClient, RestError } from '@azure/storage-blob';
import type { TokenCredential } from '@azure/identity';

/** Reads and writes text blobs by container URL and blob name. */
export interface TextBlobStore {
  /** Writes (or overwrites) `blobName` in the container; creates the container when missing. Returns the blob URL. */
  writeText(containerUrl: string, blobName: string, text: string): Promise<string>;
  /** The blob under `prefix` whose name sorts last, with its text; undefined when there is none. */
  latestText(containerUrl: string, prefix: string): Promise<{ name: string; text: string } | undefined>;
}

/** Credential for the backup containers. */
export type BlobCredential = TokenCredential | StorageSharedKeyCredential;

function isContainerMissing(error: unknown): boolean {
  return (
    error instanceof RestError && error.statusCode === 404 && /ContainerNotFound/i.test(String(error.code))
  );
}

/** A {@link TextBlobStore} over the given credential. */
export function createTextBlobStore(credential: BlobCredential): TextBlobStore {
  const clients = new Map<string, ContainerClient>();
  const containerClient = (url: string): ContainerClient => {
    let client = clients.get(url);
    if (!client) {
      client = new ContainerClient(url, credential);
      clients.set(url, client);
    }
    return client;
  };
  return {
    async writeText(containerUrl, blobName, text) {
      const container = containerClient(containerUrl);
      const blob = container.getBlockBlobClient(blobName);
      const body = Buffer.from(text, 'utf8');
      const options = { blobHTTPHeaders: { blobContentType: 'text/plain; charset=utf-8' } };
      try {
        await blob.upload(body, body.byteLength, options);
      } catch (error) {
        // A fresh deployment may not have created the container yet; ADX exports create it too.
        if (!isContainerMissing(error)) throw error;
        await container.createIfNotExists();
        await blob.upload(body, body.byteLength, options);
      }
      return blob.url;
    },
    async latestText(containerUrl, prefix) {
      const container = containerClient(containerUrl);
      let latest: string | undefined;
      try {
        for await (const item of container.listBlobsFlat({ prefix })) {
          if (latest === undefined || item.name > latest) latest = item.name;
        }
      } catch (error) {
        if (isContainerMissing(error)) return undefined;
        throw error;
      }
      if (latest === undefined) return undefined;
      const buffer = await container.getBlobClient(latest).downloadToBuffer();
      return { name: latest, text: buffer.toString('utf8') };
    },
  };
}
