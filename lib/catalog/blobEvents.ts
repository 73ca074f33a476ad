/**
 * Reading `Microsoft.Storage.BlobCreated` events (reference §5.2) in either delivery schema: Event
 * Grid (`eventType`, `eventTime`, `topic`) or CloudEvents 1.0 (`type`, `time`, `source`,
 * `specversion`). Only final writes are kept:
 * - ADLS Gen2 (HNS) accounts fire `CreateFile` (always zero length) when a file is opened and
 *   `FlushWithClose` when it is committed (§5.3); only the latter describes the finished file;
 * - `PutBlob`, `PutBlockList` and `CopyBlob` fire once the block blob is committed;
 * - anything else (`PutBlock`, `FlushWithoutClose`, renames...) is not a completed artifact.
 * Zero-length blob-API creates are ignored (an empty file is no parquet artifact). `FlushWithClose`
 * is kept whatever its `contentLength`, since the reference does not say whether that field carries
 * the file's size there; a truly empty file just ends as an orphan.
 */
import { ValidationError } from '../errors';
import { asRecord } from '../kusto/json';

/** The blob-created event type. */
export const BLOB_CREATED = 'Microsoft.Storage.BlobCreated';

/** Storage APIs whose BlobCreated event marks a finished file. */
export const FINAL_WRITE_APIS: ReadonlySet<string> = new Set([
  'FlushWithClose',
  'PutBlob',
  'PutBlockList',
  'CopyBlob',
]);

/** A finished blob write. */
export interface BlobCreated {
  readonly id: string;
  readonly url: string;
  readonly api: string;
  /** Size in bytes; null when the event does not say (see the module comment on FlushWithClose). */
  readonly contentLength: number | null;
  readonly eventTime: string | null;
  readonly schema: 'EventGrid' | 'CloudEvents';
}

/** A finished write, or why the event is not one. */
export type StorageEventDecision =
  | { readonly kind: 'blob-created'; readonly event: BlobCreated }
  | { readonly kind: 'ignored'; readonly reason: string };

function text(record: Record<string, unknown>, key: string, field: string): string {
  const value = record[key];
  if (typeof value !== 'string' || value.trim() === '')
    throw new ValidationError(field, 'must be a non-empty string');
  return value;
}

function optionalText(record: Record<string, unknown>, key: string): string | null {
  const value = record[key];
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * Decides what one delivered event means.
 * @throws ValidationError naming the field when the event is malformed (retrying will not fix it).
 */
export function parseStorageEvent(input: unknown): StorageEventDecision {
  const event = asRecord(input);
  if (!event) throw new ValidationError('event', 'must be a JSON object');
  const cloud = 'specversion' in event;
  const schema = cloud ? 'CloudEvents' : 'EventGrid';
  const type = text(event, cloud ? 'type' : 'eventType', cloud ? 'type' : 'eventType');
  if (type !== BLOB_CREATED)
    return { kind: 'ignored', reason: `event type '${type}' is not ${BLOB_CREATED}` };
  const data = asRecord(event.data);
  if (!data) throw new ValidationError('data', 'must be the BlobCreated data object');
  const url = text(data, 'url', 'data.url');
  const api = text(data, 'api', 'data.api');
  const length = data.contentLength;
  if (length !== undefined && (typeof length !== 'number' || !Number.isFinite(length) || length < 0))
    throw new ValidationError('data.contentLength', 'must be a non-negative number');
  if (!FINAL_WRITE_APIS.has(api)) return { kind: 'ignored', reason: `api '${api}' does not complete a file` };
  const contentLength = typeof length === 'number' ? length : null;
  if (api !== 'FlushWithClose' && contentLength === 0) return { kind: 'ignored', reason: 'zero-length blob' };
  return {
    kind: 'blob-created',
    event: {
      id: optionalText(event, 'id') ?? '',
      url,
      api,
      contentLength: contentLength === 0 ? null : contentLength,
      eventTime: optionalText(event, cloud ? 'time' : 'eventTime'),
      schema,
    },
  };
}
