import { gzipSync } from 'node:zlib';
import { decompress, isGzip, isZip, utf8Text } from './decode';

describe('decompress', () => {
  it('recognises gzip by its magic bytes and inflates it, concatenated members included', async () => {
    const data = Buffer.concat([gzipSync('a,1\n'), gzipSync('b,2\n')]);
    expect(isGzip(data)).toBe(true);
    expect(utf8Text(await decompress(data))).toBe('a,1\nb,2\n');
  });

  it('passes other bytes through', async () => {
    const plain = Buffer.from('\u001f not gzip');
    expect(await decompress(plain)).toBe(plain);
  });

  it('fails empty blobs, empty or corrupt archives, and zip', async () => {
    await expect(decompress(new Uint8Array())).rejects.toMatchObject({ code: 'BadRequest_EmptyBlob' });
    await expect(decompress(gzipSync(''))).rejects.toMatchObject({ code: 'BadRequest_EmptyBlob' });
    await expect(decompress(Buffer.from([0x1f, 0x8b, 1, 2, 3]))).rejects.toMatchObject({
      code: 'BadRequest_InvalidArchive',
      permanent: true,
    });
    const zip = Buffer.from([0x50, 0x4b, 3, 4, 0]);
    expect(isZip(zip)).toBe(true);
    await expect(decompress(zip)).rejects.toMatchObject({ code: 'BadRequest_NotSupported' });
  });
});

describe('utf8Text', () => {
  it('decodes UTF-8 and drops a byte-order mark', () => {
    expect(utf8Text(Buffer.from('\ufeffé,1', 'utf8'))).toBe('é,1');
  });
});
