import { folderTarget, parseArtifactUrl } from '../../../lib/deletions/artifactLocation';
import { ValidationError } from '../../../lib/errors';
import { storageConnectionString } from '../../../lib/kusto/quote';

test('splits an Azure blob URL; the standard endpoint is implied', () => {
  const loc = parseArtifactUrl(
    'https://acct1.blob.core.windows.net/backup/Sales%20db/Orders/20260101/a_1_b.parquet',
  );
  expect(loc).toEqual({
    account: 'acct1',
    container: 'backup',
    folder: ['Sales db', 'Orders', '20260101'],
    fileName: 'a_1_b.parquet',
    folderUrl: 'https://acct1.blob.core.windows.net/backup/Sales%20db/Orders/20260101',
  });
  // The connection string ADX gets points at the same folder, with identity auth.
  expect(storageConnectionString(folderTarget(loc, { kind: 'impersonate' }))).toBe(
    'https://acct1.blob.core.windows.net/backup/Sales%20db/Orders/20260101;impersonate',
  );
});

test('keeps other clouds and a loopback storage emulator as explicit endpoints', () => {
  expect(parseArtifactUrl('https://acct1.blob.core.chinacloudapi.cn/c1x/T/f.parquet')).toMatchObject({
    account: 'acct1',
    endpoint: 'https://acct1.blob.core.chinacloudapi.cn',
    folder: ['T'],
  });
  const local = parseArtifactUrl('http://127.0.0.1:10000/devstoreaccount1/backup/db/T/f.parquet');
  expect(local).toMatchObject({
    account: 'devstoreaccount1',
    container: 'backup',
    folder: ['db', 'T'],
    fileName: 'f.parquet',
    endpoint: 'http://127.0.0.1:10000/devstoreaccount1',
    folderUrl: 'http://127.0.0.1:10000/devstoreaccount1/backup/db/T',
  });
  expect(storageConnectionString(folderTarget(local, { kind: 'managedIdentity', identity: 'system' }))).toBe(
    'http://127.0.0.1:10000/devstoreaccount1/backup/db/T;managed_identity=system',
  );
});

test.each([
  ['not a URL', 'backup/f.parquet'],
  ['a SAS', 'https://acct1.blob.core.windows.net/backup/f.parquet?sv=1&sig=secret'],
  ['plain http to a remote host', 'http://acct1.blob.core.windows.net/backup/f.parquet'],
  ['no file', 'https://acct1.blob.core.windows.net/backup'],
  ['a bad container', 'https://acct1.blob.core.windows.net/Backup_1/f.parquet'],
  ['credentials', 'https://u:p@acct1.blob.core.windows.net/backup/f.parquet'],
])('rejects %s, naming the field', (_label, url) => {
  let error: unknown;
  try {
    parseArtifactUrl(url);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).field).toBe('path');
  expect((error as Error).message).not.toContain('secret');
});
