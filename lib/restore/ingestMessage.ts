/**
 * The queued-ingestion message of one backup artifact, byte for byte what `azure-kusto-ingest`
 * (`IngestionBlobInfo`, reference §3.5) would put on the queue for the same blob and properties:
 * base64 of the JSON, same fields in the same order. A restore sends these itself (see
 * `ingestSender.ts` for why), so a test holds this against the SDK's own output.
 *
 * Idempotency: each artifact gets an `ingest-by:` tag derived from its path and is ingested only if
 * no extent of the staging table carries it yet (`ingestIfNotExists`), so queueing it again (a retry,
 * a re-run) never duplicates its rows. Every extent also carries the restore's own tag, which tells a
 * re-run that its rows have already been moved into the target.
 */
import { createHash } from 'node:crypto';
import type { StorageAuth } from '../kusto/quote';
import { managedIdentity } from '../kusto/quote';

/** `ReportLevel.FailuresOnly` and `ReportMethod.Queue`: the SDK's defaults. */
const FAILURES_ONLY = 0;
const REPORT_TO_QUEUE = 0;

/** What one message says. */
export interface IngestMessageSpec {
  /** The message id (a uuid v4, as the SDK requires). */
  readonly id: string;
  /** Blob URL without SAS; the storage credential suffix is added from `auth`. */
  readonly path: string;
  readonly auth: StorageAuth;
  readonly rawDataSize: number | null;
  readonly database: string;
  readonly table: string;
  readonly authorizationContext: string;
  /** Extent creation time (ISO); omitted for rows without a partition day. */
  readonly creationTime?: string;
  /** Plain extent tags (the restore's tag). */
  readonly tags: readonly string[];
  /** The artifact's key: tagged `ingest-by:<key>`, and ingested only if not present yet. */
  readonly ingestByKey: string;
  readonly now: Date;
  readonly application: string;
  readonly clientVersion: string;
}

/** The credential suffix ADX reads a backup blob with (never a key or SAS). */
export function credentialSuffix(auth: StorageAuth): string {
  return auth.kind === 'managedIdentity'
    ? `;managed_identity=${managedIdentity(auth.identity, 'storageAuth.identity')}`
    : ';impersonate';
}

/** The `ingest-by:` key of an artifact: stable for its path, short enough for an extent tag. */
export function artifactKey(path: string): string {
  return `adxbackup:${createHash('sha256').update(path).digest('hex').slice(0, 32)}`;
}

/** The tag every extent of a restore carries. */
export function restoreTag(restoreId: string): string {
  return `adxbackup-restore:${restoreId}`;
}

/** A uuid v4 derived from `parts`: the same artifact of the same restore always gets the same id. */
export function stableUuid(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest();
  h[6] = (h[6]! & 0x0f) | 0x40;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** The message as the SDK serialises it (field order included). */
export function ingestionMessage(spec: IngestMessageSpec): Record<string, unknown> {
  const additional: Record<string, unknown> = {};
  if (spec.creationTime !== undefined) additional.creationTime = spec.creationTime;
  additional.authorizationContext = spec.authorizationContext;
  additional.tags = JSON.stringify([...spec.tags, `ingest-by:${spec.ingestByKey}`]);
  additional.ingestIfNotExists = JSON.stringify([spec.ingestByKey]);
  additional.format = 'parquet';
  return {
    IngestionStatusInTable: null,
    ApplicationForTracing: spec.application,
    ClientVersionForTracing: spec.clientVersion,
    BlobPath: `${spec.path}${credentialSuffix(spec.auth)}`,
    RawDataSize: spec.rawDataSize,
    DatabaseName: spec.database,
    TableName: spec.table,
    RetainBlobOnSuccess: true,
    FlushImmediately: false,
    IgnoreSizeLimit: false,
    ReportLevel: FAILURES_ONLY,
    ReportMethod: REPORT_TO_QUEUE,
    SourceMessageCreationTime: spec.now.toISOString(),
    Id: spec.id,
    AdditionalProperties: additional,
  };
}

/** Base64 (UTF-8) of the message's JSON: the queue message text. */
export function encodeIngestionMessage(spec: IngestMessageSpec): string {
  return Buffer.from(JSON.stringify(ingestionMessage(spec)), 'utf8').toString('base64');
}
