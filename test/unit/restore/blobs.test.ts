import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { createRestoreBlobs } from '../../../lib/restore/blobs';
import type { RestoreBlobs } from '../../../lib/restore/blobs';
import { startAzurite, type AzuriteHandle } from '../../helpers/azurite';
import { writeParquet } from '../../emulator/parquet';

let az: AzuriteHandle;
let blobs: RestoreBlobs;
let container: string;
const parquet = writeParquet([{ name: 'Id', type: 'long' }], [[1], [2], [3]]);

beforeAll(async () => {
  az = await startAzurite();
  container = `${az.blobUrl}/backup`;
  const client = BlobServiceClient.fromConnectionString(az.connectionString).getContainerClient('backup');
  await client.createIfNotExists();
  for (const name of [
    'Sales/_schema/20250101T000000Z.kql',
    'Sales/Orders/20250101/a.parquet',
    'Sales/Orders/20250102/b c.parquet',
    'Sales/Orders/x.parquet',
  ]) {
    const data = name.endsWith('.kql')
      ? Buffer.from('.create-merge table Orders (Id:long)')
      : Buffer.from(parquet);
    await client.getBlockBlobClient(name).uploadData(data);
  }
  blobs = createRestoreBlobs({
    credential: new StorageSharedKeyCredential(az.account, az.accountKey),
    emulatorConnectionString: az.connectionString,
  });
});
afterAll(() => az.stop());

test('lists names, folders and blobs, and reads text', async () => {
  expect(await blobs.listNames(container, 'Sales/_schema/')).toEqual(['Sales/_schema/20250101T000000Z.kql']);
  expect(await blobs.readText(container, 'Sales/_schema/20250101T000000Z.kql')).toBe(
    '.create-merge table Orders (Id:long)',
  );
  expect(await blobs.listFolders(container, 'Sales/Orders/')).toEqual([
    'Sales/Orders/20250101/',
    'Sales/Orders/20250102/',
  ]);
  const listed = await blobs.listBlobs(container, 'Sales/Orders/20250102/');
  expect(listed).toEqual([
    {
      url: `${container}/Sales/Orders/20250102/b%20c.parquet`,
      name: 'Sales/Orders/20250102/b c.parquet',
      size: parquet.length,
      lastModified: expect.any(Date),
    },
  ]);
});

test('reads a parquet footer row count, with or without the size', async () => {
  const [blob] = await blobs.listBlobs(container, 'Sales/Orders/20250102/');
  expect(await blobs.parquetRowCount(blob!.url, blob!.size)).toBe(3);
  expect(await blobs.parquetRowCount(blob!.url, null)).toBe(3);
});

test('a container that does not exist lists nothing', async () => {
  const missing = `${az.blobUrl}/nothing-here`;
  expect(await blobs.listNames(missing, '')).toEqual([]);
  expect(await blobs.listFolders(missing, 'a/')).toEqual([]);
  expect(await blobs.listBlobs(missing, 'a/')).toEqual([]);
});
