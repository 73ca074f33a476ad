/**
 * What a blob URL says about a backup artifact: which container, database, table and partition day
 * it belongs to, following the layout setup creates (`<container>/<database>/<table>/yyyyMMdd/<file>`,
 * `<container>/<database>/<table>/<file>` for unpartitioned tables, `__DEFAULT_PARTITION__` for rows
 * without a partition value). Everything else in the containers (schema snapshots, reports,
 * quarantined orphans, foreign files) is outside the layout and never catalogued.
 *
 * Event Grid, `exported-artifacts`, operation details and blob listings may spell one file's URL
 * differently (dfs vs blob host, percent-encoding), while the catalog is keyed by the exact path, so
 * every URL is brought to one canonical form first.
 */
import { parseArtifactUrl } from '../deletions/artifactLocation';
import { ValidationError } from '../errors';
import { validateName } from '../kusto/quote';
import { splitBlobUrl } from '../storage/artifactBlobs';

/** Top-level folders adx-backup writes that are not databases. */
const RESERVED_TOP = new Set(['_reports', '_orphans']);
/** Per-database folders that are not tables. */
const RESERVED_TABLE = new Set(['_schema']);
/** Folder of rows whose partition value is null (reference §1.6). */
const DEFAULT_PARTITION = '__DEFAULT_PARTITION__';

/** A backup artifact located from its URL. */
export interface BackupBlob {
  /** Canonical URL (blob endpoint, no query, canonical percent-encoding). */
  readonly url: string;
  /** URL of the container holding it. */
  readonly containerUrl: string;
  /** `account/container`, lower-case account: the same container whatever the endpoint spelling. */
  readonly containerKey: string;
  /** Blob name inside the container. */
  readonly blobName: string;
  readonly database: string;
  readonly table: string;
  /** False for files directly in the table folder (tables without a datetime column). */
  readonly partitioned: boolean;
  /** `yyyy-MM-dd`, or null (unpartitioned, or the default partition). */
  readonly partitionDate: string | null;
}

/** A blob that is an artifact of the backup layout, or why it is not one. */
export type BlobClassification =
  | { readonly kind: 'artifact'; readonly blob: BackupBlob }
  | { readonly kind: 'outside-layout'; readonly reason: string };

/**
 * The canonical form of a blob URL: ADLS `dfs` host mapped to the `blob` host, query (SAS) and
 * fragment dropped, each path segment decoded and re-encoded with `encodeURIComponent`.
 * @throws ValidationError (field `field`) when it is not an absolute http(s) URL.
 */
export function canonicalBlobUrl(url: string, field = 'url'): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValidationError(field, 'is not a blob URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new ValidationError(field, 'must be an http(s) blob URL');
  const host = parsed.host.replace(/^([^.]+)\.dfs\./i, '$1.blob.');
  let segments: string[];
  try {
    segments = parsed.pathname.split('/').map((s) => encodeURIComponent(decodeURIComponent(s)));
  } catch {
    throw new ValidationError(field, 'has an invalid percent-encoding');
  }
  return `${parsed.protocol}//${host}${segments.join('/')}`;
}

/** `account/container` of a container or blob URL (path-style on loopback hosts). */
export function containerKeyOf(account: string, container: string): string {
  return `${account.toLowerCase()}/${container}`;
}

function dayOf(folder: string): string | null | undefined {
  if (folder === DEFAULT_PARTITION) return null;
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(folder);
  if (!m) return undefined;
  const iso = `${m[1]}-${m[2]}-${m[3]}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso ? undefined : iso;
}

function isName(value: string): boolean {
  try {
    validateName(value, 'name');
    return true;
  } catch {
    return false;
  }
}

/**
 * Locates a blob in the backup layout.
 * @throws ValidationError (field `field`) when the URL is not a blob URL at all.
 */
export function classifyBackupBlob(url: string, field = 'url'): BlobClassification {
  const canonical = canonicalBlobUrl(url, field);
  const location = parseArtifactUrl(canonical, field);
  const outside = (reason: string): BlobClassification => ({ kind: 'outside-layout', reason });
  const [database, table, folder, ...deeper] = location.folder;
  if (database === undefined || table === undefined) return outside('not inside a <database>/<table> folder');
  if (RESERVED_TOP.has(database) || RESERVED_TABLE.has(table))
    return outside(`'${database}/${table}' is an adx-backup folder, not a table's backup`);
  if (deeper.length > 0) return outside('nested deeper than <database>/<table>/<day>');
  if (!isName(database) || !isName(table)) return outside('folder names are not Kusto table names');
  if (!/\.parquet$/i.test(location.fileName)) return outside('not a parquet file');
  let partitionDate: string | null = null;
  if (folder !== undefined) {
    const day = dayOf(folder);
    if (day === undefined) return outside(`'${folder}' is not a yyyyMMdd partition folder`);
    partitionDate = day;
  }
  const { containerUrl, blobName } = splitBlobUrl(canonical);
  return {
    kind: 'artifact',
    blob: {
      url: canonical,
      containerUrl,
      containerKey: containerKeyOf(location.account, location.container),
      blobName,
      database,
      table,
      partitioned: folder !== undefined,
      partitionDate,
    },
  };
}

/** Where a quarantined orphan goes in its container: `_orphans/<its blob name>`. */
export function quarantineBlobName(blobName: string): string {
  return `_orphans/${blobName}`;
}
