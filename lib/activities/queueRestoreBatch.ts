/**
 * `queueRestoreBatch`: queues the ingestion of one manifest batch (at most the batch size of blobs of
 * one partition folder) into the staging table, spread over every ingestion queue. Safe to repeat:
 * each blob is ingested only if its `ingest-by:` tag is not on the staging table yet.
 */
import { PermanentError } from '../errors';
import { artifactKey, restoreTag } from '../restore/ingestMessage';
import { folderCreationTime } from '../restore/plan';
import type { QueueBatchInput, QueueBatchOutput, RestoreDeps } from './restoreContracts';

/** Builds the activity handler. */
export function createQueueRestoreBatchActivity(
  deps: Pick<RestoreDeps, 'state' | 'ingest' | 'storageAuth' | 'logger'>,
): (input: QueueBatchInput) => Promise<QueueBatchOutput> {
  return async (input) => {
    const batch = await deps.state.getBatch(input.restoreId, input.table, input.folder, input.index);
    if (!batch)
      throw new PermanentError(
        `restore '${input.restoreId}': no batch ${input.index} of folder ${input.folder} of table '${input.table}'`,
      );
    const creationTime = folderCreationTime(input.folder);
    const { queued } = await deps.ingest.queue(
      {
        clusterUri: input.target.clusterUri,
        database: input.target.database,
        table: input.staging,
        auth: deps.storageAuth,
        tags: [restoreTag(input.restoreId)],
      },
      batch.artifacts.map((a) => ({
        path: a.path,
        size: a.size,
        key: artifactKey(a.path),
        ...(creationTime ? { creationTime } : {}),
      })),
    );
    await deps.state.markQueued(input.restoreId, input.table, input.folder, input.index, queued);
    return { queued };
  };
}
