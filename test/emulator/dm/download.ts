/**
 * Downloads an ingestion source. An Azurite URL carrying a SAS is fetched with exactly that SAS, so
 * Azurite enforces it as Azure Storage would; a URL with a Kusto credential suffix (`;impersonate`,
 * `;managed_identity=...`), with none, or in cloud form (`https://acct.blob.core.windows.net/...`)
 * goes through the emulator's blob store, which stands in for the cluster's own identity and maps
 * cloud URLs onto Azurite. Storage errors map to the documented `Download_*` codes.
 */
import { BlobClient } from '@azure/storage-blob';
import type { EmulatorCore } from '../core';
import { permanent, transient } from './errors';
import { withoutSecrets } from './message';

/** Storage retries kept short: sources live in local Azurite, where a failure does not heal in seconds. */
const RETRY = { maxTries: 3, retryDelayInMs: 50, maxRetryDelayInMs: 200 };

function statusOf(error: unknown): number | undefined {
  const e = error as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } } | null;
  const s = e?.statusCode ?? e?.status ?? e?.response?.status;
  return typeof s === 'number' ? s : undefined;
}

/** Downloads the source; throws a permanent or transient IngestionError when it cannot. */
export async function downloadSource(core: EmulatorCore, sourcePath: string): Promise<Uint8Array> {
  const path = sourcePath.trim();
  if (path === '') throw permanent('BadRequest_EmptyBlobUri', 'Blob Uri is empty.');
  const [url = ''] = path.split(';');
  const shown = withoutSecrets(path);
  try {
    const local = url.startsWith(`${core.state.storage.blobUrl.replace(/\/+$/, '')}/`);
    if (local && /[?&]sig=/i.test(url)) {
      const buffer = await new BlobClient(url, undefined, { retryOptions: RETRY }).downloadToBuffer();
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    }
    return await core.blobs.downloadUrl(url);
  } catch (error) {
    const status = statusOf(error);
    if (status === 404) {
      throw permanent(
        'Download_SourceNotFound',
        `Failed to download source from Azure Storage. Source not found: ${shown}`,
      );
    }
    if (status === 403 || status === 401) {
      throw permanent(
        'Download_Forbidden',
        `Failed to download source from Azure Storage. Access forbidden: ${shown}`,
      );
    }
    if (status === 400 || (error instanceof TypeError && /invalid url/i.test(error.message))) {
      throw permanent(
        'Download_BadRequest',
        `Failed to download source from Azure Storage (bad request): ${shown}`,
      );
    }
    throw transient(
      'Download_UnknownError',
      `Failed to download source from Azure Storage. Unknown error: ${(error as Error).message}`,
    );
  }
}
