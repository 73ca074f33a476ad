import { PermanentError } from '../../../lib/errors';
import { createIngestSender } from '../../../lib/restore/ingestSender';
import type { QueueSender, QueueTarget } from '../../../lib/restore/ingestSender';
import { table } from '../../helpers/resultTables';
import { scriptedGateway } from '../../helpers/scriptedGateway';

const SAS = 'sv=2024&sig=SECRET';
const QUEUES = [3, 1, 0, 2].map(
  (i) => `https://q.queue.core.windows.net/readyforaggregation-secured-${i}?${SAS}`,
);

function resources(queues = QUEUES): ReturnType<typeof table> {
  return table('ResourceTypeName:string, StorageRoot:string', [
    ...queues.map((q) => ['SecuredReadyForAggregationQueue', q]),
    ['TempStorage', `https://q.blob.core.windows.net/temp?${SAS}`],
    ['FailedIngestionsQueue', `https://q.queue.core.windows.net/failed?${SAS}`],
  ]);
}
const token = table('AuthorizationContext:string', [['ctx']]);

const TARGET: QueueTarget = {
  clusterUri: 'https://dst.kusto.windows.net',
  database: 'T',
  table: '__restore_x_Orders',
  auth: { kind: 'impersonate' },
  tags: ['adxbackup-restore:r1'],
};
const blobs = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    path: `https://a.blob.core.windows.net/b/p${i}.parquet`,
    size: 10,
    key: `k${i}`,
  }));

/** Queues that record their messages; `failing` ones reject. */
function fakeQueues(failing = new Set<string>()) {
  const sent = new Map<string, string[]>();
  const open = (url: string): QueueSender => ({
    url,
    send(text) {
      if (failing.has(url)) return Promise.reject(new Error(`queue down: ${url}`));
      sent.set(url, [...(sent.get(url) ?? []), text]);
      return Promise.resolve();
    },
  });
  return { sent, open };
}

const decode = (text: string) =>
  JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as Record<string, unknown>;

describe('createIngestSender', () => {
  it('spreads messages over every queue the DM lists, fetching resources and token once', async () => {
    const gateway = scriptedGateway({
      'get-ingestion-resources': resources(),
      'get-kusto-identity-token': token,
    });
    const queues = fakeQueues();
    const sender = createIngestSender({ gatewayFor: () => gateway, openQueue: queues.open });
    const first = await sender.queue(TARGET, blobs(10));
    const second = await sender.queue(TARGET, blobs(6));
    expect(first.queued).toBe(10);
    expect(first.perQueue.reduce((a, b) => a + b, 0)).toBe(10);
    expect(second.queued).toBe(6);
    expect([...queues.sent.values()].map((m) => m.length).sort()).toEqual([4, 4, 4, 4]);
    expect(gateway.sent.map((c) => c.operation).sort()).toEqual([
      'get-ingestion-resources',
      'get-kusto-identity-token',
    ]);
    const message = decode(queues.sent.get(QUEUES[2]!)![0]!);
    expect(message).toMatchObject({
      DatabaseName: 'T',
      TableName: '__restore_x_Orders',
      AdditionalProperties: { authorizationContext: 'ctx', format: 'parquet' },
    });
    expect(String(message.BlobPath)).toMatch(/\.parquet;impersonate$/);
  });

  it('moves a message to the next queue when its queue fails, and skips that queue for a minute', async () => {
    const gateway = scriptedGateway({
      'get-ingestion-resources': resources(),
      'get-kusto-identity-token': token,
    });
    const queues = fakeQueues(new Set([QUEUES[0]!]));
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const sender = createIngestSender({
      gatewayFor: () => gateway,
      openQueue: queues.open,
      concurrency: 1,
      now: () => new Date(clock),
    });
    const result = await sender.queue(TARGET, blobs(9));
    expect(result.queued).toBe(9);
    expect(queues.sent.has(QUEUES[0]!)).toBe(false);
    const counts = [...queues.sent.values()].map((m) => m.length);
    expect(counts).toHaveLength(3);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(9);
    // Fresh resources are not refetched for a failure; a minute later they are, once.
    expect(gateway.sent.filter((c) => c.operation === 'get-ingestion-resources')).toHaveLength(1);
    clock += 61_000;
    await sender.queue(TARGET, blobs(4));
    expect(gateway.sent.filter((c) => c.operation === 'get-ingestion-resources')).toHaveLength(2);
  });

  it('fails, naming the blob but never the SAS, when no queue takes a message', async () => {
    const gateway = scriptedGateway({
      'get-ingestion-resources': resources(),
      'get-kusto-identity-token': token,
    });
    const queues = fakeQueues(new Set(QUEUES));
    const sender = createIngestSender({ gatewayFor: () => gateway, openQueue: queues.open });
    const error = await sender.queue(TARGET, blobs(1)).then(
      () => new Error('queued'),
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toContain('p0.parquet');
    expect(error.message).not.toContain('SECRET');
  });

  it('refuses a cluster that lists no ingestion queue', async () => {
    const gateway = scriptedGateway({
      'get-ingestion-resources': resources([]),
      'get-kusto-identity-token': token,
    });
    const sender = createIngestSender({ gatewayFor: () => gateway, openQueue: fakeQueues().open });
    await expect(sender.queue(TARGET, blobs(1))).rejects.toThrow(/lists no ingestion queue/);
  });
});
