/**
 * Where a backup lives in storage: backup container URLs, the folder of each table
 * (`<container>/<database>/<table>/yyyyMMdd/...`), schema snapshots
 * (`<container>/<database>/_schema/<utc timestamp>.kql`) and what an artifact's path says about it.
 */
import { ValidationError } from '../errors';
import { isLoopbackHost } from '../kusto/auth';
import type { StorageAuth, StorageTarget } from '../kusto/quote';
import { storageConnectionString, validateContainer, validateStorageAccount } from '../kusto/quote';

/** A backup container URL split into the parts a Kusto connection string is built from. */
export interface ContainerLocation {
  readonly account: string;
  readonly container: string;
  /** Blob endpoint when it is not `https://<account>.blob.core.windows.net` (other clouds, Azurite). */
  readonly endpoint?: string;
}

/**
 * Parses `https://<account>.blob.<suffix>/<container>` or, for a local storage emulator,
 * the path-style `http://127.0.0.1:<port>/<account>/<container>`.
 * @throws ValidationError naming `field`.
 */
export function parseContainerUrl(url: string, field: string): ContainerLocation {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValidationError(
      field,
      'must be a blob container URL like https://account.blob.core.windows.net/container',
    );
  }
  if (parsed.username || parsed.password || parsed.search || parsed.hash) {
    throw new ValidationError(field, 'must not contain credentials, a query (SAS) or a fragment');
  }
  const segments = parsed.pathname.split('/').filter((s) => s !== '');
  const loopback = isLoopbackHost(parsed.hostname);
  if (parsed.protocol === 'http:' && !loopback) {
    throw new ValidationError(field, 'must use https (http is allowed only for a loopback storage emulator)');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ValidationError(field, 'must be an https URL');
  }
  if (loopback) {
    if (segments.length !== 2)
      throw new ValidationError(field, 'must be http://host:port/<account>/<container>');
    const account = validateStorageAccount(segments[0], field);
    return {
      account,
      container: validateContainer(segments[1], field),
      endpoint: `${parsed.protocol}//${parsed.host}/${account}`,
    };
  }
  if (segments.length !== 1)
    throw new ValidationError(field, 'must name exactly one container after the host');
  const account = validateStorageAccount(parsed.hostname.split('.')[0], field);
  const standard = parsed.hostname.toLowerCase() === `${account}.blob.core.windows.net` && parsed.port === '';
  return {
    account,
    container: validateContainer(segments[0], field),
    ...(standard ? {} : { endpoint: `https://${parsed.host}` }),
  };
}

/** The storage target of one table's backup in one container: `<container>/<database>/<table>`. */
export function tableBackupTarget(
  containerUrl: string,
  database: string,
  table: string,
  auth: StorageAuth,
  field = 'containers',
): StorageTarget {
  const location = parseContainerUrl(containerUrl, field);
  return { ...location, path: [database, table], auth };
}

/** The connection strings (one per container) of a table's backup, exactly as the builders emit them. */
export function tableConnectionStrings(
  containers: readonly string[],
  database: string,
  table: string,
  auth: StorageAuth,
): string[] {
  return containers.map((c, i) =>
    storageConnectionString(
      tableBackupTarget(c, database, table, auth, `containers[${i}]`),
      `containers[${i}]`,
    ),
  );
}

/** Folder (blob name prefix) of a database's schema snapshots. */
export function schemaSnapshotPrefix(database: string): string {
  return `${database}/_schema/`;
}

/** Blob name of the schema snapshot taken at `at`: `<database>/_schema/20260101T000000Z.kql` (sorts by time). */
export function schemaSnapshotBlobName(database: string, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
  return `${schemaSnapshotPrefix(database)}${stamp}.kql`;
}

/** An artifact URL without its query string (SAS tokens must never reach the catalog). */
export function withoutQuery(url: string): string {
  const at = url.indexOf('?');
  return at < 0 ? url : url.slice(0, at);
}

/**
 * The partition day (`yyyy-MM-dd`) of an artifact of a partitioned table: the `yyyyMMdd` folder its
 * file sits in. Null for unpartitioned tables (whose own name may look like a date) and for rows
 * with no partition value (`__DEFAULT_PARTITION__`).
 */
export function artifactPartitionDate(path: string, partitioned: boolean): string | null {
  if (!partitioned) return null;
  const segments = withoutQuery(path).split('/');
  const folder = segments[segments.length - 2] ?? '';
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(folder);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}
