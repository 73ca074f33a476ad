/**
 * Where a backup artifact lives, read from its blob URL (as the catalog stores it): account,
 * container, folder and file name, so a scrub can point ADX at exactly that file (folder connection
 * string + `namePrefix`) and write its replacement into the same folder.
 */
import { ValidationError } from '../errors';
import { isLoopbackHost } from '../kusto/auth';
import type { StorageAuth, StorageTarget } from '../kusto/quote';
import { validateContainer, validateStorageAccount } from '../kusto/quote';

/** An artifact's blob URL split into parts. */
export interface ArtifactLocation {
  readonly account: string;
  readonly container: string;
  /** Decoded path segments between the container and the file. */
  readonly folder: readonly string[];
  readonly fileName: string;
  /** Blob endpoint when it is not `https://<account>.blob.core.windows.net` (other clouds, Azurite). */
  readonly endpoint?: string;
  /** The folder's URL (artifacts with the same one share a folder). */
  readonly folderUrl: string;
}

/**
 * Parses `https://<account>.blob.<suffix>/<container>/<folder...>/<file>` or, for a local storage
 * emulator, `http://127.0.0.1:<port>/<account>/<container>/<folder...>/<file>`.
 * @throws ValidationError (field `path`) for anything else, including URLs carrying a SAS.
 */
export function parseArtifactUrl(url: string, field = 'path'): ArtifactLocation {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValidationError(field, 'is not an artifact URL');
  }
  if (parsed.username || parsed.password || parsed.search || parsed.hash) {
    throw new ValidationError(field, 'must not contain credentials, a query (SAS) or a fragment');
  }
  const loopback = isLoopbackHost(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) {
    throw new ValidationError(field, 'must be an https URL (http only for a loopback storage emulator)');
  }
  let segments: string[];
  try {
    segments = parsed.pathname
      .split('/')
      .filter((s) => s !== '')
      .map((s) => decodeURIComponent(s));
  } catch {
    throw new ValidationError(field, 'has an invalid percent-encoding');
  }
  const account = loopback ? segments.shift() : parsed.hostname.split('.')[0];
  const [container, ...rest] = segments;
  const fileName = rest.pop();
  if (!account || !container || !fileName) {
    throw new ValidationError(field, 'must name an account, a container and a file');
  }
  validateStorageAccount(account, field);
  validateContainer(container, field);
  const standard = !loopback && parsed.host.toLowerCase() === `${account}.blob.core.windows.net`;
  const endpoint = loopback ? `${parsed.protocol}//${parsed.host}/${account}` : `https://${parsed.host}`;
  const path = parsed.pathname;
  return {
    account,
    container,
    folder: rest,
    fileName,
    ...(standard ? {} : { endpoint }),
    folderUrl: `${parsed.protocol}//${parsed.host}${path.slice(0, path.lastIndexOf('/'))}`,
  };
}

/** The storage target of an artifact's folder, for connection strings ADX reads and writes with. */
export function folderTarget(location: ArtifactLocation, auth: StorageAuth): StorageTarget {
  return {
    account: location.account,
    container: location.container,
    path: location.folder,
    auth,
    ...(location.endpoint === undefined ? {} : { endpoint: location.endpoint }),
  };
}
