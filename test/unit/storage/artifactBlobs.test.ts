import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { createArtifactBlobStore, splitBlobUrl } from '../../../lib/storage/artifactBlobs';
import { ValidationError } from '../../../lib/errors';
import { startAzurite, type AzuriteHandle } from '../../helpers/azurite';
import { thrown } from '../../helpers/resultTables';

let az: AzuriteHandle;
let container: string;
beforeAll(async () => {
  az = await startAzurite();
  container = `${az.blobUrl}/backup`;
  const client = BlobServiceClient.fromConnectionString(az.connectionString).getContainerClient('backup');
  await client.create();
  for (const name of ['db/T/20260101/a.parquet', 'db/T/20260102/b c.parquet', 'db/U/20260101/x.parquet']) {
    await client.getBlockBlobClient(name).upload('0123456789', 10);
  }
});
afterAll(() => az.stop());

it('splits cloud and path-style blob URLs', () => {
  expect(splitBlobUrl('https://acct.blob.core.windows.net/backup/db/T/a%20b.parquet')).toEqual({
    containerUrl: 'https://acct.blob.core.windows.net/backup',
    blobName: 'db/T/a b.parquet',
  });
  expect(splitBlobUrl('http://127.0.0.1:1/devstoreaccount1/backup/db/x.parquet').containerUrl).toBe(
    'http://127.0.0.1:1/devstoreaccount1/backup',
  );
  expect(thrown(() => splitBlobUrl('https://acct.blob.core.windows.net/backup'))).toBeInstanceOf(
    ValidationError,
  );
});

describe.each([
  ['an account key', () => ({ credential: new StorageSharedKeyCredential(az.account, az.accountKey) })],
  [
    'the emulator connection string',
    () => ({
      credential: { getToken: () => Promise.reject(new Error('no token over http')) },
      emulatorConnectionString: az.connectionString,
    }),
  ],
])('with %s', (_label, access) => {
  it('lists a folder and reads sizes and byte ranges', async () => {
    const store = createArtifactBlobStore(access());
    const listed = await store.list(container, 'db/T/');
    expect(listed.map((b) => [b.name, b.size])).toEqual([
      ['db/T/20260101/a.parquet', 10],
      ['db/T/20260102/b c.parquet', 10],
    ]);
    expect(listed[1]!.url).toBe(`${container}/db/T/20260102/b%20c.parquet`);
    expect(listed[0]!.lastModified).toBeInstanceOf(Date);
    expect(await store.size(listed[1]!.url)).toBe(10);
    expect(Buffer.from(await store.readRange(listed[0]!.url, 6, 4)).toString()).toBe('6789');
    expect(await store.list(`${az.blobUrl}/missing`, '')).toEqual([]);
  });
});

it('moves a file within its container', async () => {
  const store = createArtifactBlobStore({
    credential: new StorageSharedKeyCredential(az.account, az.accountKey),
  });
  const to = await store.move(`${container}/db/U/20260101/x.parquet`, '_orphans/db/U/20260101/x.parquet');
  expect(to).toBe(`${container}/_orphans/db/U/20260101/x.parquet`);
  expect((await store.list(container, 'db/U/')).length).toBe(0);
  expect(Buffer.from(await store.readRange(to, 0, 10)).toString()).toBe('0123456789');
});
