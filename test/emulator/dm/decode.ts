/**
 * Turns downloaded blob bytes into the bytes of the data: compression is recognised by its magic
 * bytes, never by the blob name, because the SDK's names lie (file uploads get `.gz` even when not
 * compressed, stream uploads can end in `..gz`; reference §3.4).
 */
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { permanent } from './errors';

const gunzipAsync = promisify(gunzip);

/** True when the bytes start with the gzip magic `1f 8b`. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** True when the bytes start with a zip local-file header `PK\x03\x04`. */
export function isZip(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04
  );
}

/**
 * Decompresses gzip (including concatenated members) and returns other bytes unchanged.
 * Throws `BadRequest_EmptyBlob` for no data and `BadRequest_InvalidArchive` for a corrupt archive.
 */
export async function decompress(bytes: Uint8Array): Promise<Uint8Array> {
  if (bytes.length === 0) throw permanent('BadRequest_EmptyBlob', 'Blob is empty.');
  if (isZip(bytes)) {
    throw permanent('BadRequest_NotSupported', 'Zip archives are not supported by this service.');
  }
  if (!isGzip(bytes)) return bytes;
  let out: Uint8Array;
  try {
    out = await gunzipAsync(bytes);
  } catch (error) {
    throw permanent('BadRequest_InvalidArchive', `Archive is invalid: ${(error as Error).message}.`);
  }
  if (out.length === 0) throw permanent('BadRequest_EmptyBlob', 'Blob is empty (empty archive).');
  return out;
}

/** UTF-8 text of the data, without a byte-order mark. */
export function utf8Text(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
