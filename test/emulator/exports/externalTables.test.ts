import { startKit, type Kit } from './testkit';

let kit: Kit;
beforeAll(async () => {
  kit = await startKit();
});
afterAll(async () => {
  await kit.stop();
});

const CREATE =
  '.create external table Ext (Timestamp:datetime, CustomerName:string, Value:long) kind=storage ' +
  'partition by (CustomerId:long = hash(CustomerName, 10), Date:datetime = startofday(Timestamp)) ' +
  'pathformat=("customer_id=" CustomerId "/dt=" datetime_pattern("yyyyMMdd", Date)) dataformat=parquet ' +
  "(h@'https://acct1.blob.core.windows.net/backup/ext;SecretAccountKey==', 'https://acct2.blob.core.windows.net/backup2?sv=2024&sig=abc', " +
  "'https://acct3.blob.core.windows.net/backup3;impersonate') with (folder='ExternalTables', docString='Docs')";

describe('external tables', () => {
  it('creates a table and shows it with the documented columns, secrets masked', async () => {
    const created = await kit.run(CREATE);
    expect(Object.keys(created[0]!)).toEqual([
      'TableName',
      'TableType',
      'Folder',
      'DocString',
      'Properties',
      'ConnectionStrings',
      'Partitions',
      'PathFormat',
    ]);
    const [shown] = await kit.run('.show external table Ext');
    expect(shown).toMatchObject({
      TableName: 'Ext',
      TableType: 'Blob',
      Folder: 'ExternalTables',
      DocString: 'Docs',
    });
    expect(JSON.parse(shown!.Properties as string)).toEqual({
      Format: 'Parquet',
      Compressed: false,
      CompressionType: null,
      FileExtension: null,
      IncludeHeaders: 'None',
      Encoding: null,
      NamePrefix: null,
    });
    expect(shown!.ConnectionStrings).toEqual([
      'https://acct1.blob.core.windows.net/backup/ext;*******',
      'https://acct2.blob.core.windows.net/backup2?*******',
      'https://acct3.blob.core.windows.net/backup3;impersonate',
    ]);
    expect(JSON.stringify(await kit.run('.show external tables'))).not.toMatch(/SecretAccountKey|sig=abc/);
    expect(shown!.Partitions).toEqual([
      { Mod: 10, Name: 'CustomerId', ColumnName: 'CustomerName', Ordinal: 0 },
      { Function: 'StartOfDay', Name: 'Date', ColumnName: 'Timestamp', Ordinal: 1 },
    ]);
    expect(shown!.PathFormat).toBe('"customer_id=" CustomerId "/dt=" datetime_pattern("yyyyMMdd",Date)');
  });

  it('refuses a second .create, alters with .create-or-alter and answers with the full schema result', async () => {
    expect(await kit.fail(CREATE)).toMatch(/already exists/);
    const [altered] = await kit.run(
      ".create-or-alter external table Ext (Timestamp:datetime, CustomerName:string, Value:long, Extra:dynamic) kind=storage dataformat=csv ('https://acct1.blob.core.windows.net/backup/ext;impersonate') with (includeHeaders='All')",
    );
    expect(Object.keys(altered!)).toEqual([
      'TableName',
      'TableType',
      'Folder',
      'DocString',
      'Schema',
      'Properties',
    ]);
    expect(JSON.parse(altered!.Schema as string)).toEqual([
      { Name: 'Timestamp', CslType: 'datetime' },
      { Name: 'CustomerName', CslType: 'string' },
      { Name: 'Value', CslType: 'long' },
      { Name: 'Extra', CslType: 'dynamic' },
    ]);
    expect(JSON.parse(altered!.Properties as string)).toMatchObject({ Format: 'Csv', IncludeHeaders: 'All' });
    const [shown] = await kit.run('.show external table Ext');
    expect(shown!.Partitions).toEqual([]);
    expect(shown!.PathFormat).toBe('');
  });

  it('shows the schema as json and as csl', async () => {
    const [json] = await kit.run('.show external table Ext schema as json');
    expect(Object.keys(json!)).toEqual(['TableName', 'Schema', 'DatabaseName', 'Folder', 'DocString']);
    expect(JSON.parse(json!.Schema as string).OrderedColumns[0]).toMatchObject({
      Name: 'Timestamp',
      Type: 'System.DateTime',
      CslType: 'datetime',
    });
    const [csl] = await kit.run('.show external table Ext cslschema');
    expect(csl!.Schema).toBe('Timestamp:datetime,CustomerName:string,Value:long,Extra:dynamic');
  });

  it('validates definitions from the syntax tree', async () => {
    expect(
      await kit.fail(
        ".create external table Bad (a:string) kind=storage partition by (P:datetime = startofday(a)) dataformat=parquet ('https://a.blob.core.windows.net/c')",
      ),
    ).toMatch(/datetime column/);
    expect(
      await kit.fail(
        '.create external table Bad (a:string) kind=storage partition by (P:string = a) pathformat=("x=" Q) dataformat=parquet (\'https://a.blob.core.windows.net/c\')',
      ),
    ).toMatch(/unknown partition 'Q'/);
    expect(
      await kit.fail(
        ".create external table Bad (a:string) kind=storage dataformat=avro ('https://a.blob.core.windows.net/c')",
      ),
    ).toMatch(/not supported for export/);
    expect(
      await kit.fail(
        ".alter external table Nope (a:string) kind=storage dataformat=csv ('https://a.blob.core.windows.net/c')",
      ),
    ).toMatch(/not found/);
  });

  it('drops a table, answering with its full definition', async () => {
    const [dropped] = await kit.run('.drop external table Ext');
    expect(dropped).toMatchObject({ TableName: 'Ext', TableType: 'Blob' });
    expect(await kit.run('.show external tables')).toEqual([]);
    expect(await kit.fail('.show external table Ext')).toMatch(/not found/);
    // `ifexists` (skipped tokens in the grammar) turns a missing table into an empty answer.
    expect(await kit.fail('.drop external table Ext')).toMatch(/not found/);
    expect(await kit.run('.drop external table Ext ifexists')).toEqual([]);
  });
});
