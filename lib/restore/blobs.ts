/**
 * What a restore reads from the backup containers: schema snapshots (small text blobs), the partition
 * folders of a table, the files of a folder the catalog does not know, and parquet footers (row
 * counts of such files). Azure storage is reached with the app's identity; a loopback storage
 * emulator through its connection string, since tokens are never sent over plain http.
 */
import type { TokenCredential } from '@azure/identity';
import type { StorageSharedKeyCredential } from '@azure/storage-blob';
import { BlobServiceClient, ContainerClient, RestError } from '@azure/storage-blob';
import { parquetMetadataAsync } from 'hyparquet';
import { isLoopbackHost } from '../kusto/auth';

/** One listed blob. */
export interface RestoreBlob {
  /** Blob URL without SAS. */
  readonly url: string;
  readonly name: string;
  readonly size: number;
  readonly lastModified: Date;
}

/** The storage reads of a restore. */
export interface RestoreBlobs {
  /** Names of the blobs under `prefix` (none when the container does not exist). */
  listNames(containerUrl: string, prefix: string): Promise<string[]>;
  /** The text of a blob. */
  readText(containerUrl: string, blobName: string): Promise<string>;
  /** The immediate sub-folders of `prefix` (which ends with `/`), as full prefixes ending with `/`. */
  listFolders(containerUrl: string, prefix: string): Promise<string[]>;
  /** The blobs directly or indirectly under `prefix`. */
  listBlobs(containerUrl: string, prefix: string): Promise<RestoreBlob[]>;
  /** Rows a parquet file declares in its footer (ranged reads only; its size is read when not given). */
  parquetRowCount(url: string, size: number | null): Promise<number>;
}

/** How to reach storage. */
export interface RestoreBlobAccess {
  readonly credential: TokenCredential | StorageSharedKeyCredential;
  /** Connection string of a loopback storage emulator (Azurite), used for its http URLs. */
  readonly emulatorConnectionString?: string;
}

/** Bytes read from the end of a file first: footers of backup files are a few KiB. */
const TAIL_BYTES = 64 * 1024;

const notFound = (error: unknown): boolean => error instanceof RestError && error.statusCode === 404;

/** A {@link RestoreBlobs} over `@azure/storage-blob`. */
export function createRestoreBlobs(access: RestoreBlobAccess): RestoreBlobs {
  const clients = new Map<string, ContainerClient>();
  const container = (containerUrl: string): ContainerClient => {
    let client = clients.get(containerUrl);
    if (client) return client;
    const url = new URL(containerUrl);
    const emulator = access.emulatorConnectionString;
    if (url.protocol === 'http:' && isLoopbackHost(url.hostname) && emulator !== undefined) {
      const name = decodeURIComponent(url.pathname.split('/').filter((s) => s !== '')[1] ?? '');
      client = BlobServiceClient.fromConnectionString(emulator).getContainerClient(name);
    } else {
      client = new ContainerClient(containerUrl, access.credential);
    }
    clients.set(containerUrl, client);
    return client;
  };
  /** The container URL and blob name of a blob URL (path-style on loopback hosts). */
  const locate = (blobUrl: string): { containerUrl: string; name: string } => {
    const url = new URL(blobUrl);
    const segments = url.pathname.split('/').filter((s) => s !== '');
    const skip = isLoopbackHost(url.hostname) ? 2 : 1;
    return {
      containerUrl: `${url.protocol}//${url.host}/${segments.slice(0, skip).join('/')}`,
      name: segments.slice(skip).map(decodeURIComponent).join('/'),
    };
  };
  return {
    async listNames(containerUrl, prefix) {
      const out: string[] = [];
      try {
        for await (const item of container(containerUrl).listBlobsFlat({ prefix })) out.push(item.name);
      } catch (error) {
        if (!notFound(error)) throw error;
      }
      return out;
    },
    async readText(containerUrl, blobName) {
      const buffer = await container(containerUrl).getBlobClient(blobName).downloadToBuffer();
      return buffer.toString('utf8');
    },
    async listFolders(containerUrl, prefix) {
      const out: string[] = [];
      try {
        for await (const item of container(containerUrl).listBlobsByHierarchy('/', { prefix })) {
          if (item.kind === 'prefix') out.push(item.name);
        }
      } catch (error) {
        if (!notFound(error)) throw error;
      }
      return out;
    },
    async listBlobs(containerUrl, prefix) {
      const client = container(containerUrl);
      const out: RestoreBlob[] = [];
      try {
        for await (const item of client.listBlobsFlat({ prefix })) {
          out.push({
            url: `${containerUrl.replace(/\/+$/, '')}/${item.name.split('/').map(encodeURIComponent).join('/')}`,
            name: item.name,
            size: item.properties.contentLength ?? 0,
            lastModified: item.properties.lastModified,
          });
        }
      } catch (error) {
        if (!notFound(error)) throw error;
      }
      return out;
    },
    async parquetRowCount(url, knownSize) {
      const { containerUrl, name } = locate(url);
      const blob = container(containerUrl).getBlobClient(name);
      const size = knownSize ?? (await blob.getProperties()).contentLength ?? 0;
      const metadata = await parquetMetadataAsync(
        {
          byteLength: size,
          async slice(start: number, end?: number): Promise<ArrayBuffer> {
            const buffer = await blob.downloadToBuffer(start, (end ?? size) - start);
            return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength).slice().buffer;
          },
        },
        { initialFetchSize: TAIL_BYTES },
      );
      return Number(metadata.num_rows);
    },
  };
}
