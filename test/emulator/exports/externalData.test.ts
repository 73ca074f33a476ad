import { startKit, type Kit } from './testkit';

let kit: Kit;
let files: string[];
beforeAll(async () => {
  kit = await startKit();
  await kit.run('.create table T (Timestamp:datetime, Name:string, Value:long)');
  await kit.run(
    '.ingest inline into table T <| 2025-01-01T00:00:00Z,a,1\n2025-01-01T05:00:00Z,b,2\n2025-01-02T00:00:00Z,c,3',
  );
  await kit.run(
    '.create external table P (Timestamp:datetime, Name:string, Value:long) kind=storage partition by (D:datetime = startofday(Timestamp)) ' +
      "pathformat = (datetime_pattern('yyyyMMdd', D)) dataformat=parquet ('https://x.blob.core.windows.net/ext/p;impersonate')",
  );
  const written = await kit.run('.export to table P <| T');
  files = written.map((r) => String(r.Path)).sort();
});
afterAll(async () => {
  await kit.stop();
});

const list = (uris: readonly string[]): string => uris.map((u) => `h@'${u};impersonate'`).join(', ');

describe('externaldata', () => {
  it('reads exactly the listed parquet files, columns by name', async () => {
    expect(files).toHaveLength(2);
    const rows = await kit.run(
      `externaldata (Value:long, Timestamp:datetime) [${list([files[0]!])}] with (format='parquet') | order by Value asc`,
    );
    expect(rows.map((r) => r.Value)).toEqual([1, 2]);
    const perDay = await kit.run(
      `externaldata (Timestamp:datetime, Name:string) [${list(files)}] with (format='parquet') | where Name != 'b' | summarize count() by bin(Timestamp, 1d) | order by Timestamp asc`,
    );
    expect(perDay.map((r) => [(r.Timestamp as Date).toISOString(), r.count_])).toEqual([
      ['2025-01-01T00:00:00.000Z', 1],
      ['2025-01-02T00:00:00.000Z', 1],
    ]);
  });

  it('fails naming the file when a listed blob does not exist', async () => {
    const missing = files[0]!.replace(/[^/]+$/, 'nope.parquet');
    const message = await kit.fail(
      `externaldata (Value:long) [${list([missing])}] with (format='parquet') | count`,
    );
    expect(message).toContain('nope.parquet');
    expect(message).toContain('does not exist');
  });
});
