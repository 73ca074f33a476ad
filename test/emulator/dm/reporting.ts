/**
 * Success and failure reports on the status queues (reference §3.7), as the SDK's
 * `IngestStatusQueues` reads them: base64 JSON with the documented fields.
 */
import type { StorageEndpoints } from '../state';
import { formatDatetime } from '../values';
import type { IngestionOutcome } from './ingest';
import { ReportLevel, ReportMethod, encodeMessage, withoutSecrets } from './message';
import type { IngestionMessage } from './message';
import { FAILED_QUEUE, SUCCESS_QUEUE, queueClient } from './resources';

/** A report and the queue it goes to. */
export interface StatusReport {
  readonly queue: string;
  readonly body: Record<string, unknown>;
}

/**
 * The report a processed message calls for under its ReportLevel/ReportMethod, or undefined.
 * A skip (ingest-by tag already present) is not a failure, so it is reported as a success.
 */
export function statusReport(
  message: IngestionMessage,
  outcome: IngestionOutcome,
  now: number,
): StatusReport | undefined {
  if (message.reportMethod === ReportMethod.Table) return undefined;
  if (message.reportLevel === ReportLevel.DoNotReport) return undefined;
  const base = {
    OperationId: outcome.operationId,
    Database: message.database,
    Table: message.table,
    IngestionSourceId: message.id,
    IngestionSourcePath: withoutSecrets(message.blobPath),
    RootActivityId: outcome.rootActivityId,
  };
  if (outcome.status === 'Failed') {
    return {
      queue: FAILED_QUEUE,
      body: {
        ...base,
        FailedOn: formatDatetime(now),
        Details: outcome.error.details,
        ErrorCode: outcome.error.code,
        FailureStatus: outcome.error.permanent ? 'Permanent' : 'Transient',
        OriginatesFromUpdatePolicy: false,
        ShouldRetry: !outcome.error.permanent,
      },
    };
  }
  if (message.reportLevel !== ReportLevel.FailuresAndSuccesses) return undefined;
  return { queue: SUCCESS_QUEUE, body: { ...base, SucceededOn: formatDatetime(now) } };
}

/** Sends a report to its queue. */
export async function sendReport(storage: StorageEndpoints, report: StatusReport): Promise<void> {
  await queueClient(storage, report.queue).sendMessage(encodeMessage(report.body));
}
