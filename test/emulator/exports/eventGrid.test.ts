import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BlobCreatedEvent } from './eventGrid';
import { startKit, type Kit } from './testkit';

let kit: Kit;
let server: Server;
const received: BlobCreatedEvent[] = [];
let failNext = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (failNext > 0) {
        failNext -= 1;
        res.writeHead(500).end();
        return;
      }
      received.push(...(JSON.parse(body) as BlobCreatedEvent[]));
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  kit = await startKit({ eventGridUrl: `http://127.0.0.1:${port}/events` });
  await kit.run('.create table T (Day:datetime, Name:string)');
  await kit.run('.ingest inline into table T <| 2025-01-01,a\n2025-01-02,b\n2025-01-03,c');
  await kit.run(
    '.create external table Ext (Day:datetime, Name:string) kind=storage partition by (D:datetime = startofday(Day)) ' +
      "dataformat=parquet ('https://prod.blob.core.windows.net/events/T;impersonate')",
  );
});
afterAll(async () => {
  await kit.stop();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function exportAll(): Promise<Record<string, unknown>[]> {
  const artifacts = await kit.run('.export to table Ext <| T');
  await kit.emu.idle();
  return artifacts;
}

describe('Event Grid BlobCreated', () => {
  it('posts one event per artifact in the Event Grid schema', async () => {
    const artifacts = await exportAll();
    expect(received).toHaveLength(3);
    const event = received.find((e) => e.data.url === artifacts[0]!.Path)!;
    expect(event).toMatchObject({
      topic: expect.stringMatching(/\/providers\/Microsoft\.Storage\/storageAccounts\/devstoreaccount1$/),
      eventType: 'Microsoft.Storage.BlobCreated',
      dataVersion: '',
      metadataVersion: '1',
      data: { api: 'PutBlob', blobType: 'BlockBlob', contentLength: artifacts[0]!.SizeInBytes },
    });
    const blobName = decodeURIComponent(new URL(event.data.url).pathname.split('/').slice(3).join('/'));
    expect(event.subject).toBe(`/blobServices/default/containers/events/blobs/${blobName}`);
    expect(event.eventTime).toMatch(/^2026-01-01T00:00:00\.0{7}Z$/); // the emulator's virtual clock
    expect(event.data.eTag).toMatch(/^"0x/);
    expect(event.data.sequencer).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(received.map((e) => e.id)).size).toBe(3);
  });

  it('drops and duplicates deliveries on request, and counts failed deliveries', async () => {
    received.length = 0;
    kit.emu.faults.eventGridDropNext = 1;
    kit.emu.faults.eventGridDuplicateNext = 1;
    await exportAll();
    expect(received).toHaveLength(3); // 3 blobs: one dropped, one sent twice
    expect(new Set(received.map((e) => e.id)).size).toBe(2);
    expect(new Set(received.map((e) => e.data.url)).size).toBe(2);

    received.length = 0;
    failNext = 1;
    const artifacts = await exportAll();
    expect(artifacts).toHaveLength(3); // the export never waits for or fails on delivery
    expect(received).toHaveLength(2);
  });

  it('sends nothing without a target', async () => {
    received.length = 0;
    kit.emu.setEventGridUrl(undefined);
    await exportAll();
    expect(received).toEqual([]);
  });
});
