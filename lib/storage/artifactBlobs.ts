/**
 * Blob access for the catalog's reconcile and the verification: listing a table's folder (with
 * sizes and write times), ranged reads (parquet footers) and moving a file within its container
 * (quarantine). URLs are the catalog's canonical blob URLs. Azure storage is reached with the app's
 * identity; a loopback storage emulator through its connection string, since tokens are never sent
 * over plain http.
 */
import type { TokenCredential } from '@azure/identity';
import type { StorageSharedKeyCredential } from '@azure/storage-blob';
import { BlobServiceClient, ContainerClient, RestError } from '@azure/storage-blob';
import { parseArtifactUrl } from '../deletions/artifactLocation';
import { isLoopbackHost } from '../kusto/auth';

/** One listed blob. */
export interface ListedBlob {
  readonly url: string;
  readonly name: string;
  readonly size: number;
  readonly lastModified: Date;
}

/** What the catalog and verification do with artifact blobs. */
export interface ArtifactBlobStore {
  /** Every blob under `prefix` in the container (none when the container does not exist). */
  list(containerUrl: string, prefix: string): Promise<ListedBlob[]>;
  /** Size in bytes of a blob. */
  size(url: string): Promise<number>;
  /** `count` bytes from `offset` (one ranged GET). */
  readRange(url: string, offset: number, count: number): Promise<Uint8Array>;
  /** Copies the blob to `toBlobName` in the same container, then deletes it; returns the new URL. */
  move(url: string, toBlobName: string): Promise<string>;
}

/**
 * A blob URL split into its container URL and (decoded) blob name; path-style on loopback hosts
 * (`http://127.0.0.1:port/<account>/<container>/<name>`).
 * @throws ValidationError (field `path`) when the URL names no container and blob.
 */
export function splitBlobUrl(url: string): { containerUrl: string; blobName: string } {
  const location = parseArtifactUrl(url);
  const parsed = new URL(url);
  const skip = isLoopbackHost(parsed.hostname) ? 2 : 1;
  const segments = parsed.pathname.split('/').filter((s) => s !== '');
  return {
    containerUrl: `${parsed.protocol}//${parsed.host}/${segments.slice(0, skip).join('/')}`,
    blobName: [...location.folder, location.fileName].join('/'),
  };
}

/** How to reach storage: a credential, and for a loopback emulator its connection string. */
export interface BlobAccess {
  readonly credential: TokenCredential | StorageSharedKeyCredential;
  readonly emulatorConnectionString?: string;
}

/** An {@link ArtifactBlobStore} over `@azure/storage-blob`. */
export function createArtifactBlobStore(access: BlobAccess): ArtifactBlobStore {
  const containers = new Map<string, ContainerClient>();
  const containerClient = (containerUrl: string): ContainerClient => {
    let client = containers.get(containerUrl);
    if (client) return client;
    const url = new URL(containerUrl);
    const emulator = access.emulatorConnectionString;
    if (url.protocol === 'http:' && isLoopbackHost(url.hostname) && emulator !== undefined) {
      const container = decodeURIComponent(url.pathname.split('/').filter((s) => s !== '')[1] ?? '');
      client = BlobServiceClient.fromConnectionString(emulator).getContainerClient(container);
    } else {
      client = new ContainerClient(containerUrl, access.credential);
    }
    containers.set(containerUrl, client);
    return client;
  };
  const blobClient = (url: string) => {
    const { containerUrl, blobName } = splitBlobUrl(url);
    return { container: containerClient(containerUrl), name: blobName };
  };
  return {
    async list(containerUrl, prefix) {
      const client = containerClient(containerUrl);
      const out: ListedBlob[] = [];
      try {
        for await (const item of client.listBlobsFlat({ prefix })) {
          out.push({
            url: client.getBlobClient(item.name).url,
            name: item.name,
            size: item.properties.contentLength ?? 0,
            lastModified: item.properties.lastModified,
          });
        }
      } catch (error) {
        if (error instanceof RestError && error.statusCode === 404) return [];
        throw error;
      }
      return out;
    },
    async size(url) {
      const { container, name } = blobClient(url);
      const props = await container.getBlobClient(name).getProperties();
      return props.contentLength ?? 0;
    },
    async readRange(url, offset, count) {
      const { container, name } = blobClient(url);
      const buffer = await container.getBlobClient(name).downloadToBuffer(offset, count);
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    },
    async move(url, toBlobName) {
      const { container, name } = blobClient(url);
      const source = container.getBlobClient(name);
      const target = container.getBlobClient(toBlobName);
      const poller = await target.beginCopyFromURL(source.url);
      await poller.pollUntilDone();
      await source.deleteIfExists();
      return target.url;
    },
  };
}
