import { parseStorageEvent } from '../../../lib/catalog/blobEvents';
import { ValidationError } from '../../../lib/errors';
import { thrown } from '../../helpers/resultTables';

const URL_ = 'https://acct.blob.core.windows.net/backup/db/T/20260101/f.parquet';
const eventGrid = (data: Record<string, unknown>, over: Record<string, unknown> = {}) => ({
  topic: '/subscriptions/s/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/acct',
  subject: '/blobServices/default/containers/backup/blobs/db/T/20260101/f.parquet',
  eventType: 'Microsoft.Storage.BlobCreated',
  eventTime: '2026-01-01T00:00:00.0000000Z',
  id: 'e1',
  data: { api: 'PutBlob', contentLength: 524, url: URL_, ...data },
  dataVersion: '',
  metadataVersion: '1',
  ...over,
});
const cloudEvent = (data: Record<string, unknown>) => ({
  specversion: '1.0',
  type: 'Microsoft.Storage.BlobCreated',
  source: '/subscriptions/s/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/acct',
  subject: '/blobServices/default/containers/backup/blobs/db/T/20260101/f.parquet',
  time: '2026-01-01T00:00:01Z',
  id: 'c1',
  data: {
    api: 'FlushWithClose',
    contentLength: 0,
    contentOffset: 0,
    url: URL_.replace('.blob.', '.dfs.'),
    ...data,
  },
});

it('reads finished writes in the Event Grid schema', () => {
  for (const api of ['PutBlob', 'PutBlockList', 'CopyBlob']) {
    expect(parseStorageEvent(eventGrid({ api }))).toEqual({
      kind: 'blob-created',
      event: {
        id: 'e1',
        url: URL_,
        api,
        contentLength: 524,
        eventTime: '2026-01-01T00:00:00.0000000Z',
        schema: 'EventGrid',
      },
    });
  }
});

it('reads the CloudEvents schema and keeps FlushWithClose whatever its contentLength', () => {
  expect(parseStorageEvent(cloudEvent({}))).toMatchObject({
    kind: 'blob-created',
    event: {
      id: 'c1',
      api: 'FlushWithClose',
      contentLength: null,
      eventTime: '2026-01-01T00:00:01Z',
      schema: 'CloudEvents',
    },
  });
});

it('ignores ADLS CreateFile, other APIs, zero-length blobs and other event types', () => {
  expect(parseStorageEvent(cloudEvent({ api: 'CreateFile' }))).toEqual({
    kind: 'ignored',
    reason: "api 'CreateFile' does not complete a file",
  });
  expect(parseStorageEvent(eventGrid({ api: 'PutBlock' })).kind).toBe('ignored');
  expect(parseStorageEvent(eventGrid({ contentLength: 0 }))).toEqual({
    kind: 'ignored',
    reason: 'zero-length blob',
  });
  expect(parseStorageEvent(eventGrid({}, { eventType: 'Microsoft.Storage.BlobDeleted' })).kind).toBe(
    'ignored',
  );
});

it.each([
  ['a non-object', 42, 'event'],
  ['no event type', eventGrid({}, { eventType: undefined }), 'eventType'],
  ['no data', eventGrid({}, { data: 'x' }), 'data'],
  ['no url', eventGrid({ url: '' }), 'data.url'],
  ['no api', eventGrid({ api: undefined }), 'data.api'],
  ['a negative length', eventGrid({ contentLength: -1 }), 'data.contentLength'],
])('names the field of a malformed event: %s', (_label, input, field) => {
  const e = thrown(() => parseStorageEvent(input));
  expect(e).toBeInstanceOf(ValidationError);
  expect((e as ValidationError).field).toBe(field);
});
