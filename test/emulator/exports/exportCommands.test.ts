import { gunzipSync } from 'node:zlib';
import { startKit, type Kit } from './testkit';

let kit: Kit;
beforeAll(async () => {
  kit = await startKit();
  await kit.run('.create table Events (Timestamp:datetime, Name:string, Value:long)');
  await kit.run(
    '.ingest inline into table Events <| 2025-01-01T10:00:00Z,a,1\n2025-01-01T23:59:59Z,b,2\n2025-01-02T00:00:00Z,c,3\n,nulltime,4',
  );
  await kit.run(
    '.create external table Ext (Timestamp:datetime, Name:string, Value:long) kind=storage ' +
      'partition by (Day:datetime = startofday(Timestamp)) pathformat=("day=" datetime_pattern("yyyy-MM-dd", Day)) ' +
      "dataformat=parquet ('https://prod1.blob.core.windows.net/backup/db/Events;impersonate', " +
      "'https://prod2.blob.core.windows.net/backup2/db/Events;managed_identity=system')",
  );
});
afterAll(async () => {
  await kit.stop();
});

describe('.export to table', () => {
  it('writes real parquet files at the partition paths, spread over the connection strings', async () => {
    const result = await kit.run('.export to table Ext <| Events');
    expect(Object.keys(result[0]!)).toEqual(['ExternalTableName', 'Path', 'NumRecords', 'SizeInBytes']);
    expect(result.reduce((n, r) => n + Number(r.NumRecords), 0)).toBe(4);
    const first = await kit.list('backup', 'db/Events/');
    const second = await kit.list('backup2', 'db/Events/');
    const folders = [...first, ...second].map((n) => n.split('/')[2]).sort();
    // A null partition value is replaced by __DEFAULT_PARTITION__ inside the path format.
    expect(folders).toEqual(['day=2025-01-01', 'day=2025-01-02', 'day=__DEFAULT_PARTITION__']);
    expect(first.length).toBeGreaterThan(0);
    expect(second.length).toBeGreaterThan(0);
    for (const row of result)
      expect(row.Path).toMatch(
        /^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/backup2?\/db\/Events\/.+\.parquet$/,
      );
    const rows = [
      ...(await kit.readRows('backup', 'db/Events/')),
      ...(await kit.readRows('backup2', 'db/Events/')),
    ];
    expect(rows.map((r) => r.Name).sort()).toEqual(['a', 'b', 'c', 'nulltime']);
    const day1 = (await kit.readRows('backup', 'db/Events/day=2025-01-01/')).concat(
      await kit.readRows('backup2', 'db/Events/day=2025-01-01/'),
    );
    expect(day1.map((r) => r.Value).sort()).toEqual([1, 2]);
  });

  it('writes new, uniquely named files on every run and splits files at sizeLimit', async () => {
    const before = (await kit.list('backup')).length + (await kit.list('backup2')).length;
    const result = await kit.run(
      '.export to table Ext with (sizeLimit=20) <| Events | where isnotnull(Timestamp)',
    );
    expect(result).toHaveLength(3); // one row per file: ~20 bytes each
    const after = (await kit.list('backup')).length + (await kit.list('backup2')).length;
    expect(after).toBe(before + 3);
  });

  it('fails on a query whose output does not match the external table, and on an unknown table', async () => {
    expect(await kit.fail('.export to table Ext <| Events | project Timestamp, Name')).toMatch(
      /schema mismatch.*column 'Value' is missing/,
    );
    expect(await kit.fail('.export to table Nope <| Events')).toMatch(/external table not found: 'Nope'/);
  });

  it('fails permanently when the storage is not accessible', async () => {
    kit.emu.faults.inaccessibleContainers.add('backup2');
    try {
      expect(await kit.fail('.export to table Ext <| Events')).toMatch(/storage account not accessible/);
    } finally {
      kit.emu.faults.inaccessibleContainers.clear();
    }
  });
});

describe('.export to <format>', () => {
  it('writes compressed csv with headers and answers Path, NumRecords, SizeInBytes', async () => {
    const result = await kit.run(
      ".export compressed to csv (h@'https://other.blob.core.windows.net/exports/run1;SecretKey==') with (includeHeaders='all', namePrefix='part') <| Events | where Value < 3 | project Name, Value",
    );
    expect(Object.keys(result[0]!)).toEqual(['Path', 'NumRecords', 'SizeInBytes']);
    const names = await kit.list('exports', 'run1/');
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^run1\/part_.+\.csv\.gz$/);
    const bytes = await kit.container('exports').getBlobClient(names[0]!).downloadToBuffer();
    expect(gunzipSync(bytes).toString()).toBe('Name,Value\na,1\nb,2\n');
  });
});
