/**
 * Verification reports in the backup containers, beside the data they describe:
 * `<container>/_reports/verify/<database>/<yyyyMMddTHHmmssZ>.json` and `.html` (names sort by time).
 */
import type { TokenCredential } from '@azure/identity';
import type { StorageSharedKeyCredential } from '@azure/storage-blob';
import { BlobServiceClient, ContainerClient, RestError } from '@azure/storage-blob';
import { isLoopbackHost } from '../kusto/auth';

/** Folder of a database's reports inside a container. */
export function verifyReportPrefix(database: string): string {
  return `_reports/verify/${database}/`;
}

/** Blob name (without extension) of a report started at `at`. */
export function verifyReportName(database: string, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
  return `${verifyReportPrefix(database)}${stamp}`;
}

/** Writes and reads reports. */
export interface VerifyReportStore {
  /** Writes both renderings; returns their URLs. */
  write(
    containerUrl: string,
    baseName: string,
    json: string,
    html: string,
  ): Promise<{ json: string; html: string }>;
  /** The newest report of a database (`json` or `html` rendering), or undefined. */
  latest(
    containerUrl: string,
    database: string,
    format: 'json' | 'html',
  ): Promise<{ name: string; text: string } | undefined>;
}

/** How to reach the containers: the app's credential, and a loopback emulator's connection string. */
export interface ReportStoreAccess {
  readonly credential: TokenCredential | StorageSharedKeyCredential;
  readonly emulatorConnectionString?: string;
}

const CONTENT_TYPES = { json: 'application/json; charset=utf-8', html: 'text/html; charset=utf-8' } as const;

/** A {@link VerifyReportStore} over `@azure/storage-blob`. */
export function createVerifyReportStore(access: ReportStoreAccess): VerifyReportStore {
  const client = (containerUrl: string): ContainerClient => {
    const url = new URL(containerUrl);
    if (url.protocol === 'http:' && isLoopbackHost(url.hostname) && access.emulatorConnectionString) {
      const container = decodeURIComponent(url.pathname.split('/').filter((s) => s !== '')[1] ?? '');
      return BlobServiceClient.fromConnectionString(access.emulatorConnectionString).getContainerClient(
        container,
      );
    }
    return new ContainerClient(containerUrl, access.credential);
  };
  const put = async (container: ContainerClient, name: string, text: string, kind: 'json' | 'html') => {
    const blob = container.getBlockBlobClient(name);
    const body = Buffer.from(text, 'utf8');
    await blob.upload(body, body.byteLength, { blobHTTPHeaders: { blobContentType: CONTENT_TYPES[kind] } });
    return blob.url;
  };
  return {
    async write(containerUrl, baseName, json, html) {
      const container = client(containerUrl);
      await container.createIfNotExists();
      return {
        json: await put(container, `${baseName}.json`, json, 'json'),
        html: await put(container, `${baseName}.html`, html, 'html'),
      };
    },
    async latest(containerUrl, database, format) {
      const container = client(containerUrl);
      let latest: string | undefined;
      try {
        for await (const item of container.listBlobsFlat({ prefix: verifyReportPrefix(database) })) {
          if (item.name.endsWith(`.${format}`) && (latest === undefined || item.name > latest))
            latest = item.name;
        }
      } catch (error) {
        if (error instanceof RestError && error.statusCode === 404) return undefined;
        throw error;
      }
      if (latest === undefined) return undefined;
      const buffer = await container.getBlobClient(latest).downloadToBuffer();
      return { name: latest, text: buffer.toString('utf8') };
    },
  };
}
