import { InvocationContext } from '@azure/functions';
import { makeArtifactEventHandler, recordArtifactEvent } from '../../../lib/catalog/intake';
import type { Logger } from '../../../lib/kusto/gateway';
import { FakeCatalog, artifact } from '../../helpers/catalogFakes';

const CONTAINER = 'https://acct.blob.core.windows.net/backup';
const URL_ = `${CONTAINER}/db/T/20260101/f.parquet`;
const event = (url = URL_, over: Record<string, unknown> = {}) => ({
  eventType: 'Microsoft.Storage.BlobCreated',
  eventTime: '2026-01-01T00:00:00Z',
  id: 'e1',
  data: { api: 'PutBlob', contentLength: 524, url, ...over },
});

it('records a new artifact as pending, and a second delivery changes nothing', async () => {
  const catalog = new FakeCatalog();
  const deps = { catalog, containers: [CONTAINER] };
  expect(await recordArtifactEvent(deps, event())).toEqual({
    kind: 'recorded',
    path: URL_,
    database: 'db',
    table: 'T',
  });
  const first = catalog.artifacts.get(URL_);
  expect(first).toEqual({
    database: 'db',
    table: 'T',
    path: URL_,
    partitionDate: '2026-01-01',
    numRecords: null,
    sizeInBytes: 524,
    source: 'event',
    state: 'pending',
    committedAt: null,
    chunkId: null,
  });
  expect(await recordArtifactEvent(deps, event())).toEqual({ kind: 'known', path: URL_ });
  expect(catalog.artifacts.get(URL_)).toBe(first);
});

it('never touches a committed or orphan artifact', async () => {
  const catalog = new FakeCatalog();
  const committed = artifact(URL_);
  await catalog.putArtifacts([committed]);
  expect((await recordArtifactEvent({ catalog, containers: [] }, event())).kind).toBe('known');
  expect(catalog.artifacts.get(URL_)).toBe(committed);
});

it('ignores other containers and paths outside the layout', async () => {
  const catalog = new FakeCatalog();
  const deps = { catalog, containers: [CONTAINER] };
  expect(
    await recordArtifactEvent(
      deps,
      event('https://acct.blob.core.windows.net/other/db/T/20260101/f.parquet'),
    ),
  ).toEqual({
    kind: 'ignored',
    reason: "container 'acct/other' is not a backup container",
  });
  expect((await recordArtifactEvent(deps, event(`${CONTAINER}/db/_schema/x.kql`))).kind).toBe('ignored');
  expect((await recordArtifactEvent(deps, event(URL_, { api: 'CreateFile', contentLength: 0 }))).kind).toBe(
    'ignored',
  );
  expect(catalog.artifacts.size).toBe(0);
});

describe('the Event Grid handler', () => {
  const lines: string[] = [];
  const logger: Logger = {
    info: (m) => lines.push(`info ${m}`),
    warn: (m, f) => lines.push(`warn ${m} ${String(f?.field)}`),
    error: (m) => lines.push(`error ${m}`),
  };
  const context = new InvocationContext({ functionName: 'artifactEvents', logHandler: () => undefined });

  it('drops a malformed event with a warning naming the field, and throws storage failures for a retry', async () => {
    const catalog = new FakeCatalog();
    const handler = makeArtifactEventHandler(
      () => ({ catalog, containers: [] }),
      () => logger,
    );
    await handler({ eventType: 'Microsoft.Storage.BlobCreated', data: { api: 'PutBlob' } }, context);
    expect(lines).toEqual(['warn malformed storage event dropped data.url']);
    await handler(event(), context);
    expect(lines[1]).toBe('info artifact catalogued as pending');
    catalog.insertArtifactsIfAbsent = () => Promise.reject(new Error('table service unavailable'));
    await expect(handler(event(`${CONTAINER}/db/T/20260102/g.parquet`), context)).rejects.toThrow(
      'unavailable',
    );
  });
});
