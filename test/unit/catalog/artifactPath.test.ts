import { canonicalBlobUrl, classifyBackupBlob, quarantineBlobName } from '../../../lib/catalog/artifactPath';
import { ValidationError } from '../../../lib/errors';
import { thrown } from '../../helpers/resultTables';

const A = 'https://acct.blob.core.windows.net/backup';

describe('canonicalBlobUrl', () => {
  it('maps the dfs host to blob, drops the SAS and normalises percent-encoding', () => {
    expect(
      canonicalBlobUrl('https://acct.dfs.core.windows.net/backup/My%20Db/T%2Ex/f.parquet?sig=secret'),
    ).toBe(`${A}/My%20Db/T.x/f.parquet`);
    expect(canonicalBlobUrl(`${A}/My Db/T.x/f.parquet`)).toBe(`${A}/My%20Db/T.x/f.parquet`);
  });

  it('names the field for something that is not a blob URL', () => {
    const e = thrown(() => canonicalBlobUrl('ftp://x/y', 'data.url'));
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).field).toBe('data.url');
  });
});

describe('classifyBackupBlob', () => {
  it('locates partitioned, default-partition and unpartitioned artifacts', () => {
    const day = classifyBackupBlob(`${A}/Sales/Orders/20260131/x_1_y.parquet`);
    expect(day).toEqual({
      kind: 'artifact',
      blob: {
        url: `${A}/Sales/Orders/20260131/x_1_y.parquet`,
        containerUrl: A,
        containerKey: 'acct/backup',
        blobName: 'Sales/Orders/20260131/x_1_y.parquet',
        database: 'Sales',
        table: 'Orders',
        partitioned: true,
        partitionDate: '2026-01-31',
      },
    });
    expect(classifyBackupBlob(`${A}/Sales/Orders/__DEFAULT_PARTITION__/x.parquet`)).toMatchObject({
      blob: { partitioned: true, partitionDate: null },
    });
    expect(classifyBackupBlob(`${A}/Sales/Notes/x.parquet`)).toMatchObject({
      blob: { partitioned: false, partitionDate: null, table: 'Notes' },
    });
  });

  it('reads path-style storage emulator URLs', () => {
    expect(
      classifyBackupBlob('http://127.0.0.1:10000/devstoreaccount1/backup/db/T/20260101/f.parquet'),
    ).toMatchObject({
      blob: {
        containerUrl: 'http://127.0.0.1:10000/devstoreaccount1/backup',
        containerKey: 'devstoreaccount1/backup',
      },
    });
  });

  it.each([
    ['schema snapshot', `${A}/Sales/_schema/20260101T000000Z.kql`],
    ['report', `${A}/_reports/verify/Sales/20260101T000000Z.json`],
    ['quarantined orphan', `${A}/_orphans/Sales/Orders/20260101/x.parquet`],
    ['not parquet', `${A}/Sales/Orders/20260101/x.csv`],
    ['not a day folder', `${A}/Sales/Orders/2026-01-01/x.parquet`],
    ['impossible day', `${A}/Sales/Orders/20260231/x.parquet`],
    ['too deep', `${A}/Sales/Orders/20260101/more/x.parquet`],
    ['too shallow', `${A}/Sales/x.parquet`],
    ['not a Kusto name', `${A}/Sales/Or%24ders/x.parquet`],
  ])('puts a %s outside the layout', (_label, url) => {
    expect(classifyBackupBlob(url).kind).toBe('outside-layout');
  });

  it('quarantines under _orphans with the same path', () => {
    expect(quarantineBlobName('Sales/Orders/20260101/x.parquet')).toBe(
      '_orphans/Sales/Orders/20260101/x.parquet',
    );
  });
});
