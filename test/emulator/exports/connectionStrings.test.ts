import { maskConnectionString, parseConnectionString } from './connectionStrings';

describe('storage connection strings', () => {
  it.each([
    ['https://acct.blob.core.windows.net/backup/db/T;impersonate', 'acct', 'backup', 'db/T', 'blob'],
    ['https://acct.blob.core.windows.net/backup', 'acct', 'backup', '', 'blob'],
    ['https://acct.blob.core.chinacloudapi.cn/c1/p%20q/?sv=1&sig=x', 'acct', 'c1', 'p q', 'blob'],
    ['https://acct.dfs.core.windows.net/fs/dir;sharedkey=abc', 'acct', 'fs', 'dir', 'dfs'],
    ['abfss://fs@acct.dfs.core.windows.net/a/b;managed_identity=system', 'acct', 'fs', 'a/b', 'dfs'],
    ['http://127.0.0.1:10000/devstoreaccount1/backup/x/y', 'devstoreaccount1', 'backup', 'x/y', 'blob'],
    [
      'http://localhost:10000/devstoreaccount1/backup;AccountKeyValue==',
      'devstoreaccount1',
      'backup',
      '',
      'blob',
    ],
  ])('parses %s', (cs, account, container, prefix, endpoint) => {
    expect(parseConnectionString(cs)).toMatchObject({ account, container, prefix, endpoint });
  });

  it('rejects strings that name no container or are not storage URLs', () => {
    expect(() => parseConnectionString('https://acct.blob.core.windows.net/')).toThrow(
      /must name a container/,
    );
    expect(() => parseConnectionString('not a url')).toThrow(/Invalid storage connection string/);
    expect(() => parseConnectionString('ftp://host/c')).toThrow(/Unsupported/);
  });

  it('masks secrets but keeps the URL and the identity options', () => {
    expect(maskConnectionString('https://a.blob.core.windows.net/c;Key123==')).toBe(
      'https://a.blob.core.windows.net/c;*******',
    );
    expect(maskConnectionString('https://a.blob.core.windows.net/c?sv=1&sig=s3cr3t')).toBe(
      'https://a.blob.core.windows.net/c?*******',
    );
    expect(maskConnectionString('https://a.blob.core.windows.net/c;token=eyJabc')).toBe(
      'https://a.blob.core.windows.net/c;*******',
    );
    expect(maskConnectionString('https://a.blob.core.windows.net/c;impersonate')).toBe(
      'https://a.blob.core.windows.net/c;impersonate',
    );
    expect(maskConnectionString('https://a.blob.core.windows.net/c;managed_identity=system')).toBe(
      'https://a.blob.core.windows.net/c;managed_identity=system',
    );
    expect(maskConnectionString('https://a.blob.core.windows.net/c')).toBe(
      'https://a.blob.core.windows.net/c',
    );
  });
});
