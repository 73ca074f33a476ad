import { PermanentError } from '../../../lib/errors';
import { parseSnapshotTables, pickSnapshot, snapshotTime } from '../../../lib/restore/snapshot';

describe('snapshot names', () => {
  const names = [
    'Sales/_schema/20250101T000000Z.kql',
    'Sales/_schema/20250601T120000Z.kql',
    'Sales/_schema/notes.txt',
  ];

  it('reads the time a name encodes', () => {
    expect(snapshotTime(names[1]!)?.toISOString()).toBe('2025-06-01T12:00:00.000Z');
    expect(snapshotTime(names[2]!)).toBeUndefined();
  });

  it('picks the latest snapshot at or before asOf, or the latest of all', () => {
    expect(pickSnapshot(names, null)).toBe(names[1]);
    expect(pickSnapshot(names, new Date('2025-06-01T11:59:59Z'))).toBe(names[0]);
    expect(pickSnapshot(names, new Date('2025-06-01T12:00:00Z'))).toBe(names[1]);
    expect(pickSnapshot(names, new Date('2024-12-31T00:00:00Z'))).toBeUndefined();
  });
});

describe('parseSnapshotTables', () => {
  it('reads table definitions, quoted names included, and ignores every other statement', () => {
    const script = [
      '.create-merge table Orders (Ts:datetime, Id:long, [\'Customer Name\']:string) with (folder = "x", docstring = "a\\nb")',
      ".create table ['we\\'ird.name'] ([\"a-b\"]:dynamic, c:decimal)",
      '.create-or-alter external table adxbackup_Orders (Ts:datetime)\nkind = storage\ndataformat = parquet\n(\nh@"https://a.blob.core.windows.net/c;impersonate"\n)',
      '.alter table Orders policy ingestiontime true',
      '.create-merge table Orders (Ts:datetime, Id:long, Customer:string, Added:int)',
    ].join('\n\n');
    expect(parseSnapshotTables(script)).toEqual([
      {
        name: 'Orders',
        columns: [
          { name: 'Ts', type: 'datetime' },
          { name: 'Id', type: 'long' },
          { name: 'Customer', type: 'string' },
          { name: 'Added', type: 'int' },
        ],
      },
      {
        name: "we'ird.name",
        columns: [
          { name: 'a-b', type: 'dynamic' },
          { name: 'c', type: 'decimal' },
        ],
      },
    ]);
  });

  it('splits statements that follow each other without a blank line', () => {
    const tables = parseSnapshotTables('.create-merge table A (x:long)\n.create-merge table B (y:string)');
    expect(tables.map((t) => t.name)).toEqual(['A', 'B']);
  });

  it('fails naming the statement it cannot read', () => {
    expect(() => parseSnapshotTables('.create-merge table A (x long)')).toThrow(PermanentError);
    expect(() => parseSnapshotTables('.create-merge table A (x:long')).toThrow(/create-merge table A/);
  });
});
