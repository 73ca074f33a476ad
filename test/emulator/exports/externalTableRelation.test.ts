import { startKit, type Kit } from './testkit';

let kit: Kit;
beforeAll(async () => {
  kit = await startKit();
  await kit.run('.create table T (Timestamp:datetime, Name:string, Value:long)');
  await kit.run('.ingest inline into table T <| 2025-01-01T00:00:00Z,a,1\n2025-01-02T00:00:00Z,"b,c",2\n,n,');
});
afterAll(async () => {
  await kit.stop();
});

describe('external_table()', () => {
  it('reads back every parquet artifact, across partitions and connection strings', async () => {
    await kit.run(
      '.create external table P (Timestamp:datetime, Name:string, Value:long) kind=storage partition by (D:datetime = startofday(Timestamp)) ' +
        "dataformat=parquet ('https://x.blob.core.windows.net/reads/p;impersonate', 'https://y.blob.core.windows.net/reads2/p;impersonate')",
    );
    await kit.run('.export to table P <| T');
    const rows = await kit.run("external_table('P') | order by Name asc");
    expect(rows.map((r) => [r.Name, r.Value])).toEqual([
      ['a', 1],
      ['b,c', 2],
      ['n', null],
    ]);
    expect((rows[0]!.Timestamp as Date).toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(await kit.run("external_table('P') | summarize n = count()")).toEqual([{ n: 3 }]);
  });

  it('reads csv artifacts with headers, honouring namePrefix', async () => {
    await kit.run(
      '.create external table C (Timestamp:datetime, Name:string, Value:long) kind=storage dataformat=csv ' +
        "('https://x.blob.core.windows.net/reads/c') with (includeHeaders='All', namePrefix='part', compressed=true)",
    );
    await kit.run('.export to table C <| T');
    await kit.container('reads').getBlockBlobClient('c/ignored.csv').upload('x,y,z\n', 6);
    const rows = await kit.run("external_table('C') | order by Name asc | project Name, Value");
    expect(rows).toEqual([
      { Name: 'a', Value: 1 },
      { Name: 'b,c', Value: 2 },
      { Name: 'n', Value: null },
    ]);
  });
});
