import { ValidationError } from '../../../lib/errors';
import {
  artifactPartitionDate,
  parseContainerUrl,
  schemaSnapshotBlobName,
  tableBackupTarget,
  tableConnectionStrings,
  withoutQuery,
} from '../../../lib/storage/layout';

describe('parseContainerUrl', () => {
  it('reads public-cloud, sovereign-cloud and Azurite container URLs', () => {
    expect(parseContainerUrl('https://acct1.blob.core.windows.net/backup', 'c')).toEqual({
      account: 'acct1',
      container: 'backup',
    });
    expect(parseContainerUrl('https://acct1.blob.core.chinacloudapi.cn/backup/', 'c')).toEqual({
      account: 'acct1',
      container: 'backup',
      endpoint: 'https://acct1.blob.core.chinacloudapi.cn',
    });
    expect(parseContainerUrl('http://127.0.0.1:10000/devstoreaccount1/backup', 'c')).toEqual({
      account: 'devstoreaccount1',
      container: 'backup',
      endpoint: 'http://127.0.0.1:10000/devstoreaccount1',
    });
  });

  it.each([
    ['http://acct.blob.core.windows.net/backup', 'https'],
    ['https://acct.blob.core.windows.net/backup?sv=1&sig=secret', 'SAS'],
    ['https://acct.blob.core.windows.net/backup/sub', 'exactly one container'],
    ['https://acct.blob.core.windows.net/Backup', 'container name'],
    ['not a url', 'container URL'],
  ])('rejects %s naming the field', (url, why) => {
    let error: unknown;
    try {
      parseContainerUrl(url, 'containers[2]');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('containers[2]');
    expect((error as Error).message).toContain(why);
    expect((error as Error).message).not.toContain('secret');
  });
});

test('a table backs up to <container>/<database>/<table>, one identity connection string per container', () => {
  const target = tableBackupTarget('https://acct1.blob.core.windows.net/backup', 'db', 'T 1', {
    kind: 'impersonate',
  });
  expect(target).toEqual({
    account: 'acct1',
    container: 'backup',
    path: ['db', 'T 1'],
    auth: { kind: 'impersonate' },
  });
  expect(
    tableConnectionStrings(
      ['https://acct1.blob.core.windows.net/backup', 'http://127.0.0.1:1/devstoreaccount1/bk2'],
      'db',
      'T 1',
      { kind: 'managedIdentity', identity: 'system' },
    ),
  ).toEqual([
    'https://acct1.blob.core.windows.net/backup/db/T%201;managed_identity=system',
    'http://127.0.0.1:1/devstoreaccount1/bk2/db/T%201;managed_identity=system',
  ]);
});

test('schema snapshots are named by UTC time so they sort', () => {
  expect(schemaSnapshotBlobName('Sales', new Date('2026-03-04T05:06:07.890Z'))).toBe(
    'Sales/_schema/20260304T050607Z.kql',
  );
});

test('artifact paths: partition day from the yyyyMMdd folder, no SAS', () => {
  const url = 'https://a.blob.core.windows.net/backup/db/T/20260102/1_abc.parquet?sv=x&sig=y';
  expect(withoutQuery(url)).toBe('https://a.blob.core.windows.net/backup/db/T/20260102/1_abc.parquet');
  expect(artifactPartitionDate(url, true)).toBe('2026-01-02');
  expect(artifactPartitionDate('https://a/backup/db/T/__DEFAULT_PARTITION__/x.parquet', true)).toBeNull();
  // An unpartitioned table named like a date is not mistaken for a partition folder.
  expect(artifactPartitionDate('https://a/backup/db/20260102/x.parquet', false)).toBeNull();
});
