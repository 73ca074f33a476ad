import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import { TableClient } from '@azure/data-tables';
import { startAzurite, type AzuriteHandle } from '../helpers/azurite';

let az: AzuriteHandle;
beforeAll(async () => {
  az = await startAzurite();
});
afterAll(async () => {
  await az.stop();
});

test('blob, queue and table services answer on loopback', async () => {
  expect(az.blobUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/);
  const blobs = BlobServiceClient.fromConnectionString(az.connectionString);
  const container = blobs.getContainerClient('probe');
  await container.create();
  await container.getBlockBlobClient('a/b.txt').upload('hello', 5);
  const names: string[] = [];
  for await (const b of container.listBlobsFlat()) names.push(b.name);
  expect(names).toEqual(['a/b.txt']);

  const q = QueueServiceClient.fromConnectionString(az.connectionString).getQueueClient('probeq');
  await q.create();
  await q.sendMessage('m1');
  const got = await q.receiveMessages();
  expect(got.receivedMessageItems.map((m) => m.messageText)).toEqual(['m1']);

  const t = TableClient.fromConnectionString(az.connectionString, 'probet', {
    allowInsecureConnection: true,
  });
  await t.createTable();
  await t.createEntity({ partitionKey: 'p', rowKey: 'r', v: 7 });
  expect((await t.getEntity<{ v: number }>('p', 'r')).v).toBe(7);
});

test('queue messages keep Azure semantics under the patched store: visibility, pop receipts, deletes, counts', async () => {
  const service = QueueServiceClient.fromConnectionString(az.connectionString);
  const a = service.getQueueClient('semantics-a');
  const b = service.getQueueClient('semantics-b');
  await Promise.all([a.create(), b.create()]);
  for (let i = 0; i < 5; i++) await Promise.all([a.sendMessage(`a${i}`), b.sendMessage(`b${i}`)]);

  // Receives take only this queue's messages, and a received message stays invisible.
  const first = await a.receiveMessages({ numberOfMessages: 3, visibilityTimeout: 1 });
  expect(first.receivedMessageItems.map((m) => m.messageText)).toEqual(['a0', 'a1', 'a2']);
  expect(first.receivedMessageItems.every((m) => m.dequeueCount === 1)).toBe(true);
  const rest = await a.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 30 });
  expect(rest.receivedMessageItems.map((m) => m.messageText)).toEqual(['a3', 'a4']);
  expect((await a.receiveMessages({ numberOfMessages: 32 })).receivedMessageItems).toEqual([]);

  // Deletes need the latest pop receipt; a stale one is refused.
  const [a3] = rest.receivedMessageItems;
  await a.deleteMessage(a3!.messageId, a3!.popReceipt);
  await expect(a.deleteMessage(a3!.messageId, a3!.popReceipt)).rejects.toMatchObject({ statusCode: 404 });
  const [a4] = rest.receivedMessageItems.slice(1);
  await expect(a.deleteMessage(a4!.messageId, 'stale')).rejects.toMatchObject({ statusCode: 400 });

  // After the visibility timeout the first three come back, received a second time.
  await new Promise((resolve) => setTimeout(resolve, 1_200));
  const again = await a.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 30 });
  expect(again.receivedMessageItems.map((m) => [m.messageText, m.dequeueCount])).toEqual([
    ['a0', 2],
    ['a1', 2],
    ['a2', 2],
  ]);
  expect((await a.getProperties()).approximateMessagesCount).toBe(4);
  expect((await b.getProperties()).approximateMessagesCount).toBe(5);
  const peeked = await b.peekMessages({ numberOfMessages: 32 });
  expect(peeked.peekedMessageItems.map((m) => m.messageText)).toEqual(['b0', 'b1', 'b2', 'b3', 'b4']);
});
