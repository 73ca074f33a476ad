import {
  parseCslScript,
  parseDatabaseSchema,
  parsePolicies,
  parseTableSchemas,
  parseTables,
} from '../../../../lib/kusto/results/schema';
import { PermanentError } from '../../../../lib/errors';
import { dropColumn, table } from '../../../helpers/resultTables';

describe('tables and schemas', () => {
  it.each([[null], ['null'], ['']])('a %j schema cell is a PermanentError, not a crash', (cell) => {
    const db = table('DatabaseSchema:string', [[cell]]);
    expect(() => parseDatabaseSchema(db)).toThrow(PermanentError);
    const t = table('TableName:string, Schema:string', [['T', cell]]);
    expect(() => parseTableSchemas(t)).toThrow(PermanentError);
  });

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
      externalTablesListed: true,
      materializedViews: [],
      functions: ['f1'],
    });
    // An older answer without the ExternalTables map: absence of an external table proves nothing.
    const withoutMap = dbSchema.replace('"ExternalTables":{"ExtEvents":{"Name":"ExtEvents"}},', '');
    expect(withoutMap).not.toContain('ExternalTables');
    expect(parseDatabaseSchema(table('DatabaseSchema:string', [[withoutMap]]))).toMatchObject({
      externalTables: [],
      externalTablesListed: false,
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
});

describe('policies', () => {
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
});
