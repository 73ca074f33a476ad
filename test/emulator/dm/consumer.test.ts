import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { Client as KustoClient, KustoConnectionStringBuilder } from 'azure-kusto-data';
import {
  BlobDescriptor,
  DataFormat,
  IngestClient,
  IngestStatusQueues,
  ReportLevel,
  StreamDescriptor,
} from 'azure-kusto-ingest';
import { writeParquet } from '../parquet';
import type { Column } from '../values';
import { createIngestionConsumer, type IngestionConsumer } from './consumer';
import { encodeMessage } from './message';
import {
  FAILED_QUEUE,
  READY_QUEUES,
  SUCCESS_QUEUE,
  accountSas,
  identityToken,
  queueClient,
} from './resources';
import { startDmHarness, type DmHarness } from './testHarness';

const EVENTS: Column[] = [
  { name: 'Timestamp', type: 'datetime' },
  { name: 'Name', type: 'string' },
  { name: 'Value', type: 'long' },
];

let h: DmHarness;
const clients: IngestClient[] = [];

function ingestClient(table = 'Events'): IngestClient {
  const client = new IngestClient(
    KustoConnectionStringBuilder.withTokenProvider(h.url, () => Promise.resolve('token')),
    { database: 'db1', table },
    false,
  );
  clients.push(client);
  return client;
}

const upload = (name: string, data: Uint8Array | string): Promise<{ url: string; size: number }> =>
  h.upload(name, data);

/** A SAS of the emulator's account, as a backup reader would hold one. */
function sasOf(): string {
  return accountSas(h.storage);
}

function rows(table = 'Events'): unknown[][] {
  const t = h.state.database('db1')!.tables.get(table)!;
  return t.extents.flatMap((e) => e.rows);
}

function extents(table = 'Events'): { tags: string[]; creationTime: number; rowCount: number }[] {
  return h.state
    .database('db1')!
    .tables.get(table)!
    .extents.map((e) => ({ tags: e.tags, creationTime: e.creationTime, rowCount: e.rows.length }));
}

async function queueMessages(name: string): Promise<Record<string, unknown>[]> {
  const q = queueClient(h.storage, name);
  const out: Record<string, unknown>[] = [];
  for (;;) {
    const { receivedMessageItems } = await q.receiveMessages({ numberOfMessages: 32 });
    if (receivedMessageItems.length === 0) return out;
    for (const m of receivedMessageItems) {
      out.push(JSON.parse(Buffer.from(m.messageText, 'base64').toString('utf8')) as Record<string, unknown>);
      await q.deleteMessage(m.messageId, m.popReceipt);
    }
  }
}

beforeAll(async () => {
  h = await startDmHarness();
});

afterAll(async () => {
  for (const c of clients) c.close();
  await h.stop();
});

beforeEach(() => {
  h.resetTable('db1', 'Events', EVENTS);
  h.state.ingestionFailures.length = 0;
  h.faults.reset();
});

describe('queued ingestion through the real IngestClient', () => {
  it('ingests a parquet blob by column name, with creationTime and tags on the extent', async () => {
    const columns: Column[] = [
      { name: 'Value', type: 'long' },
      { name: 'Name', type: 'string' },
      { name: 'Timestamp', type: 'datetime' },
    ];
    const bytes = writeParquet(columns, [
      [1, 'a', Date.UTC(2025, 0, 1, 10)],
      [2, 'b', Date.UTC(2025, 0, 1, 11)],
    ]);
    const { url, size } = await upload('db1/Events/20250101/part-1.parquet', bytes);
    await ingestClient().ingestFromBlob(new BlobDescriptor(url, size, randomUUID()), {
      format: DataFormat.PARQUET,
      ingestByTags: ['20250101/part-1'],
      dropByTags: ['restore-1'],
      additionalProperties: { creationTime: '2025-01-01T00:00:00Z' },
    });
    await h.drain();

    expect(rows()).toEqual([
      [Date.UTC(2025, 0, 1, 10), 'a', 1],
      [Date.UTC(2025, 0, 1, 11), 'b', 2],
    ]);
    expect(extents()).toEqual([
      {
        tags: ['drop-by:restore-1', 'ingest-by:20250101/part-1'],
        creationTime: Date.UTC(2025, 0, 1),
        rowCount: 2,
      },
    ]);
    expect(h.state.ingestionFailures).toEqual([]);
  });

  it('ingests a csv file (gzipped by the client) by position, skipping the header', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dm-'));
    const file = join(dir, 'events.csv');
    writeFileSync(
      file,
      'Timestamp,Name,Value\n2025-01-02T00:00:00Z,"x, quoted",7\n2025-01-02T01:00:00Z,y,8\n',
    );
    await ingestClient().ingestFromFile(file, { format: DataFormat.CSV, ignoreFirstRecord: true });
    await h.drain();
    expect(rows()).toEqual([
      [Date.UTC(2025, 0, 2), 'x, quoted', 7],
      [Date.UTC(2025, 0, 2, 1), 'y', 8],
    ]);
  });

  it('ingests json streams by name: one object per line, multi-line objects, and an array', async () => {
    const client = ingestClient();
    const lines = '{"Name":"l1","Value":1}\n{"Value":2,"Name":"l2","Extra":true}\n';
    const multi = '{\n  "Name": "m1",\n  "Value": 3\n}\n{\n  "Name": "m2"\n}';
    const array = JSON.stringify([{ Name: 'a1', Value: 5, Timestamp: '2025-01-03T00:00:00Z' }]);
    await client.ingestFromStream(new StreamDescriptor(Readable.from([lines])), { format: DataFormat.JSON });
    await client.ingestFromStream(new StreamDescriptor(Readable.from([multi])), {
      format: DataFormat.MULTIJSON,
    });
    await client.ingestFromStream(new StreamDescriptor(Readable.from([array])), { format: DataFormat.JSON });
    await h.drain();
    expect(
      rows()
        .map((r) => r.join('|'))
        .sort(),
    ).toEqual(['1735862400000|a1|5', '|l1|1', '|l2|2', '|m1|3', '|m2|']);
  });

  it('sniffs gzip by its magic bytes, whatever the blob is called', async () => {
    const csv = '2025-01-04T00:00:00Z,gz,1\n';
    const hidden = await upload('misnamed/plain-name.csv', gzipSync(csv));
    const fake = await upload('misnamed/not-really.csv.gz', '2025-01-04T00:00:00Z,plain,2\n');
    const client = ingestClient();
    for (const b of [hidden, fake]) {
      await client.ingestFromBlob(new BlobDescriptor(b.url, b.size, randomUUID()), {
        format: DataFormat.CSV,
      });
    }
    await h.drain();
    expect(
      rows()
        .map((r) => r[1])
        .sort(),
    ).toEqual(['gz', 'plain']);
  });

  it('makes a re-ingest with the same ingest-by tag a no-op, reported as a success', async () => {
    const { url, size } = await upload('idem/part.csv', '2025-01-05T00:00:00Z,once,1\n');
    const client = ingestClient();
    const props = {
      format: DataFormat.CSV,
      ingestByTags: ['idem/part'],
      ingestIfNotExists: JSON.stringify(['idem/part']),
      reportLevel: ReportLevel.FailuresAndSuccesses,
    };
    await client.ingestFromBlob(new BlobDescriptor(url, size, randomUUID()), props);
    await h.drain();
    await client.ingestFromBlob(new BlobDescriptor(url, size, randomUUID()), props);
    // The plain-string form the Node client passes through unchanged is honoured too.
    await client.ingestFromBlob(new BlobDescriptor(url, size, randomUUID()), {
      ...props,
      ingestIfNotExists: 'idem/part',
    });
    await h.drain();

    expect(extents()).toHaveLength(1);
    expect(h.state.ingestionFailures).toEqual([]);
    const successes = await queueMessages(SUCCESS_QUEUE);
    expect(successes).toHaveLength(3);
    expect(successes[0]).toEqual({
      OperationId: expect.any(String),
      Database: 'db1',
      Table: 'Events',
      IngestionSourceId: expect.any(String),
      IngestionSourcePath: url.split('?')[0],
      RootActivityId: expect.any(String),
      SucceededOn: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/),
    });
  });

  it('spreads clients over every ready queue and drains them all', async () => {
    const { url, size } = await upload('spread/part.csv', '2025-01-06T00:00:00Z,s,1\n');
    // Each new client reads the resources afresh; the queue it sends to first differs every time.
    const first: string[] = [];
    for (let i = 0; i < READY_QUEUES.length; i++) {
      const client = ingestClient();
      const manager = (
        client as unknown as { resourceManager: { getIngestionQueues(): Promise<{ uri: string }[]> } }
      ).resourceManager;
      first.push((await manager.getIngestionQueues())[0]!.uri.split('?')[0]!.split('/').pop()!);
      await client.ingestFromBlob(new BlobDescriptor(url, size, randomUUID()), { format: DataFormat.CSV });
    }
    expect([...first].sort()).toEqual([...READY_QUEUES].sort());
    // Messages put straight on every queue are consumed too.
    for (const q of READY_QUEUES) {
      await queueClient(h.storage, q).sendMessage(
        encodeMessage({
          Id: randomUUID(),
          BlobPath: url,
          DatabaseName: 'db1',
          TableName: 'Events',
          AdditionalProperties: { format: 'csv', authorizationContext: identityToken(h.state) },
        }),
      );
    }
    await h.drain();
    expect(rows()).toHaveLength(2 * READY_QUEUES.length);
    for (const q of READY_QUEUES) {
      expect((await queueClient(h.storage, q).getProperties()).approximateMessagesCount).toBe(0);
    }
  });

  it('records failures, shows their details and reports them on the failure queue', async () => {
    const client = ingestClient();
    const missing = `${h.sources.url}/nowhere/missing.parquet?${sasOf()}`;
    await client.ingestFromBlob(new BlobDescriptor(missing, 10, randomUUID()), {
      format: DataFormat.PARQUET,
    });
    const empty = await upload('bad/empty.csv', '');
    await client.ingestFromBlob(new BlobDescriptor(empty.url, 1, randomUUID()), { format: DataFormat.CSV });
    const ragged = await upload('bad/ragged.csv', 'a,b,1\nc,2\n');
    await client.ingestFromBlob(new BlobDescriptor(ragged.url, ragged.size, randomUUID()), {
      format: DataFormat.CSV,
    });
    const ok = await upload('bad/ok.csv', '2025-01-07T00:00:00Z,n,1\n');
    await ingestClient('NoSuchTable').ingestFromBlob(new BlobDescriptor(ok.url, ok.size, randomUUID()), {
      format: DataFormat.CSV,
    });
    await h.drain();

    const failures = h.state.ingestionFailures.map((f) => [
      f.table,
      f.errorCode,
      f.failureKind,
      f.ingestionSourcePath,
    ]);
    expect(failures.sort()).toEqual(
      [
        ['Events', 'Download_SourceNotFound', 'Permanent', missing.split('?')[0]],
        ['Events', 'BadRequest_EmptyBlob', 'Permanent', empty.url.split('?')[0]],
        ['Events', 'Stream_WrongNumberOfFields', 'Permanent', ragged.url.split('?')[0]],
        ['NoSuchTable', 'BadRequest_TableNotExist', 'Permanent', ok.url.split('?')[0]],
      ].sort(),
    );
    expect(rows()).toEqual([]);

    // `.show ingestion failures` lists them (the database's only: NoSuchTable is in db1 too).
    const kusto = new KustoClient(
      KustoConnectionStringBuilder.withTokenProvider(h.url, () => Promise.resolve('t')),
    );
    try {
      const shown = (await kusto.execute('db1', '.show ingestion failures')).primaryResults[0]!;
      const listed = [...shown.rows()].map((r) => r.toJSON<{ ErrorCode: string; OperationId: string }>());
      expect(listed.map((r) => r.ErrorCode).sort()).toEqual(failures.map((f) => f[1]).sort());
      expect(listed.map((r) => r.OperationId).sort()).toEqual(
        h.state.ingestionFailures.map((f) => f.operationId).sort(),
      );
    } finally {
      kusto.close();
    }

    // The SDK's own status-queue reader decodes the reports.
    const [first] = await new IngestStatusQueues(client).failure.pop(1);
    expect(first).toMatchObject({ Database: 'db1', FailureStatus: 'Permanent', ShouldRetry: false });
    const rest = await queueMessages(FAILED_QUEUE);
    const reported = [first as unknown as Record<string, unknown>, ...rest];
    expect(reported.map((m) => m['ErrorCode']).sort()).toEqual(
      [
        'BadRequest_EmptyBlob',
        'BadRequest_TableNotExist',
        'Download_SourceNotFound',
        'Stream_WrongNumberOfFields',
      ].sort(),
    );
    const byCode = reported.find((m) => m['ErrorCode'] === 'Download_SourceNotFound')!;
    const recorded = h.state.ingestionFailures.find((f) => f.errorCode === 'Download_SourceNotFound')!;
    expect(byCode).toEqual({
      OperationId: recorded.operationId,
      Database: 'db1',
      Table: 'Events',
      IngestionSourceId: expect.any(String),
      IngestionSourcePath: missing.split('?')[0],
      RootActivityId: recorded.rootActivityId,
      FailedOn: expect.stringMatching(/Z$/),
      Details: recorded.details,
      ErrorCode: 'Download_SourceNotFound',
      FailureStatus: 'Permanent',
      OriginatesFromUpdatePolicy: false,
      ShouldRetry: false,
    });
  });

  it('fails the next N messages when the ingestionFailNext fault is set', async () => {
    const { url, size } = await upload('fault/part.csv', '2025-01-08T00:00:00Z,f,1\n');
    h.faults.ingestionFailNext = 1;
    const client = ingestClient();
    await client.ingestFromBlob(new BlobDescriptor(url, size, randomUUID()), { format: DataFormat.CSV });
    await h.drain();
    await client.ingestFromBlob(new BlobDescriptor(url, size, randomUUID()), { format: DataFormat.CSV });
    await h.drain();
    expect(h.faults.ingestionFailNext).toBe(0);
    expect(h.state.ingestionFailures.map((f) => [f.errorCode, f.failureKind])).toEqual([
      ['BadRequest_InvalidBlob', 'Permanent'],
    ]);
    expect(rows()).toHaveLength(1);
    await queueMessages(FAILED_QUEUE);
  });

  it('refuses messages without the identity token, and corrupt messages', async () => {
    const { url, size } = await upload('auth/part.csv', '2025-01-09T00:00:00Z,a,1\n');
    const message = (authorizationContext: string | undefined): Record<string, unknown> => ({
      Id: randomUUID(),
      BlobPath: url,
      RawDataSize: size,
      DatabaseName: 'db1',
      TableName: 'Events',
      ReportLevel: 0,
      ReportMethod: 0,
      AdditionalProperties: { format: 'csv', ...(authorizationContext ? { authorizationContext } : {}) },
    });
    const q = queueClient(h.storage, READY_QUEUES[0]!);
    await q.sendMessage(encodeMessage(message(undefined)));
    await q.sendMessage(encodeMessage(message('forged')));
    await q.sendMessage(Buffer.from('not json').toString('base64'));
    await q.sendMessage(encodeMessage(message(identityToken(h.state))));
    await h.drain();
    expect(h.state.ingestionFailures.map((f) => f.errorCode).sort()).toEqual([
      'BadRequest_CorruptedMessage',
      'BadRequest_InvalidKustoIdentityToken',
      'BadRequest_InvalidKustoIdentityToken',
    ]);
    expect(rows()).toHaveLength(1);
    expect(await queueMessages(FAILED_QUEUE)).toHaveLength(3);
  });

  it('drains 2,000 messages while they are being queued, keeping the queues shallow', async () => {
    const { url, size } = await upload('bulk/part.csv', '2025-01-10T00:00:00Z,bulk,1\n');
    const senders = READY_QUEUES.map(() => ingestClient());
    const total = 2000;
    let deepest = 0;
    let sent = 0;
    const depth = async (): Promise<void> => {
      const depths = await Promise.all(
        READY_QUEUES.map(
          async (q) => (await queueClient(h.storage, q).getProperties()).approximateMessagesCount ?? 0,
        ),
      );
      deepest = Math.max(deepest, ...depths);
    };
    // 8 senders over 4 clients (one client per queue), as a restore fanning out would queue.
    await Promise.all(
      Array.from({ length: 8 }, async (_, lane) => {
        const client = senders[lane % senders.length]!;
        while (sent < total) {
          sent++;
          await client.ingestFromBlob(new BlobDescriptor(url, size, randomUUID()), {
            format: DataFormat.CSV,
          });
          if (sent % 250 === 0) await depth();
        }
      }),
    );
    await h.drain();
    expect(rows()).toHaveLength(total);
    expect(h.state.ingestionFailures).toEqual([]);
    expect(deepest).toBeLessThan(250);
  }, 120_000);
});

describe('consumer lifecycle', () => {
  const engine = (): IngestionConsumer => h.core.ingestion as IngestionConsumer;
  const message = (url: string): string =>
    encodeMessage({
      Id: randomUUID(),
      BlobPath: url,
      DatabaseName: 'db1',
      TableName: 'Events',
      AdditionalProperties: { format: 'csv', authorizationContext: identityToken(h.state) },
    });

  afterEach(() => engine().start());

  it('drains by itself when its loops are not running', async () => {
    await engine().stop();
    const { url } = await upload('life/part.csv', '2025-01-11T00:00:00Z,l,1\n');
    const queue = queueClient(h.storage, READY_QUEUES[2]!);
    for (let i = 0; i < 3; i++) await queue.sendMessage(message(url));
    expect((await queue.getProperties()).approximateMessagesCount).toBe(3);
    await createIngestionConsumer(() => h.core).drain();
    expect(rows()).toHaveLength(3);
    expect((await queue.getProperties()).approximateMessagesCount).toBe(0);
  });

  it('fails a waiting drain when polling fails, and still stops cleanly', async () => {
    await engine().stop();
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const consumer = createIngestionConsumer(() => h.core, { maxPollIntervalMs: 50 });
    const queue = queueClient(h.storage, READY_QUEUES[3]!);
    try {
      consumer.start();
      await queue.delete();
      await expect(consumer.drain()).rejects.toMatchObject({ statusCode: 404 });
      expect(warn).toHaveBeenCalledWith(expect.stringContaining(`polling ${READY_QUEUES[3]} failed`));
    } finally {
      await consumer.stop();
      warn.mockRestore();
      await queue.createIfNotExists();
    }
  });
});
