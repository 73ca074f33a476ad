import type { ContinuousExport, Database, ExternalTable, Table } from '../state';
import {
  continuousExportScript,
  cslSchema,
  databaseSchemaJson,
  externalTableScript,
  maskConnectionString,
  quoteName,
  tableSchemaJson,
} from './schemaText';

const table: Table = {
  name: 'Events',
  columns: [
    { name: 'Timestamp', type: 'datetime' },
    { name: 'odd name', type: 'string' },
  ],
  folder: '',
  docString: '',
  extents: [],
  ingestionTimePolicy: true,
};

const external: ExternalTable = {
  name: 'Ext',
  columns: [{ name: 'Timestamp', type: 'datetime' }],
  kind: 'storage',
  dataFormat: 'parquet',
  partitions: [
    { name: 'Day', type: 'datetime', column: 'Timestamp', fn: 'bin', arg: 3_600_000 },
    { name: 'Bucket', type: 'long', column: 'Timestamp', fn: 'hash', arg: 8 },
  ],
  pathFormat: [
    { kind: 'literal', text: 'h=' },
    { kind: 'partition', partition: 'Day', datetimePattern: 'yyyyMMddHH' },
    { kind: 'literal', text: '/' },
    { kind: 'partition', partition: 'Bucket' },
  ],
  connectionStrings: [
    'https://a.blob.core.windows.net/c;secretkey==',
    'https://b.blob.core.windows.net/c?sv=1&sig=x',
  ],
  properties: { compressed: true },
  folder: 'backup',
  docString: '',
};

describe('schema text', () => {
  test('names are bracket-quoted only when they are not plain identifiers', () => {
    expect(quoteName('Events_1')).toBe('Events_1');
    expect(quoteName("it's x")).toBe("['it\\'s x']");
    expect(cslSchema(table.columns)).toBe("Timestamp:datetime,['odd name']:string");
  });

  test('table schema JSON carries System types and Kusto types', () => {
    expect(JSON.parse(tableSchemaJson(table))).toEqual({
      Name: 'Events',
      OrderedColumns: [
        { Name: 'Timestamp', Type: 'System.DateTime', CslType: 'datetime' },
        { Name: 'odd name', Type: 'System.String', CslType: 'string' },
      ],
    });
  });

  test('database schema JSON honours the entity options', () => {
    const db = {
      name: 'd',
      tables: new Map([['Events', table]]),
      externalTables: new Map([['Ext', external]]),
    } as unknown as Database;
    const onlyExternal = JSON.parse(
      databaseSchemaJson(db, { major: 1, minor: 3 }, { tables: false, externalTables: true }),
    );
    expect(onlyExternal.Databases.d.Tables).toEqual({});
    expect(onlyExternal.Databases.d.ExternalTables.Ext).toMatchObject({ Name: 'Ext', Folder: 'backup' });
    expect(onlyExternal.Databases.d.MinorVersion).toBe(3);
  });

  test('external table script: partitions, pathformat, masked secrets, properties', () => {
    expect(externalTableScript(external).split('\n')).toEqual([
      '.create-or-alter external table Ext (Timestamp:datetime)',
      'kind = storage',
      'partition by (Day:datetime = bin(Timestamp, 1h), Bucket:long = hash(Timestamp, 8))',
      'pathformat = ("h=" datetime_pattern("yyyyMMddHH", Day) "/" Bucket)',
      'dataformat = parquet',
      '(',
      'h@"https://a.blob.core.windows.net/c;*******",',
      'h@"https://b.blob.core.windows.net/c?*******"',
      ')',
      'with (folder = "backup", compressed = true)',
    ]);
    expect(maskConnectionString('https://a.blob.core.windows.net/c;managed_identity=system')).toBe(
      'https://a.blob.core.windows.net/c;managed_identity=system',
    );
  });

  test('continuous export script uses the documented property forms and defaults', () => {
    const ce = {
      name: 'CE',
      externalTableName: 'Ext',
      query: 'Events',
      forcedLatency: null,
      intervalBetweenRuns: 300_000,
      properties: { SizeLimit: 1024, distributed: false },
    } as unknown as ContinuousExport;
    expect(continuousExportScript(ce)).toBe(
      '.create-or-alter continuous-export CE to table Ext with (intervalBetweenRuns=time(00:05:00), sizeLimit=1024, distributed=false) <| Events',
    );
  });
});
