import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { createVerifyReportStore, verifyReportName } from '../../../lib/storage/verifyReports';
import { startAzurite, type AzuriteHandle } from '../../helpers/azurite';

let az: AzuriteHandle;
beforeAll(async () => {
  az = await startAzurite();
});
afterAll(() => az.stop());

it('names reports by time, writes both renderings with content types, and finds the newest', async () => {
  expect(verifyReportName('Sales db', new Date('2026-01-02T03:04:05.678Z'))).toBe(
    '_reports/verify/Sales db/20260102T030405Z',
  );
  const store = createVerifyReportStore({
    credential: new StorageSharedKeyCredential(az.account, az.accountKey),
  });
  const container = `${az.blobUrl}/reports-test`;
  expect(await store.latest(container, 'Sales db', 'json')).toBeUndefined();
  const older = verifyReportName('Sales db', new Date('2026-01-01T02:00:00Z'));
  const newer = verifyReportName('Sales db', new Date('2026-01-02T02:00:00Z'));
  await store.write(container, newer, '{"n":2}', '<p>2</p>');
  const written = await store.write(container, older, '{"n":1}', '<p>1</p>');
  expect(written.html).toBe(`${container}/_reports/verify/Sales%20db/20260101T020000Z.html`);
  await store.write(
    container,
    verifyReportName('Other', new Date('2026-02-01T00:00:00Z')),
    '{"n":3}',
    '<p>3</p>',
  );
  expect(await store.latest(container, 'Sales db', 'json')).toEqual({
    name: `${newer}.json`,
    text: '{"n":2}',
  });
  expect((await store.latest(container, 'Sales db', 'html'))?.text).toBe('<p>2</p>');
  const props = await BlobServiceClient.fromConnectionString(az.connectionString)
    .getContainerClient('reports-test')
    .getBlobClient(`${newer}.html`)
    .getProperties();
  expect(props.contentType).toBe('text/html; charset=utf-8');
});
