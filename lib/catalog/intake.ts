/**
 * The Event Grid intake: every finished write of a parquet file in the backup layout becomes a
 * `pending` catalog record (source `event`), inserted only when the catalog does not know the path
 * yet. Event Grid delivers at least once and out of order, so a duplicate, or an event arriving
 * after the file was committed or orphaned, changes nothing. Only the reconcile commits (from
 * `exported-artifacts`) or orphans a file; events never decide what a restore reads.
 */
import type { InvocationContext } from '@azure/functions';
import { ValidationError } from '../errors';
import type { Logger } from '../kusto/gateway';
import { redact } from '../kusto/redact';
import type { ArtifactRecord, CatalogStore } from '../storage/catalog';
import { parseContainerUrl } from '../storage/layout';
import { classifyBackupBlob, containerKeyOf } from './artifactPath';
import { parseStorageEvent } from './blobEvents';

/** What the intake needs. */
export interface ArtifactIntakeDeps {
  readonly catalog: Pick<CatalogStore, 'insertArtifactsIfAbsent'>;
  /**
   * The backup containers. Events for other containers are ignored; with none configured every
   * container is accepted (the Event Grid subscription's scope then decides).
   */
  readonly containers: readonly string[];
}

/** What one event did. */
export type IntakeOutcome =
  | { readonly kind: 'recorded'; readonly path: string; readonly database: string; readonly table: string }
  | { readonly kind: 'known'; readonly path: string }
  | { readonly kind: 'ignored'; readonly reason: string };

/**
 * Records the artifact an event announces.
 * @throws ValidationError naming the field for a malformed event; storage errors as they come.
 */
export async function recordArtifactEvent(deps: ArtifactIntakeDeps, input: unknown): Promise<IntakeOutcome> {
  const decision = parseStorageEvent(input);
  if (decision.kind === 'ignored') return decision;
  const { event } = decision;
  const located = classifyBackupBlob(event.url, 'data.url');
  if (located.kind === 'outside-layout') return { kind: 'ignored', reason: located.reason };
  const { blob } = located;
  if (deps.containers.length > 0) {
    const backup = new Set(
      deps.containers.map((c, i) => {
        const location = parseContainerUrl(c, `containers[${i}]`);
        return containerKeyOf(location.account, location.container);
      }),
    );
    if (!backup.has(blob.containerKey))
      return { kind: 'ignored', reason: `container '${blob.containerKey}' is not a backup container` };
  }
  const record: ArtifactRecord = {
    database: blob.database,
    table: blob.table,
    path: blob.url,
    partitionDate: blob.partitionDate,
    numRecords: null,
    sizeInBytes: event.contentLength,
    source: 'event',
    state: 'pending',
    committedAt: null,
    chunkId: null,
  };
  const inserted = await deps.catalog.insertArtifactsIfAbsent([record]);
  return inserted.length > 0
    ? { kind: 'recorded', path: blob.url, database: blob.database, table: blob.table }
    : { kind: 'known', path: blob.url };
}

/**
 * The Event Grid trigger's handler. A malformed event is logged and dropped (a retry cannot fix
 * it); storage failures are thrown so that Event Grid delivers the event again.
 */
export function makeArtifactEventHandler(
  deps: () => ArtifactIntakeDeps,
  loggerFor: (context: InvocationContext) => Logger,
): (event: unknown, context: InvocationContext) => Promise<void> {
  return async (event, context) => {
    const logger = loggerFor(context);
    try {
      const outcome = await recordArtifactEvent(deps(), event);
      if (outcome.kind === 'recorded') {
        logger.info('artifact catalogued as pending', {
          database: outcome.database,
          table: outcome.table,
          path: outcome.path,
        });
      } else if (outcome.kind === 'ignored') {
        logger.info('storage event ignored', { reason: redact(outcome.reason) });
      }
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      logger.warn('malformed storage event dropped', { field: error.field, error: redact(error.message) });
    }
  };
}
