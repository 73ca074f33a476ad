import type { EmulatorCore } from '../core';
import { downloadSource } from './download';
import { accountSas } from './resources';
import { startDmHarness, type DmHarness } from './testHarness';

let h: DmHarness;
let url: string;

beforeAll(async () => {
  h = await startDmHarness();
  url = (await h.upload('a/b.csv', 'x,1\n')).url.split('?')[0]!;
});

afterAll(() => h.stop());

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

describe('downloadSource', () => {
  it('downloads with the SAS the URL carries', async () => {
    expect(text(await downloadSource(h.core, `${url}?${accountSas(h.storage)}`))).toBe('x,1\n');
  });

  it('downloads credential-suffixed, bare and cloud-style URLs through the blob store (the cluster identity)', async () => {
    expect(text(await downloadSource(h.core, `${url};managed_identity=system`))).toBe('x,1\n');
    expect(text(await downloadSource(h.core, ` ${url};impersonate `))).toBe('x,1\n');
    const cloud = 'https://backupacct.blob.core.windows.net/sources/a/b.csv?sv=2024&sig=cloudsig';
    expect(text(await downloadSource(h.core, cloud))).toBe('x,1\n');
  });

  it('maps storage errors to the documented download codes, without secrets in the details', async () => {
    const sas = accountSas(h.storage);
    const missing = `${h.sources.url}/missing.csv`;
    await expect(downloadSource(h.core, `${missing}?${sas}`)).rejects.toMatchObject({
      code: 'Download_SourceNotFound',
      permanent: true,
      details: expect.stringContaining(missing),
    });
    await expect(downloadSource(h.core, `${missing};impersonate`)).rejects.toMatchObject({
      code: 'Download_SourceNotFound',
    });
    const forged = `${url}?${sas.replace(/sig=[^&]+/, 'sig=Zm9yZ2Vk')}`;
    const failure = downloadSource(h.core, forged);
    await expect(failure).rejects.toMatchObject({ code: 'Download_Forbidden', permanent: true });
    await expect(failure).rejects.toMatchObject({ details: expect.not.stringContaining('sig=') });
    await expect(downloadSource(h.core, '  ')).rejects.toMatchObject({ code: 'BadRequest_EmptyBlobUri' });
  });

  it('reports other storage failures as transient', async () => {
    const broken = {
      state: h.state,
      blobs: { downloadUrl: () => Promise.reject(new Error('socket hang up')) },
    } as unknown as EmulatorCore;
    await expect(downloadSource(broken, `${url};impersonate`)).rejects.toMatchObject({
      code: 'Download_UnknownError',
      permanent: false,
      details: expect.stringContaining('socket hang up'),
    });
  });
});
