/**
 * Writing export artifacts, shared by continuous export, `.export to table` and `.export to
 * <format>`: rows are routed to partition folders, split at `sizeLimit`, written as new uniquely
 * named files (never appended) round-robin across the connection strings, and announced through
 * Event Grid. Storage faults are evaluated here: an inaccessible container fails the run permanently,
 * `exportRowLimit` fails it with E_LOW_MEMORY_CONDITION (transient), `partialFilesNext` leaves a
 * truncated file and fails the run.
 */
import { randomUUID } from 'node:crypto';
import type { EmulatorCore } from '../core';
import { KustoError } from '../kustoError';
import type { PartitionSpec, PathFormatPart } from '../state';
import type { Column, KValue } from '../values';
import { joinPath } from './blobStore';
import { maskConnectionString } from './connectionStrings';
import { encodeArtifact, estimateRowBytes, extensionOf, type ExportFormat, type HeaderMode } from './formats';
import { partitionValue, renderPartitionPath } from './partitions';

/** Default artifact size limit (100 MB, reference §1.4). */
export const DEFAULT_SIZE_LIMIT = 100 * 1024 * 1024;

/** Where and how an export writes. */
export interface ExportDestination {
  readonly connectionStrings: readonly string[];
  readonly format: ExportFormat;
  /** Columns of the rows written (the external table schema, or the query output for storage exports). */
  readonly columns: readonly Column[];
  readonly partitions: readonly PartitionSpec[];
  readonly pathFormat: readonly PathFormatPart[] | null;
  readonly compressed: boolean;
  readonly includeHeaders: HeaderMode;
  readonly namePrefix: string;
  /** Overrides the extension derived from the format (`fileExtension` property). */
  readonly fileExtension?: string;
}

/** Per-run options. */
export interface WriteOptions {
  readonly sizeLimit?: number;
  readonly parquetRowGroupSize?: number;
}

/** One file written. */
export interface WrittenArtifact {
  /** Blob URL. */
  readonly path: string;
  readonly numRecords: number;
  readonly sizeInBytes: number;
  readonly container: string;
  readonly blobName: string;
}

/**
 * A failed write: the Kusto error to report, whether artifacts were left behind before the failure
 * (FailureKind PartialFailure), and those artifacts.
 */
export class ExportWriteError extends Error {
  constructor(
    readonly kustoError: KustoError,
    readonly artifacts: readonly WrittenArtifact[],
    readonly partial: boolean,
  ) {
    super(kustoError.message);
    this.name = 'ExportWriteError';
  }
}

/** Permanent failure: the storage behind a connection string cannot be reached (reference §4 wording). */
export function storageNotAccessible(connectionString: string, container: string): KustoError {
  return new KustoError(
    403,
    'Forbidden',
    `Permanent failure: storage account not accessible. Access to container '${container}' at '${maskConnectionString(connectionString)}' was denied (403 AuthorizationPermissionMismatch: This request is not authorized to perform this operation using this permission.)`,
    'Kusto.Data.Exceptions.KustoRequestDeniedException',
    true,
  );
}

/**
 * A storage error while writing: client errors (bad container name, auth) are permanent, server and
 * network errors transient, as Kusto classifies storage failures.
 */
function storageWriteFailed(connectionString: string, error: unknown): KustoError {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  const code = typeof status === 'number' ? status : 0;
  const detail = ((error as Error)?.message ?? String(error)).split('\n')[0];
  const permanent = code >= 400 && code < 500;
  return new KustoError(
    permanent ? 400 : 503,
    permanent ? 'General_BadRequest' : 'ServiceUnavailable',
    `Failed to write export artifact to '${maskConnectionString(connectionString)}': ${detail}`,
    permanent
      ? 'Kusto.Data.Exceptions.KustoBadRequestException'
      : 'Kusto.Data.Exceptions.KustoServiceException',
    permanent,
  );
}

/** Transient failure after a truncated artifact was left in storage. */
function interruptedWrite(url: string): KustoError {
  return new KustoError(
    500,
    'Internal_ServiceError',
    `Export failed while writing artifact '${url}': the storage write was interrupted and the artifact is incomplete. Retrying the export might succeed.`,
    'Kusto.Data.Exceptions.KustoServiceException',
    false,
  );
}

interface PlannedFile {
  readonly partitionPath: string;
  readonly rows: KValue[][];
}

/** Groups rows by rendered partition path and splits each group at the size limit. */
function planFiles(dest: ExportDestination, rows: readonly KValue[][], sizeLimit: number): PlannedFile[] {
  const groups = new Map<string, KValue[][]>();
  if (dest.partitions.length === 0) {
    groups.set('', rows as KValue[][]);
  } else {
    const values = new Map<string, KValue>();
    for (const row of rows) {
      for (const p of dest.partitions) values.set(p.name, partitionValue(p, dest.columns, row));
      const path = renderPartitionPath(dest, values);
      let group = groups.get(path);
      if (!group) groups.set(path, (group = []));
      group.push(row);
    }
  }
  const files: PlannedFile[] = [];
  for (const path of [...groups.keys()].sort()) {
    let current: KValue[][] = [];
    let bytes = 0;
    for (const row of groups.get(path)!) {
      const size = estimateRowBytes(row);
      if (current.length > 0 && bytes + size > sizeLimit) {
        files.push({ partitionPath: path, rows: current });
        current = [];
        bytes = 0;
      }
      current.push(row);
      bytes += size;
    }
    if (current.length > 0) files.push({ partitionPath: path, rows: current });
  }
  return files;
}

/**
 * Writes `rows` (in `dest.columns` order) as new artifacts and returns them. Nothing is written for
 * zero rows. Throws `ExportWriteError` (carrying what was written) when the run fails.
 */
export async function writeArtifacts(
  core: EmulatorCore,
  dest: ExportDestination,
  rows: readonly KValue[][],
  options: WriteOptions = {},
): Promise<WrittenArtifact[]> {
  const { faults } = core;
  if (faults.exportRowLimit !== null && rows.length > faults.exportRowLimit) {
    throw new ExportWriteError(KustoError.lowMemory(), [], false);
  }
  const targets = dest.connectionStrings.map((cs) => ({ cs, ...core.blobs.resolve(cs) }));
  for (const target of targets) {
    if (faults.inaccessibleContainers.has(target.container)) {
      throw new ExportWriteError(storageNotAccessible(target.cs, target.container), [], false);
    }
  }
  if (rows.length === 0 || targets.length === 0) return [];
  const sizeLimit = options.sizeLimit && options.sizeLimit > 0 ? options.sizeLimit : DEFAULT_SIZE_LIMIT;
  const files = planFiles(dest, rows, sizeLimit);
  const runId = randomUUID().replace(/-/g, '');
  const extension = dest.fileExtension
    ? dest.fileExtension.replace(/^\./, '')
    : extensionOf(dest.format, dest.compressed);
  const written: WrittenArtifact[] = [];
  const folders = new Set<string>();
  for (let k = 0; k < files.length; k++) {
    const file = files[k]!;
    const target = targets[k % targets.length]!;
    const folderKey = `${target.container}/${target.prefix}/${file.partitionPath}`;
    const header =
      dest.includeHeaders === 'all' || (dest.includeHeaders === 'firstfile' && !folders.has(folderKey));
    folders.add(folderKey);
    const name = `${dest.namePrefix}${runId}_${k + 1}_${randomUUID().replace(/-/g, '')}.${extension}`;
    const blobName = joinPath(target.prefix, file.partitionPath, name);
    let data = encodeArtifact(dest.format, dest.columns, file.rows, {
      header,
      compressed: dest.compressed,
      rowGroupSize: options.parquetRowGroupSize,
    });
    const partial = faults.partialFilesNext > 0;
    if (partial) {
      faults.partialFilesNext -= 1;
      data = data.subarray(0, Math.floor(data.length / 2));
    }
    let uploaded: { url: string; size: number };
    try {
      uploaded = await core.blobs.upload(target.container, blobName, data);
    } catch (error) {
      throw new ExportWriteError(storageWriteFailed(target.cs, error), written, written.length > 0);
    }
    // Fire-and-forget, as storage events are: the export never waits for the subscriber.
    void core.eventGrid.blobCreated(target.container, blobName, uploaded.size);
    const artifact = {
      path: uploaded.url,
      numRecords: file.rows.length,
      sizeInBytes: uploaded.size,
      container: target.container,
      blobName,
    };
    if (partial) throw new ExportWriteError(interruptedWrite(uploaded.url), [...written, artifact], true);
    written.push(artifact);
  }
  return written;
}
