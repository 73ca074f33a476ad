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
