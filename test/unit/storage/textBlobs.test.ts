import { StorageSharedKeyCredential } from '@azure/storage-blob';
import { createTextBlobStore } from '../../../lib/storage/textBlobs';
import { startAzurite, type AzuriteHandle } from '../../helpers/azurite';

let az: AzuriteHandle;
beforeAll(async () => {
  az = await startAzurite();
});
afterAll(async () => {
  await az.stop();
});

test('writes text (creating the container), and finds the latest blob under a prefix', async () => {
  const store = createTextBlobStore(new StorageSharedKeyCredential(az.account, az.accountKey));
  const container = `${az.blobUrl}/snapshots`;
  expect(await store.latestText(container, 'db/_schema/')).toBeUndefined();
  const url = await store.writeText(
    container,
    'db/_schema/20260101T000000Z.kql',
    '.create table A (x:long)\n',
  );
  expect(url).toBe(`${container}/db/_schema/20260101T000000Z.kql`);
  await store.writeText(container, 'db/_schema/20260102T000000Z.kql', '.create table B (y:long)\n');
  await store.writeText(container, 'db/other.txt', 'not a snapshot');
  await store.writeText(container, 'db2/_schema/20270101T000000Z.kql', 'other database');
  expect(await store.latestText(container, 'db/_schema/')).toEqual({
    name: 'db/_schema/20260102T000000Z.kql',
    text: '.create table B (y:long)\n',
  });
});
