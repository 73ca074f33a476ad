import { startAzurite, type AzuriteHandle } from '../../helpers/azurite';
import type { BlobStore } from '../core';
import { createBlobStore } from './blobStore';

let azurite: AzuriteHandle;
let store: BlobStore;
beforeAll(async () => {
  azurite = await startAzurite();
  store = createBlobStore(azurite);
});
afterAll(async () => {
  await azurite.stop();
});

describe('blob store', () => {
  it('maps every connection-string form to the same local container and prefix', () => {
    const base = `${azurite.blobUrl}/backup`;
    expect(store.resolve('https://anyacct.blob.core.windows.net/backup/db/T;impersonate')).toEqual({
      container: 'backup',
      prefix: 'db/T',
      url: `${base}/db/T`,
    });
    expect(store.resolve('abfss://backup@acct.dfs.core.windows.net/db/T;managed_identity=system').url).toBe(
      `${base}/db/T`,
    );
    expect(store.resolve('https://acct.dfs.core.windows.net/backup?sv=1&sig=x').url).toBe(base);
    expect(store.resolve(`${azurite.blobUrl}/backup/db;AccountKey==`).prefix).toBe('db');
  });

  it('uploads (creating the container), lists under a prefix and downloads by name and by URL', async () => {
    const { url, size } = await store.upload('fresh', 'a/b c/1.bin', new Uint8Array([1, 2, 3]));
    expect(size).toBe(3);
    await store.upload('fresh', 'a/2.bin', new Uint8Array([4]));
    await store.upload('fresh', 'z/3.bin', new Uint8Array([5]));
    const listed = await store.list('fresh', 'a/');
    expect(listed.map((b) => [b.name, b.size])).toEqual([
      ['a/2.bin', 1],
      ['a/b c/1.bin', 3],
    ]);
    expect([...(await store.download('fresh', 'a/b c/1.bin'))]).toEqual([1, 2, 3]);
    expect([...(await store.downloadUrl(url))]).toEqual([1, 2, 3]);
    expect([...(await store.downloadUrl('https://cloudacct.blob.core.windows.net/fresh/z/3.bin'))]).toEqual([
      5,
    ]);
    expect(await store.list('missing', '')).toEqual([]);
  });
});
