import type { Column } from '../values';
import { runIngestion, type IngestionRequest } from './ingest';
import { accountSas, identityToken } from './resources';
import { startDmHarness, type DmHarness } from './testHarness';

const COLUMNS: Column[] = [
  { name: 'Name', type: 'string' },
  { name: 'N', type: 'long' },
];

let h: DmHarness;

beforeAll(async () => {
  h = await startDmHarness();
});

afterAll(() => h.stop());

beforeEach(() => {
  h.resetTable('db1', 'T', COLUMNS);
  h.state.ingestionFailures.length = 0;
  h.faults.reset();
});

const blob = async (name: string, content: string): Promise<string> => (await h.upload(name, content)).url;

const request = (sources: string[], properties: Record<string, unknown> = {}): IngestionRequest => ({
  database: 'db1',
  table: 'T',
  sources,
  properties: { format: 'csv', ...properties },
  requireAuthorizationContext: false,
});

const table = () => h.state.database('db1')!.tables.get('T')!;

describe('runIngestion', () => {
  it('appends one extent holding every source, with creation time and tags', async () => {
    const a = await blob('a.csv', 'a,1\n');
    const b = await blob('b.csv', 'b,2\n');
    const outcome = await runIngestion(
      h.core,
      request([a, b], { creationTime: '2024-05-01', tags: '["ingest-by:x","drop-by:y","other"]' }),
    );
    expect(outcome.status).toBe('Succeeded');
    expect(table().extents).toHaveLength(1);
    const [extent] = table().extents;
    expect(outcome.status === 'Succeeded' && outcome.extent).toBe(extent);
    expect(extent!.rows).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect([extent!.creationTime, extent!.tags]).toEqual([
      Date.UTC(2024, 4, 1),
      ['ingest-by:x', 'drop-by:y', 'other'],
    ]);
    expect(extent!.ingestionTime).toBe(h.state.clock.now());
  });

  it('skips before downloading when an extent already carries the ingest-by tag', async () => {
    const a = await blob('once.csv', 'a,1\n');
    await runIngestion(h.core, request([a], { tags: '["ingest-by:part-1"]' }));
    // The second source does not even exist: the skip happens before any download.
    const missing = `${h.sources.url}/never-written.csv?${accountSas(h.storage)}`;
    const outcome = await runIngestion(
      h.core,
      request([missing], { ingestIfNotExists: '["part-0","part-1"]' }),
    );
    expect(outcome).toEqual({
      operationId: expect.any(String),
      rootActivityId: expect.any(String),
      status: 'Skipped',
      details: expect.stringContaining("'ingest-by:part-1'"),
    });
    expect(table().extents).toHaveLength(1);
    expect(h.state.ingestionFailures).toEqual([]);
    const other = await runIngestion(h.core, request([a], { ingestIfNotExists: 'part-2' }));
    expect(other.status).toBe('Succeeded');
  });

  it('applies an inline mapping', async () => {
    const a = await blob('mapped.csv', '9,name\n');
    const mapping = JSON.stringify([
      { Column: 'Name', Properties: { Ordinal: '1' } },
      { Column: 'N', Properties: { Ordinal: '0' } },
    ]);
    await runIngestion(h.core, request([a], { ingestionMapping: mapping }));
    expect(table().extents[0]!.rows).toEqual([['name', 9]]);
  });

  it('records failures with the failing source, codes and properties', async () => {
    const good = await blob('good.csv', 'a,1\n');
    const missing = `${h.sources.url}/nope.csv?${accountSas(h.storage)}`;
    const outcome = await runIngestion(h.core, request([good, missing], { tags: '["drop-by:r"]' }));
    expect(outcome.status).toBe('Failed');
    expect(table().extents).toEqual([]);
    expect(h.state.ingestionFailures).toEqual([
      {
        operationId: outcome.operationId,
        database: 'db1',
        table: 'T',
        failedOn: h.state.clock.now(),
        ingestionSourcePath: `${h.sources.url}/nope.csv`,
        details: expect.stringContaining('Source not found'),
        failureKind: 'Permanent',
        rootActivityId: outcome.rootActivityId,
        operationKind: 'DataIngestPull',
        errorCode: 'Download_SourceNotFound',
        shouldRetry: false,
        ingestionProperties: 'Format=Csv, Tags=["drop-by:r"]',
      },
    ]);
  });

  it('fails unknown databases and tables, empty names and no sources', async () => {
    const a = await blob('x.csv', 'a,1\n');
    const codes: string[] = [];
    for (const r of [
      { ...request([a]), database: 'nodb' },
      { ...request([a]), table: 'NoTable' },
      { ...request([a]), database: '' },
      { ...request([a]), table: '' },
      request([]),
    ]) {
      const o = await runIngestion(h.core, r);
      codes.push(o.status === 'Failed' ? o.error.code : o.status);
    }
    expect(codes).toEqual([
      'BadRequest_DatabaseNotExist',
      'BadRequest_TableNotExist',
      'BadRequest_EmptyDatabaseName',
      'BadRequest_InvalidOrEmptyTableName',
      'BadRequest_EmptyBlobUri',
    ]);
  });

  it('checks the identity token when required, and honours the failure fault first', async () => {
    const a = await blob('auth.csv', 'a,1\n');
    const queued = { ...request([a]), requireAuthorizationContext: true };
    const bad = await runIngestion(h.core, {
      ...queued,
      properties: { format: 'csv', authorizationContext: 'x' },
    });
    expect(bad.status === 'Failed' && bad.error.code).toBe('BadRequest_InvalidKustoIdentityToken');
    const token = { format: 'csv', authorizationContext: identityToken(h.state) };
    h.faults.ingestionFailNext = 1;
    const faulted = await runIngestion(h.core, { ...queued, properties: token });
    expect(faulted.status === 'Failed' && faulted.error.code).toBe('BadRequest_InvalidBlob');
    expect((await runIngestion(h.core, { ...queued, properties: token })).status).toBe('Succeeded');
  });

  it('reads the table schema after downloading, so rows follow the schema at write time', async () => {
    const a = await blob('late.csv', 'a,1,extra\n');
    const pending = runIngestion(h.core, request([a]));
    table().columns = [...COLUMNS, { name: 'Added', type: 'string' }];
    const outcome = await pending;
    expect(outcome.status).toBe('Succeeded');
    expect(table().extents[0]!.rows).toEqual([['a', 1, 'extra']]);
  });
});
