import { PermanentError } from '../../../../lib/errors';
import {
  parseContinuousExportFailures,
  parseContinuousExports,
  parseExportToTableDetails,
  parseExportedArtifacts,
  parseExternalTables,
} from '../../../../lib/kusto/results/exports';
import type { ResultTable } from '../../../../lib/kusto/types';
import { dropColumn, reorder, table, thrown } from '../../../helpers/resultTables';

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

describe('artifacts and failures', () => {
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

describe('external tables', () => {
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
