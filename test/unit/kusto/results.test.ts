import { PermanentError } from '../../../lib/errors';
import {
  findCapacity,
  groupIngestionResources,
  latestByOperationId,
  parseCapacity,
  parseContinuousExportFailures,
  parseContinuousExports,
  parseCslScript,
  parseDatabaseSchema,
  parseExportToTableDetails,
  parseExportedArtifacts,
  parseExternalTables,
  parseIngestionFailures,
  parseIngestionResources,
  parseKustoDateTime,
  parseKustoTimespan,
  parseOperationId,
  parseOperations,
  parsePolicies,
  parseTableSchemas,
  parseTables,
} from '../../../lib/kusto/results';
import type { ResultTable } from '../../../lib/kusto/types';

/** Builds a table from `"A:string, B:long"` and rows. */
function table(spec: string, rows: unknown[][]): ResultTable {
  return {
    columns: spec.split(',').map((p) => {
      const [name = '', type = 'string'] = p.split(':').map((s) => s.trim());
      return { name, type };
    }),
    rows,
  };
}

/** Reorders the columns (and cells) of a table: `order` lists column names. */
function reorder(t: ResultTable, order: string[]): ResultTable {
  const idx = order.map((n) => t.columns.findIndex((c) => c.name === n));
  return { columns: idx.map((i) => t.columns[i]!), rows: t.rows.map((r) => idx.map((i) => r[i])) };
}

function dropColumn(t: ResultTable, name: string): ResultTable {
  return reorder(
    t,
    t.columns.map((c) => c.name).filter((n) => n !== name),
  );
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('scalar conversions', () => {
  it('parses 7-digit datetimes, truncating below the millisecond', () => {
    expect(parseKustoDateTime('2019-04-16T11:43:25.9489999Z')?.toISOString()).toBe(
      '2019-04-16T11:43:25.948Z',
    );
    expect(parseKustoDateTime('2018-12-20 07:31:30.2634216')?.toISOString()).toBe('2018-12-20T07:31:30.263Z');
    expect(parseKustoDateTime('2026-01-05T18:00:00Z')?.toISOString()).toBe('2026-01-05T18:00:00.000Z');
    expect(parseKustoDateTime('2026-01-05T18:00:00.5+0200')?.toISOString()).toBe('2026-01-05T16:00:00.500Z');
    expect(parseKustoDateTime('2026-01-05')?.toISOString()).toBe('2026-01-05T00:00:00.000Z');
    expect(parseKustoDateTime('yesterday')).toBeUndefined();
  });

  it('parses timespans to milliseconds', () => {
    expect(parseKustoTimespan('01:00:00')).toBe(3_600_000);
    expect(parseKustoTimespan('1.01:02:03.004')).toBe(90_123_004);
    expect(parseKustoTimespan('00:00:42.9840549')).toBeCloseTo(42_984.0549, 6);
    expect(parseKustoTimespan('-00:10:00')).toBe(-600_000);
    expect(parseKustoTimespan('10 minutes')).toBeUndefined();
  });
});

describe('parseContinuousExports', () => {
  const spec =
    'Name:string, ExternalTableName:string, Query:string, ForcedLatency:timespan, IntervalBetweenRuns:timespan, CursorScopedTables:string, ExportProperties:string, LastRunTime:datetime, StartCursor:string, IsDisabled:bool, LastRunResult:string, ExportedTo:datetime, IsRunning:bool';
  const reference = table(spec, [
    [
      'MyExport',
      'ExternalBlob',
      'T',
      '00:10:00',
      '01:00:00',
      "[\n  \"['DB'].['T']\"\n]",
      '{\n  "SizeLimit": 104857600\n}',
      '2026-01-05T18:00:00.1234567Z',
      '636751928823156645',
      false,
      'Completed',
      '2026-01-05T17:50:00.0000000Z',
      false,
    ],
    ['Other', 'ExtOther', 'O', null, '00:05:00', 'not json', '', null, '636751928823156999', 1, '', null, 0],
  ]);

  it('reads the reference row with every column', () => {
    const [first, second] = parseContinuousExports(reference);
    expect(first).toEqual({
      name: 'MyExport',
      externalTableName: 'ExternalBlob',
      query: 'T',
      forcedLatencyMs: 600_000,
      intervalBetweenRunsMs: 3_600_000,
      cursorScopedTables: ["['DB'].['T']"],
      exportProperties: { SizeLimit: 104857600 },
      lastRunTime: new Date('2026-01-05T18:00:00.123Z'),
      startCursor: '636751928823156645',
      isDisabled: false,
      lastRunResult: 'Completed',
      exportedTo: new Date('2026-01-05T17:50:00.000Z'),
      isRunning: false,
    });
    // 0/1 booleans, null timespans/datetimes, unparsable JSON tolerated.
    expect(second).toMatchObject({
      forcedLatencyMs: undefined,
      isDisabled: true,
      isRunning: false,
      cursorScopedTables: [],
      exportProperties: {},
      lastRunTime: undefined,
      exportedTo: undefined,
      startCursor: '636751928823156999',
    });
  });

  it('accepts reordered and extra columns', () => {
    const names = reference.columns.map((c) => c.name).reverse();
    const shuffled = reorder(reference, names);
    const extra: ResultTable = {
      columns: [{ name: 'Future', type: 'string' }, ...shuffled.columns],
      rows: shuffled.rows.map((r) => ['x', ...r]),
    };
    expect(parseContinuousExports(extra)).toEqual(parseContinuousExports(reference));
  });

  it('names a missing required column, even for an empty answer', () => {
    const error = thrown(() => parseContinuousExports({ ...dropColumn(reference, 'StartCursor'), rows: [] }));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toContain("'StartCursor'");
  });

  it('rejects a bool that is neither true/false nor 0/1', () => {
    const bad = table(spec, [['E', 'X', 'T', null, null, '[]', '{}', null, '1', 'maybe', '', null, false]]);
    expect(thrown(() => parseContinuousExports(bad)).message).toMatch(/IsDisabled.*expected a bool/);
  });
});

describe('artifacts, failures, exports and operations', () => {
  it('reads exported artifacts with and without SizeInBytes', () => {
    const withSize = table(
      'Timestamp:datetime, ExternalTableName:string, Path:string, NumRecords:long, SizeInBytes:long',
      [
        [
          '2018-12-20T07:31:30.2634216Z',
          'ExternalBlob',
          'http://storageaccount.blob.core.windows.net/container1/1_6ca0.csv',
          10,
          1024,
        ],
      ],
    );
    expect(parseExportedArtifacts(withSize)).toEqual([
      {
        timestamp: new Date('2018-12-20T07:31:30.263Z'),
        externalTableName: 'ExternalBlob',
        path: 'http://storageaccount.blob.core.windows.net/container1/1_6ca0.csv',
        numRecords: 10,
        sizeInBytes: 1024,
      },
    ]);
    expect(parseExportedArtifacts(dropColumn(withSize, 'SizeInBytes'))[0]?.sizeInBytes).toBeUndefined();
    expect(thrown(() => parseExportedArtifacts(dropColumn(withSize, 'Path'))).message).toContain("'Path'");
  });

  it('reads continuous-export failures', () => {
    const t = table(
      'Timestamp:datetime, OperationId:string, Name:string, LastSuccessRun:datetime, FailureKind:string, Details:string',
      [
        [
          '2019-01-01T11:07:41.1887304Z',
          'ec641435-2505-4532-ba19-d6ab88c96a9d',
          'MyExport',
          '2019-01-01T11:06:35.6308140Z',
          'Failure',
          'Details...',
        ],
      ],
    );
    expect(parseContinuousExportFailures(t)).toEqual([
      {
        timestamp: new Date('2019-01-01T11:07:41.188Z'),
        operationId: 'ec641435-2505-4532-ba19-d6ab88c96a9d',
        name: 'MyExport',
        lastSuccessRun: new Date('2019-01-01T11:06:35.630Z'),
        failureKind: 'Failure',
        details: 'Details...',
      },
    ]);
  });

  it('reads the OperationId of .export async and rejects anything but one row', () => {
    expect(parseOperationId(table('OperationId:guid', [['56e51622-eb49-4d1a-b896-06a03178efcd']]))).toBe(
      '56e51622-eb49-4d1a-b896-06a03178efcd',
    );
    expect(() => parseOperationId(table('OperationId:guid', []))).toThrow(PermanentError);
    expect(() => parseOperationId(table('Id:guid', [['x']]))).toThrow("'OperationId'");
  });

  const OPS =
    'OperationId:guid, Operation:string, NodeId:string, StartedOn:datetime, LastUpdatedOn:datetime, Duration:timespan, State:string, Status:string, RootActivityId:guid, ShouldRetry:bool, Database:string, Principal:string, User:string, AdminEpochStartTime:datetime, VirtualCluster:string';

  it('reads .show operations rows with timespan Duration and 0/1 ShouldRetry', () => {
    const t = table(OPS, [
      [
        'b152f9da-1',
        'DataExportToTable',
        '',
        '2026-01-06T09:33:36.8136476Z',
        '2026-01-06T09:33:40.2103713Z',
        '00:00:03.3967237',
        'Failed',
        'E_LOW_MEMORY_CONDITION',
        'a1',
        1,
        'db1',
        'aadapp=x',
        'u',
        '2026-01-01T00:00:00Z',
        '',
      ],
    ]);
    const [op] = parseOperations(t);
    expect(op).toMatchObject({
      operationId: 'b152f9da-1',
      operation: 'DataExportToTable',
      startedOn: new Date('2026-01-06T09:33:36.813Z'),
      state: 'Failed',
      status: 'E_LOW_MEMORY_CONDITION',
      shouldRetry: true,
      database: 'db1',
    });
    expect(op?.durationMs).toBeCloseTo(3396.7237, 6);
  });

  it('reads a projected .show operations answer and the latest row per id', () => {
    const t = table(
      'OperationId:guid, LastUpdatedOn:datetime, State:string, Status:string, ShouldRetry:bool',
      [
        ['a', '2026-01-06T09:00:00Z', 'InProgress', '', false],
        ['a', '2026-01-06T09:05:00Z', 'Completed', '', false],
        ['b', '2026-01-06T09:01:00Z', 'Failed', 'boom', true],
      ],
    );
    const ops = parseOperations(t);
    expect(ops[0]?.operation).toBeUndefined();
    const latest = latestByOperationId(ops);
    expect(latest.get('a')?.state).toBe('Completed');
    expect(latest.get('b')?.shouldRetry).toBe(true);
    expect(() => parseOperations(dropColumn(t, 'State'))).toThrow("'State'");
  });

  it('reads export-to-table details with optional SizeInBytes', () => {
    const t = table('ExternalTableName:string, Path:string, NumRecords:long', [
      ['ExternalBlob', 'http://storage1.blob.core.windows.net/externaltable1cont1/1_5801.csv', '10'],
    ]);
    expect(parseExportToTableDetails(t)).toEqual([
      {
        externalTableName: 'ExternalBlob',
        path: 'http://storage1.blob.core.windows.net/externaltable1cont1/1_5801.csv',
        numRecords: 10,
      },
    ]);
    expect(() => parseExportToTableDetails(dropColumn(t, 'NumRecords'))).toThrow("'NumRecords'");
  });
});

describe('tables and schemas', () => {
  it('reads .show tables in any column order', () => {
    const t = table('DocString:string, TableName:string, Folder:string, DatabaseName:string', [
      ['d', 'Events', 'f', 'db1'],
    ]);
    expect(parseTables(t)).toEqual([
      { tableName: 'Events', databaseName: 'db1', folder: 'f', docString: 'd' },
    ]);
    expect(() => parseTables(dropColumn(t, 'DatabaseName'))).toThrow("'DatabaseName'");
  });

  it('reads a table schema JSON with CslType, and maps .NET Type when CslType is missing', () => {
    const schema = JSON.stringify({
      Name: 'MyStormEvents',
      OrderedColumns: [
        { Name: 'StartTime', Type: 'System.DateTime', CslType: 'datetime' },
        { Name: 'State', Type: 'System.String' },
        { Name: 'DamageProperty', Type: 'System.Int32', CslType: 'int' },
        { Name: 'StormSummary', Type: 'System.Object' },
        { Name: 'Flag', Type: 'System.SByte' },
      ],
    });
    const t = table('TableName:string, Schema:string, DatabaseName:string, Folder:string, DocString:string', [
      ['MyStormEvents', schema, 'Samples', 'Storm', ''],
    ]);
    expect(parseTableSchemas(t)).toEqual([
      {
        tableName: 'MyStormEvents',
        databaseName: 'Samples',
        folder: 'Storm',
        docString: '',
        columns: [
          { name: 'StartTime', cslType: 'datetime' },
          { name: 'State', cslType: 'string' },
          { name: 'DamageProperty', cslType: 'int' },
          { name: 'StormSummary', cslType: 'dynamic' },
          { name: 'Flag', cslType: 'bool' },
        ],
      },
    ]);
  });

  it('accepts the bare column array of external-table answers and rejects unusable schemas', () => {
    const t = table('TableName:string, Schema:string', [['Ext', '[{"Name":"x","CslType":"long"}]']]);
    expect(parseTableSchemas(t)[0]?.columns).toEqual([{ name: 'x', cslType: 'long' }]);
    expect(() => parseTableSchemas(table('TableName:string, Schema:string', [['T', 'x:long']]))).toThrow(
      /not valid JSON/,
    );
    expect(() =>
      parseTableSchemas(
        table('TableName:string, Schema:string', [
          ['T', '{"OrderedColumns":[{"Name":"x","Type":"System.Weird"}]}'],
        ]),
      ),
    ).toThrow(/no usable/);
  });

  const dbSchema = JSON.stringify({
    Databases: {
      TestDB: {
        Name: 'TestDB',
        Tables: {
          Events: {
            Name: 'Events',
            DefaultColumn: null,
            Folder: 'raw',
            OrderedColumns: [
              { Name: 'Name', Type: 'System.String' },
              { Name: 'Ts', Type: 'System.DateTime', CslType: 'datetime' },
            ],
          },
        },
        ExternalTables: { ExtEvents: { Name: 'ExtEvents' } },
        MaterializedViews: {},
        PrettyName: null,
        MajorVersion: 1,
        MinorVersion: 1,
        Functions: { f1: { Name: 'f1', Body: '{ 1 }' } },
      },
    },
  });

  it('reads the database schema JSON, tolerating missing CslType', () => {
    const schema = parseDatabaseSchema(table('DatabaseSchema:string', [[dbSchema]]));
    expect(schema).toEqual({
      databaseName: 'TestDB',
      tables: [
        {
          name: 'Events',
          folder: 'raw',
          docString: undefined,
          columns: [
            { name: 'Name', cslType: 'string' },
            { name: 'Ts', cslType: 'datetime' },
          ],
        },
      ],
      externalTables: ['ExtEvents'],
      materializedViews: [],
      functions: ['f1'],
    });
    expect(parseDatabaseSchema(table('DatabaseSchema:string', [[dbSchema]]), 'testdb').databaseName).toBe(
      'TestDB',
    );
    expect(() => parseDatabaseSchema(table('DatabaseSchema:string', [[dbSchema]]), 'other')).toThrow(
      /'other' not in answer/,
    );
    expect(() => parseDatabaseSchema(table('Schema:string', [[dbSchema]]))).toThrow("'DatabaseSchema'");
  });

  it('joins the csl script rows', () => {
    const t = table('DatabaseSchemaScript:string', [
      ['.create-merge table Events (Name:string, Ts:datetime)'],
      [''],
      ['.alter table Events policy ingestiontime true'],
    ]);
    expect(parseCslScript(t)).toEqual({
      commands: [
        '.create-merge table Events (Name:string, Ts:datetime)',
        '.alter table Events policy ingestiontime true',
      ],
      script:
        '.create-merge table Events (Name:string, Ts:datetime)\n\n.alter table Events policy ingestiontime true',
    });
  });

  it('reads external tables with their dynamic columns', () => {
    const t = table(
      'TableName:string, TableType:string, Folder:string, DocString:string, Properties:string, ConnectionStrings:dynamic, Partitions:dynamic, PathFormat:string',
      [
        [
          'ExternalTable',
          'Blob',
          'ExternalTables',
          'Docs',
          '{"Format":"Parquet","Compressed":false}',
          ['https://storageaccount.blob.core.windows.net/container1;*******'],
          [],
          '"day=" datetime_pattern("yyyyMMdd",Date)',
        ],
      ],
    );
    expect(parseExternalTables(t)[0]).toEqual({
      tableName: 'ExternalTable',
      tableType: 'Blob',
      folder: 'ExternalTables',
      docString: 'Docs',
      properties: { Format: 'Parquet', Compressed: false },
      connectionStrings: ['https://storageaccount.blob.core.windows.net/container1;*******'],
      pathFormat: '"day=" datetime_pattern("yyyyMMdd",Date)',
    });
  });
});

describe('cluster facilities', () => {
  it('reads capacity and finds the export row under any spelling', () => {
    const t = table('Resource:string, Total:long, Consumed:long, Remaining:long, Origin:string', [
      ['ingestions', 512, 0, 512, 'CapacityPolicy/Ingestion'],
      ['data-export', 100, 3, 97, 'CapacityPolicy/Export'],
    ]);
    const capacity = parseCapacity(t);
    expect(findCapacity(capacity, 'DataExport')).toEqual({
      resource: 'data-export',
      total: 100,
      consumed: 3,
      remaining: 97,
      origin: 'CapacityPolicy/Export',
    });
    expect(findCapacity(capacity, 'Queries')).toBeUndefined();
    expect(() => parseCapacity(dropColumn(t, 'Remaining'))).toThrow("'Remaining'");
  });

  it('reads ingestion failures with 0/1 booleans', () => {
    const t = table(
      'OperationId:guid, Database:string, Table:string, FailedOn:datetime, IngestionSourcePath:string, Details:string, FailureKind:string, RootActivityId:guid, OperationKind:string, OriginatesFromUpdatePolicy:bool, ErrorCode:string, Principal:string, ShouldRetry:bool, User:string, IngestionProperties:string, NumberOfSources:long',
      [
        [
          '3827def6-1',
          'DB1',
          'Table1',
          '2017-02-14T22:25:03.1147331Z',
          'https://x.blob.core.windows.net/c/a.csv',
          "Stream with ID '*****.csv' has a malformed CSV format",
          'Permanent',
          '3c883942-1',
          'DataIngestPull',
          0,
          'Stream_ClosingQuoteMissing',
          'aadapp=xxxxxx',
          0,
          '',
          'Format=Csv',
          1,
        ],
      ],
    );
    expect(parseIngestionFailures(t)[0]).toMatchObject({
      operationId: '3827def6-1',
      failedOn: new Date('2017-02-14T22:25:03.114Z'),
      failureKind: 'Permanent',
      originatesFromUpdatePolicy: false,
      shouldRetry: false,
      errorCode: 'Stream_ClosingQuoteMissing',
      numberOfSources: 1,
    });
    expect(() => parseIngestionFailures(dropColumn(t, 'FailedOn'))).toThrow("'FailedOn'");
  });

  it('reads and groups ingestion resources', () => {
    const t = table('ResourceTypeName:string, StorageRoot:string', [
      [
        'SecuredReadyForAggregationQueue',
        'https://a.queue.core.windows.net/readyforaggregation-secured?sas1',
      ],
      [
        'SecuredReadyForAggregationQueue',
        'https://b.queue.core.windows.net/readyforaggregation-secured?sas2',
      ],
      ['TempStorage', 'https://a.blob.core.windows.net/tempstorage?sas'],
      ['FailedIngestionsQueue', 'https://a.queue.core.windows.net/failedingestions?sas'],
      ['SuccessfulIngestionsQueue', 'https://a.queue.core.windows.net/successfulingestions?sas'],
      ['IngestionsStatusTable', 'https://a.table.core.windows.net/ingestionsstatus?sas'],
    ]);
    const grouped = groupIngestionResources(parseIngestionResources(t));
    expect(grouped.readyForAggregationQueues).toHaveLength(2);
    expect(grouped.tempStorage).toEqual(['https://a.blob.core.windows.net/tempstorage?sas']);
    expect(grouped.statusTables).toHaveLength(1);
  });

  it('reads policy results, parsing the policy JSON leniently', () => {
    const t = table(
      'PolicyName:string, EntityName:string, Policy:string, ChildEntities:string, EntityType:string',
      [
        ['IngestionTimePolicy', '[db].[T]', '{ "IsEnabled": true }', 'null', 'Table'],
        ['RetentionPolicy', '[db].[U]', 'null', '', 'Table'],
        ['Weird', '[db].[V]', 'not json', '', 'Table'],
      ],
    );
    const [a, b, c] = parsePolicies(t);
    expect(a).toEqual({
      policyName: 'IngestionTimePolicy',
      entityName: '[db].[T]',
      policy: { IsEnabled: true },
      policyText: '{ "IsEnabled": true }',
      childEntities: 'null',
      entityType: 'Table',
    });
    expect(b?.policy).toBeNull();
    expect(c?.policy).toBeUndefined();
    expect(() => parsePolicies(dropColumn(t, 'Policy'))).toThrow("'Policy'");
  });

  it('does not echo secrets from a malformed cell in its error', () => {
    const t = table('Resource:string, Total:long, Consumed:long, Remaining:long', [
      ['x', 'https://a.blob.core.windows.net/c?sig=SECRETSIG', 0, 0],
    ]);
    const error = thrown(() => parseCapacity(t));
    expect(error.message).toContain('Total');
    expect(error.message).not.toContain('SECRETSIG');
  });
});
