import { Client as KustoClient, KustoConnectionStringBuilder } from 'azure-kusto-data';
import { IngestClient } from 'azure-kusto-ingest';
import { childrenOf, parseKusto } from '../../../lib/kusto/language';
import { INGESTION_FAILURES } from '../schemas';
import type { Column } from '../values';
import { INGEST_RESULT, propertyPairs } from './commands';
import { READY_QUEUES, accountSas, identityToken } from './resources';
import { startDmHarness, type DmHarness } from './testHarness';

const COLUMNS: Column[] = [
  { name: 'Name', type: 'string' },
  { name: 'N', type: 'long' },
];

let h: DmHarness;
let kusto: KustoClient;

beforeAll(async () => {
  h = await startDmHarness();
  kusto = new KustoClient(
    KustoConnectionStringBuilder.withTokenProvider(h.url, () => Promise.resolve('token')),
  );
});

afterAll(async () => {
  kusto.close();
  await h.stop();
});

beforeEach(() => {
  h.resetTable('db1', 'T', COLUMNS);
  h.state.ingestionFailures.length = 0;
});

const blob = async (name: string, content: string): Promise<string> => (await h.upload(name, content)).url;

/** Columns and plain rows of a command's primary result, as the client parsed them. */
async function mgmt(
  db: string,
  text: string,
): Promise<{ columns: string[]; rows: Record<string, unknown>[] }> {
  const response = await kusto.execute(db, text);
  const table = response.primaryResults[0]!;
  return {
    columns: table.columns.map((c) => `${c.name}:${c.type}`),
    rows: [...table.rows()].map((r) => r.toJSON<Record<string, unknown>>()),
  };
}

async function failure(text: string, db = 'db1'): Promise<{ code: string; message: string }> {
  try {
    await kusto.execute(db, text);
  } catch (e) {
    const body = (e as { response?: { data?: { error?: { code: string; '@message': string } } } }).response
      ?.data?.error;
    return { code: body?.code ?? 'none', message: body?.['@message'] ?? String(e) };
  }
  return { code: 'none', message: '' };
}

describe('.get ingestion resources / .get kusto identity token', () => {
  it('answers the DM commands on NetDefaultDB with the documented columns', async () => {
    const resources = await mgmt('NetDefaultDB', '.get ingestion resources ');
    expect(resources.columns).toEqual(['ResourceTypeName:string', 'StorageRoot:string']);
    const types = resources.rows.map((r) => r['ResourceTypeName']);
    expect(types.filter((t) => t === 'SecuredReadyForAggregationQueue')).toHaveLength(READY_QUEUES.length);
    expect(types.filter((t) => t === 'TempStorage')).toHaveLength(2);
    expect(types.filter((t) => t !== 'SecuredReadyForAggregationQueue' && t !== 'TempStorage')).toEqual([
      'FailedIngestionsQueue',
      'SuccessfulIngestionsQueue',
      'IngestionsStatusTable',
    ]);
    expect(resources.rows.every((r) => String(r['StorageRoot']).includes('sig='))).toBe(true);

    const browser = await mgmt(
      'NetDefaultDB',
      ".get ingestion resources with (EnableBlobCors='true', EnableQueueCors='true', EnableTableCors='true')",
    );
    expect(browser.rows).toHaveLength(resources.rows.length);

    const token = await mgmt('NetDefaultDB', '.get kusto identity token');
    expect(token).toEqual({
      columns: ['AuthorizationContext:string'],
      rows: [{ AuthorizationContext: identityToken(h.state) }],
    });
  });

  it('is accepted by the ingest client', async () => {
    const client = new IngestClient(
      KustoConnectionStringBuilder.withTokenProvider(h.url, () => Promise.resolve('token')),
      { database: 'db1', table: 'T' },
      false,
    );
    try {
      const manager = (client as unknown as { resourceManager: Record<string, () => Promise<unknown[]>> })
        .resourceManager;
      expect(await manager['getIngestionQueues']!()).toHaveLength(READY_QUEUES.length);
      expect(await manager['getContainers']!()).toHaveLength(2);
      expect(await manager['getAuthorizationContext']!()).toBe(identityToken(h.state));
    } finally {
      client.close();
    }
  });
});

describe('.show ingestion failures', () => {
  it('lists the database failures with the §1.13 columns, optionally for one operation', async () => {
    const missing = `${h.sources.url}/none.csv?${accountSas(h.storage)}`;
    await failure(`.ingest into table T (h'${missing}')`);
    await failure(`.ingest into table T (h'${missing}') with (format='parquet')`);
    const all = await mgmt('db1', '.show ingestion failures');
    expect(all.columns).toEqual(INGESTION_FAILURES.map((c) => `${c.name}:${c.type}`));
    expect(
      all.rows.map((r) => [r['Table'], r['ErrorCode'], r['FailureKind'], r['IngestionProperties']]),
    ).toEqual([
      ['T', 'Download_SourceNotFound', 'Permanent', 'Format=Csv'],
      ['T', 'Download_SourceNotFound', 'Permanent', 'Format=Parquet'],
    ]);
    expect(all.rows[0]!['IngestionSourcePath']).toBe(`${h.sources.url}/none.csv`);

    const id = String(all.rows[1]!['OperationId']);
    for (const form of [id, `'${id}'`, `guid(${id})`]) {
      const one = await mgmt('db1', `.show ingestion failures with (OperationId = ${form})`);
      expect(one.rows.map((r) => r['OperationId'])).toEqual([id]);
    }
    // Piped, as the control plane asks (lib/kusto/commands.ts showIngestionFailures).
    const since = new Date(h.state.clock.now() - 60_000).toISOString();
    const piped = await mgmt(
      'db1',
      `.show ingestion failures | where FailedOn > datetime(${since}) and Table == 'T'`,
    );
    expect(piped.rows).toHaveLength(2);
    expect((await mgmt('db1', ".show ingestion failures | where Table == 'Other'")).rows).toEqual([]);
    h.state.createDatabase('db2');
    expect((await mgmt('db2', '.show ingestion failures')).rows).toEqual([]);
    expect((await failure('.show ingestion failures with (Table = T)')).code).toBe('BadRequest_SyntaxError');
  });
});

describe('.ingest into table', () => {
  it('ingests synchronously, answers one row per source, and honours ingestIfNotExists', async () => {
    const a = await blob('cmd/a.csv', 'Name,N\nx,1\n');
    const b = await blob('cmd/b.csv', 'Name,N\ny,2\n');
    const text =
      `.ingest into table T (h'${a}', h'${b}') with (format='csv', ignoreFirstRecord=true, ` +
      `creationTime='2024-02-03T04:05:06Z', tags='["ingest-by:cmd"]', ingestIfNotExists='["cmd"]')`;
    const result = await mgmt('db1', text);
    expect(result.columns).toEqual(INGEST_RESULT.map((c) => `${c.name}:${c.type}`));
    const [extent] = h.state.database('db1')!.tables.get('T')!.extents;
    expect(result.rows.map((r) => [r['ExtentId'], r['ItemLoaded'], r['HasErrors']])).toEqual([
      [extent!.id, a.split('?')[0], false],
      [extent!.id, b.split('?')[0], false],
    ]);
    expect(extent!.rows).toEqual([
      ['x', 1],
      ['y', 2],
    ]);
    expect([extent!.creationTime, extent!.tags]).toEqual([Date.UTC(2024, 1, 3, 4, 5, 6), ['ingest-by:cmd']]);

    expect((await mgmt('db1', text)).rows).toEqual([]);
    expect(h.state.database('db1')!.tables.get('T')!.extents).toHaveLength(1);
  });

  it('fails with the ingestion error code, and records the failure', async () => {
    const ragged = await blob('cmd/ragged.csv', 'a,1\nb\n');
    const error = await failure(`.ingest into table T (h'${ragged}') with (format='csv')`);
    expect(error.code).toBe('Stream_WrongNumberOfFields');
    expect(error.message).toContain(h.state.ingestionFailures[0]!.operationId);
    expect((await failure(`.ingest into table Nope (h'${ragged}')`)).code).toBe('BadRequest_TableNotExist');
  });

  it('runs async: answers an operation id whose operation records the outcome', async () => {
    const a = await blob('cmd/async.csv', 'z,3\n');
    const result = await mgmt('db1', `.ingest async into table T (h'${a}') with (format='csv')`);
    expect(result.columns).toEqual(['OperationId:guid']);
    const operation = h.state.operations.get(String(result.rows[0]!['OperationId']))!;
    expect([operation.operation, operation.state, operation.database]).toEqual([
      'DataIngestPull',
      'Completed',
      'db1',
    ]);
    expect(operation.log.map((l) => l.state)).toEqual(['InProgress', 'Completed']);
    expect(h.state.database('db1')!.tables.get('T')!.extents[0]!.rows).toEqual([['z', 3]]);

    const bad = await mgmt(
      'db1',
      `.ingest async into table T (h'${h.sources.url}/none.csv?${accountSas(h.storage)}')`,
    );
    const failed = h.state.operations.get(String(bad.rows[0]!['OperationId']))!;
    expect([failed.state, failed.shouldRetry, failed.status]).toEqual([
      'Failed',
      false,
      expect.stringContaining('not found'),
    ]);
  });
});

describe('propertyPairs', () => {
  it('reads name = literal pairs of both with-clause forms', () => {
    const body = (text: string) => {
      const command = childrenOf(childrenOf(childrenOf(childrenOf(parseKusto(text).root)[1]!)[0]!)[0]!)[0]!;
      return childrenOf(command)[1]!;
    };
    const ingest = propertyPairs(
      body(
        ".ingest into table T ('u') with (format='csv', ignoreFirstRecord=true, n=-3, creationTime=datetime(2024-01-02), tags=\"['a']\")",
      ),
    );
    expect(Object.fromEntries(ingest)).toEqual({
      format: 'csv',
      ignoreFirstRecord: true,
      n: -3,
      creationTime: Date.UTC(2024, 0, 2),
      tags: "['a']",
    });
    const show = propertyPairs(
      body('.show ingestion failures with (OperationId = 3827def6-0000-0000-0000-000000000000)'),
    );
    expect(Object.fromEntries(show)).toEqual({ OperationId: '3827def6-0000-0000-0000-000000000000' });
  });
});
