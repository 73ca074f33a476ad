import { createOrAlterContinuousExport, createOrAlterExternalTable } from '../../../lib/kusto/commands';
import {
  continuousExportDifferences,
  desiredContinuousExport,
  desiredExternalTable,
  externalTableDifferences,
  type ActualContinuousExport,
  type ActualExternalTable,
  type TableBackupPlan,
} from '../../../lib/domain/provisioning';

const plan: TableBackupPlan = {
  database: 'Sales DB',
  table: 'Orders',
  columns: [
    { name: 'Timestamp', type: 'datetime' },
    { name: 'Id', type: 'long' },
    { name: 'Note', type: 'string' },
  ],
  partitionColumn: 'Timestamp',
  containers: [
    'https://acct1.blob.core.windows.net/backup',
    'http://127.0.0.1:10000/devstoreaccount1/backup',
  ],
  storageAuth: { kind: 'impersonate' },
  export: { intervalMs: 300_000, managedIdentity: 'system' },
};

const CONNECTIONS = [
  'https://acct1.blob.core.windows.net/backup/Sales%20DB/Orders;impersonate',
  'http://127.0.0.1:10000/devstoreaccount1/backup/Sales%20DB/Orders;impersonate',
];

/** What the emulator (and the reference's sample) shows for the desired table. */
const same: ActualExternalTable = {
  columns: [
    { name: 'Timestamp', cslType: 'datetime' },
    { name: 'Id', cslType: 'long' },
    { name: 'Note', cslType: 'string' },
  ],
  format: 'Parquet',
  connectionStrings: [...CONNECTIONS].reverse(),
  partitions: [{ name: 'Day', column: 'Timestamp', fn: 'StartOfDay' }],
  pathFormat: 'datetime_pattern("yyyyMMdd",Day)',
};

describe('desired definitions', () => {
  it('external table: same columns, one connection string per container under <db>/<table>, partitioned by day', () => {
    const text = createOrAlterExternalTable(desiredExternalTable(plan)).text;
    expect(text).toContain(
      ".create-or-alter external table ['adxbackup_Orders'] (['Timestamp']:datetime, ['Id']:long, ['Note']:string)",
    );
    expect(text).toContain(
      'partition by (Day:datetime = startofday([\'Timestamp\'])) pathformat = (datetime_pattern("yyyyMMdd", Day))',
    );
    for (const cs of CONNECTIONS) expect(text).toContain(`h@'${cs}'`);
    const unpartitioned = createOrAlterExternalTable(
      desiredExternalTable({ ...plan, partitionColumn: null }),
    ).text;
    expect(unpartitioned).not.toContain('partition by');
  });

  it('managed-identity storage access puts the identity in every connection string', () => {
    const spec = desiredExternalTable({
      ...plan,
      storageAuth: { kind: 'managedIdentity', identity: 'system' },
    });
    expect(createOrAlterExternalTable(spec).text).toContain(
      '/backup/Sales%20DB/Orders;managed_identity=system',
    );
  });

  it('continuous export: whole table, no time filter, interval and identity from the plan', () => {
    const text = createOrAlterContinuousExport(desiredContinuousExport(plan)).text;
    expect(text).toBe(
      ".create-or-alter continuous-export ['adxbackup_Orders'] over (['Orders']) to table ['adxbackup_Orders'] with (intervalBetweenRuns=5m, managedIdentity='system') <| ['Orders']",
    );
  });
});

describe('externalTableDifferences', () => {
  it('is empty for an identical table (connection strings in any order, case of the auth suffix ignored)', () => {
    expect(externalTableDifferences(plan, same)).toEqual([]);
    const upper = {
      ...same,
      connectionStrings: CONNECTIONS.map((c) => c.replace('impersonate', 'Impersonate')),
    };
    expect(externalTableDifferences(plan, upper)).toEqual([]);
  });

  it('ignores what the cluster did not report', () => {
    expect(externalTableDifferences(plan, { columns: same.columns })).toEqual([]);
  });

  it.each<[string, Partial<ActualExternalTable>, string]>([
    ['column order', { columns: [same.columns[1]!, same.columns[0]!, same.columns[2]!] }, 'columns'],
    [
      'column type',
      { columns: [same.columns[0]!, { name: 'Id', cslType: 'int' }, same.columns[2]!] },
      'columns',
    ],
    ['format', { format: 'Csv' }, 'data format Csv'],
    ['a missing container', { connectionStrings: CONNECTIONS.slice(0, 1) }, 'storage connection strings'],
    ['another column', { partitions: [{ name: 'Day', column: 'Other', fn: 'StartOfDay' }] }, 'partitioning'],
    [
      'another function',
      { partitions: [{ name: 'Day', column: 'Timestamp', fn: 'StartOfMonth' }] },
      'partitioning',
    ],
    ['no partition', { partitions: [] }, 'partitioning'],
    ['the path format', { pathFormat: 'datetime_pattern("yyyy/MM/dd",Day)' }, 'path format'],
  ])('reports %s', (_label, change, expected) => {
    const diff = externalTableDifferences(plan, { ...same, ...change });
    expect(diff).toHaveLength(1);
    expect(diff[0]).toContain(expected);
  });

  it('synonym types compare equal; a partitioned table where none is wanted differs', () => {
    const synonyms = {
      ...same,
      columns: same.columns.map((c) => (c.name === 'Id' ? { ...c, cslType: 'int64' } : c)),
    };
    expect(externalTableDifferences(plan, synonyms)).toEqual([]);
    expect(externalTableDifferences({ ...plan, partitionColumn: null }, same)).toEqual([
      'partitioning (expected none)',
    ]);
  });
});

describe('continuousExportDifferences', () => {
  const shown: ActualContinuousExport = {
    externalTableName: 'adxbackup_Orders',
    query: "['Orders']",
    intervalBetweenRunsMs: 300_000,
    exportProperties: { SizeLimit: 104857600, ManagedIdentity: 'system' },
  };

  it('is empty for the same export (default SizeLimit shown, identity not shown, quoting varies)', () => {
    expect(continuousExportDifferences(plan, shown)).toEqual([]);
    expect(continuousExportDifferences(plan, { ...shown, query: ' Orders ', exportProperties: {} })).toEqual(
      [],
    );
  });

  it.each<[string, Partial<ActualContinuousExport>, string]>([
    ['external table', { externalTableName: 'other' }, 'external table other'],
    ['a time filter', { query: "['Orders'] | where Timestamp > ago(1d)" }, 'query'],
    ['interval', { intervalBetweenRunsMs: 3_600_000 }, 'intervalBetweenRuns'],
    ['forced latency', { forcedLatencyMs: 60_000 }, 'forcedLatency'],
    ['size limit', { exportProperties: { SizeLimit: 209715200 } }, 'sizeLimit'],
    [
      'identity',
      { exportProperties: { ManagedIdentity: '8f2c2f1e-1c2b-4c4b-9b8a-1a2b3c4d5e6f' } },
      'managedIdentity',
    ],
  ])('reports %s', (_label, change, expected) => {
    expect(continuousExportDifferences(plan, { ...shown, ...change })).toEqual([
      expect.stringContaining(expected),
    ]);
  });

  it('compares a requested size limit exactly', () => {
    const sized = { ...plan, export: { ...plan.export, sizeLimitBytes: 209715200 } };
    expect(continuousExportDifferences(sized, shown)).toEqual(['sizeLimit']);
    expect(
      continuousExportDifferences(sized, { ...shown, exportProperties: { SizeLimit: 209715200 } }),
    ).toEqual([]);
  });
});
