/**
 * The ingestion queue message (reference §3.5): base64 (UTF-8) of a JSON `IngestionBlobInfo`, and
 * the base64 JSON encoding the service uses for its success/failure reports (§3.7).
 */
import { permanent } from './errors';

/** Values of `ReportLevel`. */
export const ReportLevel = { FailuresOnly: 0, DoNotReport: 1, FailuresAndSuccesses: 2 } as const;
/** Values of `ReportMethod`. */
export const ReportMethod = { Queue: 0, Table: 1, QueueAndTable: 2 } as const;

/** The fields of an ingestion message the service acts on. */
export interface IngestionMessage {
  /** `Id`: the source id (`IngestionSourceId` in reports). */
  readonly id: string;
  readonly blobPath: string;
  readonly rawDataSize: number | null;
  readonly database: string;
  readonly table: string;
  readonly reportLevel: number;
  readonly reportMethod: number;
  /** `AdditionalProperties` as sent (format, tags, creationTime, authorizationContext, ...). */
  readonly properties: Readonly<Record<string, unknown>>;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Numeric enum field; null/absent means the service default. */
function level(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) ? value : fallback;
}

/**
 * Decodes a queue message. Base64 is what every SDK sends; plain JSON is accepted too because a
 * message text that already is JSON cannot be valid base64 of anything useful.
 * Throws `BadRequest_CorruptedMessage` when the text is neither.
 */
export function decodeIngestionMessage(messageText: string): IngestionMessage {
  const trimmed = messageText.trim();
  const json = trimmed.startsWith('{') ? trimmed : Buffer.from(trimmed, 'base64').toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw permanent('BadRequest_CorruptedMessage', 'Message is corrupted: it is not base64-encoded JSON.');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw permanent('BadRequest_CorruptedMessage', 'Message is corrupted: expected a JSON object.');
  }
  const m = parsed as Record<string, unknown>;
  const props = m['AdditionalProperties'];
  return {
    id: text(m['Id']),
    blobPath: text(m['BlobPath']),
    rawDataSize: typeof m['RawDataSize'] === 'number' ? m['RawDataSize'] : null,
    database: text(m['DatabaseName']),
    table: text(m['TableName']),
    reportLevel: level(m['ReportLevel'], ReportLevel.FailuresOnly),
    reportMethod: level(m['ReportMethod'], ReportMethod.Queue),
    properties:
      props && typeof props === 'object' && !Array.isArray(props) ? (props as Record<string, unknown>) : {},
  };
}

/** Base64 (UTF-8) of the JSON of `value`: the encoding of every message on the service's queues. */
export function encodeMessage(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64');
}

/** A blob URL without its query (SAS) or Kusto `;credential` suffix: safe to show and record. */
export function withoutSecrets(url: string): string {
  return url.split(/[?;]/)[0] ?? '';
}
