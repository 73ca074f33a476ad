/**
 * Table and data commands against the running emulator, through the real azure-kusto-data client:
 * schemas, inline and query ingestion, soft delete, purge, clear, drop, rename, move extents,
 * the IngestionTime policy and extents.
 */
import { Client } from 'azure-kusto-data';
import { startEmulator, type EmulatorHandle } from './index';
import { failure, run } from './clientHelpers';
import { appendExtent } from './tables';

let emu: EmulatorHandle;
let client: Client;

beforeAll(async () => {
  emu = await startEmulator({ databases: ['db1'], start: new Date('2026-01-05T12:00:00Z') });
  client = new Client(emu.url);
});

afterAll(async () => {
  client.close();
  await emu.stop();
});

/** A fresh database per test keeps tests independent (commands are unchanged, so parses stay cached). */
let dbCounter = 0;
function freshDb(): string {
  dbCounter += 1;
  const name = `t${dbCounter}`;
  emu.createDatabase(name);
  return name;
}

const exec = (db: string, text: string) => run(client, db, text);

describe('schemas', () => {
  test('.create table answers the table schema as JSON and keeps an existing table unchanged', async () => {
    const db = freshDb();
    const created = await exec(
      db,
      ".create table Events (Timestamp:datetime, Id:long, Name:string) with (folder='ops', docstring='raw events')",
    );
    expect(created.columns).toEqual(['TableName', 'Schema', 'DatabaseName', 'Folder', 'DocString']);
    expect(created.rows).toEqual([
      {
        TableName: 'Events',
        Schema:
          '{"Name":"Events","OrderedColumns":[{"Name":"Timestamp","Type":"System.DateTime","CslType":"datetime"},' +
          '{"Name":"Id","Type":"System.Int64","CslType":"long"},{"Name":"Name","Type":"System.String","CslType":"string"}]}',
        DatabaseName: db,
        Folder: 'ops',
        DocString: 'raw events',
      },
    ]);
    // Documented: creating an existing table succeeds and changes nothing, even with another schema.
    await exec(db, '.create table Events (Other:int)');
    const csl = await exec(db, '.show table Events cslschema');
    expect(csl.rows[0]).toMatchObject({
      TableName: 'Events',
      Schema: 'Timestamp:datetime,Id:long,Name:string',
      Folder: 'ops',
    });
  });

  test('.create-merge table appends missing columns in order and rejects a type change', async () => {
    const db = freshDb();
    await exec(db, '.create table Events (Timestamp:datetime, Id:long, Name:string)');
    await exec(db, '.create-merge table Events (Id:long, Extra:dynamic, Name:string)');
    expect((await exec(db, '.show table Events cslschema')).rows[0]!.Schema).toBe(
      'Timestamp:datetime,Id:long,Name:string,Extra:dynamic',
    );
    const conflict = await failure(exec(db, '.create-merge table Events (Id:string)'));
    expect(conflict.status).toBe(400);
    expect(String(conflict.error?.['@message'])).toContain("Column 'Id'");
    // Also creates a table that does not exist yet.
    await exec(db, '.create-merge table Fresh (A:int)');
    expect((await exec(db, '.show tables')).rows.map((r) => r.TableName)).toEqual(['Events', 'Fresh']);
  });

  test('.alter table replaces the column list and keeps data of the columns it keeps', async () => {
    const db = freshDb();
    await exec(db, '.create table Events (Timestamp:datetime, Id:long, Name:string)');
    await exec(db, '.ingest inline into table Events <| 2026-01-01,1,a\n2026-01-02,2,b');
    await exec(db, '.alter table Events (Name:string, Id:long)');
    const back = await exec(db, 'Events | order by Id asc');
    expect(back.columns).toEqual(['Name', 'Id']);
    expect(back.rows).toEqual([
      { Name: 'a', Id: 1 },
      { Name: 'b', Id: 2 },
    ]);
  });

  test('.create tables, .show tables (A, B) and .show table T schema as json', async () => {
    const db = freshDb();
    const created = await exec(db, '.create tables A (x:int), B (y:string, z:real)');
    expect(created.columns).toEqual(['TableName', 'DatabaseName', 'Folder', 'DocString']);
    expect(created.rows.map((r) => r.TableName)).toEqual(['A', 'B']);
    await exec(db, '.create table C (w:bool)');
    const some = await exec(db, '.show tables (C, A)');
    expect(some.rows.map((r) => r.TableName)).toEqual(['C', 'A']);
    const json = await exec(db, '.show table B schema as json');
    expect(JSON.parse(String(json.rows[0]!.Schema))).toEqual({
      Name: 'B',
      OrderedColumns: [
        { Name: 'y', Type: 'System.String', CslType: 'string' },
        { Name: 'z', Type: 'System.Double', CslType: 'real' },
      ],
    });
  });

  test('.show database schema as json: reference shape, version moves on every schema change', async () => {
    const db = freshDb();
    await exec(db, '.create table Events (Timestamp:datetime, Id:long)');
    const first = JSON.parse(
      String((await exec(db, '.show database schema as json')).rows[0]!.DatabaseSchema),
    );
    expect(first).toEqual({
      Databases: {
        [db]: {
          Name: db,
          Tables: {
            Events: {
              Name: 'Events',
              DefaultColumn: null,
              OrderedColumns: [
                { Name: 'Timestamp', Type: 'System.DateTime', CslType: 'datetime' },
                { Name: 'Id', Type: 'System.Int64', CslType: 'long' },
              ],
            },
          },
          ExternalTables: {},
          PrettyName: null,
          MajorVersion: 1,
          MinorVersion: 1,
          Functions: {},
        },
      },
    });
    await exec(db, '.create-merge table Events (Name:string)');
    const second = JSON.parse(
      String((await exec(db, `.show database ${db} schema as json`)).rows[0]!.DatabaseSchema),
    );
    expect(second.Databases[db].MinorVersion).toBe(2);
    expect(second.Databases[db].Tables.Events.OrderedColumns).toHaveLength(3);
  });

  test('.show database schema as csl script: one .create-merge statement per table', async () => {
    const db = freshDb();
    await exec(db, ".create table Events (Timestamp:datetime, Id:long) with (folder='ops')");
    await exec(db, ".create table ['odd name'] (['a b']:string)");
    const script = await exec(db, '.show database schema as csl script');
    expect(script.columns).toEqual(['DatabaseSchemaScript']);
    expect(script.rows.map((r) => r.DatabaseSchemaScript)).toEqual([
      '.create-merge table Events (Timestamp:datetime, Id:long) with (folder = "ops")',
      ".create-merge table ['odd name'] (['a b']:string)",
    ]);
    // External tables and continuous exports follow, in the forms schema tools parse.
    await exec(
      db,
      '.create external table Ext (Timestamp:datetime, Id:long) kind=storage ' +
        'partition by (Day:datetime = startofday(Timestamp)) pathformat=("day=" datetime_pattern("yyyyMMdd", Day)) ' +
        "dataformat=parquet ('https://acct.blob.core.windows.net/backup/db/Events;impersonate')",
    );
    await exec(
      db,
      ".create-or-alter continuous-export CE over (Events) to table Ext with (intervalBetweenRuns=1h, forcedLatency=10m, managedIdentity='system') <| Events",
    );
    const full = (await exec(db, '.show database schema as csl script')).rows.map((r) =>
      String(r.DatabaseSchemaScript),
    );
    expect(full).toHaveLength(4);
    // Script options do not change what the emulator renders (it has no policies or principals to omit).
    const withOptions = await exec(
      db,
      '.show database schema as csl script with (IncludeEncodingPolicies=false)',
    );
    expect(withOptions.rows.map((r) => r.DatabaseSchemaScript)).toEqual(full);
    expect(full[2]!.split('\n')).toEqual([
      '.create-or-alter external table Ext (Timestamp:datetime, Id:long)',
      'kind = storage',
      'partition by (Day:datetime = startofday(Timestamp))',
      'pathformat = ("day=" datetime_pattern("yyyyMMdd", Day))',
      'dataformat = parquet',
      '(',
      'h@"https://acct.blob.core.windows.net/backup/db/Events;impersonate"',
      ')',
    ]);
    expect(full[3]).toBe(
      ".create-or-alter continuous-export CE to table Ext with (forcedLatency=time(00:10:00), intervalBetweenRuns=time(01:00:00), sizeLimit=104857600, distributed=true, managedIdentity='system') <| Events",
    );
  });
});

describe('ingestion', () => {
  test('.ingest inline: CSV with quotes, tags and creationTime; queried back; extent metadata', async () => {
    const db = freshDb();
    await exec(db, '.create table Events (Timestamp:datetime, Id:long, Name:string)');
    const ingested = await exec(
      db,
      `.ingest inline into table Events with (format='csv', tags='["drop-by:x","ingest-by:day1"]', creationTime='2025-12-31T00:00:00Z') <| 2026-01-01T10:00:00Z,1,"a, b"\n2026-01-01T11:00:00Z,2,"say ""hi"""`,
    );
    expect(ingested.columns).toEqual(['ExtentId']);
    const back = await exec(db, 'Events | extend t = ingestion_time() | order by Id asc');
    expect(back.rows.map((r) => r.Name)).toEqual(['a, b', 'say "hi"']);
    expect(back.rows.map((r) => (r.t as Date).toISOString())).toEqual([
      '2026-01-05T12:00:00.000Z',
      '2026-01-05T12:00:00.000Z',
    ]);
    const extents = await exec(db, '.show table Events extents');
    expect(extents.rows).toHaveLength(1);
    expect(extents.rows[0]).toMatchObject({
      ExtentId: ingested.rows[0]!.ExtentId,
      TableName: 'Events',
      RowCount: 2,
      Tags: 'drop-by:x\ningest-by:day1',
      DeletedRowCount: 0,
    });
    expect((extents.rows[0]!.MinCreatedOn as Date).toISOString()).toBe('2025-12-31T00:00:00.000Z');
    // ingestIfNotExists skips an ingestion whose ingest-by tag is already there.
    const skipped = await exec(
      db,
      `.ingest inline into table Events with (ingestIfNotExists='["day1"]') <| 2026-01-02,3,c`,
    );
    expect(skipped.rows).toEqual([]);
    const filtered = await exec(db, ".show table Events extents where tags has 'ingest-by:day1'");
    expect(filtered.rows).toHaveLength(1);
    expect((await exec(db, ".show table Events extents where tags !has 'ingest-by:day1'")).rows).toHaveLength(
      0,
    );
  });

  test('.set-or-append creates from the query, .append adds, .set refuses an existing table, .set-or-replace replaces', async () => {
    const db = freshDb();
    const created = await exec(db, '.set-or-append Copy <| datatable(Id:long, Name:string) [1, "a", 2, "b"]');
    expect(created.columns).toEqual([
      'ExtentId',
      'OriginalSize',
      'ExtentSize',
      'ColumnSize',
      'IndexSize',
      'RowCount',
    ]);
    expect(created.rows[0]!.RowCount).toBe(2);
    await exec(db, '.append Copy <| datatable(Name:string, Id:long) ["c", 3]');
    expect((await exec(db, 'Copy | order by Id asc')).rows).toEqual([
      { Id: 1, Name: 'a' },
      { Id: 2, Name: 'b' },
      { Id: 3, Name: 'c' },
    ]);
    const refused = await failure(exec(db, '.set Copy <| datatable(Id:long, Name:string) [9, "z"]'));
    expect(refused.status).toBe(400);
    await exec(db, '.set-or-replace Copy <| Copy | where Id == 2');
    expect((await exec(db, 'Copy')).rows).toEqual([{ Id: 2, Name: 'b' }]);
    const missing = await failure(exec(db, '.append Nowhere <| Copy'));
    expect(missing.status).toBe(400);
  });

  test('.clear table T data removes every row and keeps the table', async () => {
    const db = freshDb();
    await exec(db, '.set-or-append Copy <| datatable(Id:long, Name:string) [1, "a", 2, "b"]');
    const cleared = await exec(db, '.clear table Copy data');
    expect(cleared.rows).toEqual([{ Status: 'Success' }]);
    expect((await exec(db, 'Copy | count')).rows).toEqual([{ Count: 0 }]);
    expect((await exec(db, '.show tables')).rows.map((r) => r.TableName)).toEqual(['Copy']);
  });
});

describe('deletion', () => {
  async function seed(db: string): Promise<void> {
    await exec(db, '.create table Events (Timestamp:datetime, Id:long, Name:string)');
    await exec(db, '.ingest inline into table Events <| 2026-01-01,1,a\n2026-01-01,2,b\n2026-01-01,3,a');
  }

  test('.delete table records soft-deletes matching rows (whatif only counts)', async () => {
    const db = freshDb();
    await seed(db);
    const whatIf = await exec(
      db,
      ".delete table Events records with (whatif=true) <| Events | where Name == 'a'",
    );
    expect(whatIf.columns).toEqual(['OriginalExtentId', 'ResultExtentId', 'RecordsMatchPredicate']);
    expect(whatIf.rows.map((r) => r.RecordsMatchPredicate)).toEqual([2]);
    expect((await exec(db, 'Events | count')).rows).toEqual([{ Count: 3 }]);
    const deleted = await exec(db, ".delete table Events records <| Events | where Name == 'a'");
    expect(deleted.rows).toHaveLength(1);
    expect(deleted.rows[0]!.RecordsMatchPredicate).toBe(2);
    expect(deleted.rows[0]!.ResultExtentId).not.toBe(deleted.rows[0]!.OriginalExtentId);
    expect((await exec(db, 'Events | project Id')).rows).toEqual([{ Id: 2 }]);
    // Soft delete: the rows are still in the (replaced) extent, marked deleted.
    const extents = await exec(db, '.show table Events extents');
    expect(extents.rows[0]).toMatchObject({
      ExtentId: deleted.rows[0]!.ResultExtentId,
      RowCount: 3,
      DeletedRowCount: 2,
    });
  });

  test('.purge: step one returns a token and deletes nothing; step two with the token removes the rows', async () => {
    const db = freshDb();
    await seed(db);
    const step1 = await exec(
      'NetDefaultDB',
      `.purge table Events records in database ${db} <| where Name == 'a'`,
    );
    expect(step1.columns).toEqual(['NumRecordsToPurge', 'EstimatedPurgeExecutionTime', 'VerificationToken']);
    expect(step1.rows[0]!.NumRecordsToPurge).toBe(2);
    expect((await exec(db, 'Events | count')).rows).toEqual([{ Count: 3 }]);
    const token = String(step1.rows[0]!.VerificationToken);
    const wrong = await failure(
      exec(
        'NetDefaultDB',
        `.purge table Events records in database ${db} with (verificationtoken=h'nope') <| where Name == 'a'`,
      ),
    );
    expect(wrong.status).toBe(400);
    const step2 = await exec(
      'NetDefaultDB',
      `.purge table Events records in database ${db} with (verificationtoken=h'${token}') <| where Name == 'a'`,
    );
    expect(step2.columns).toEqual([
      'OperationId',
      'DatabaseName',
      'TableName',
      'ScheduledTime',
      'Duration',
      'LastUpdatedOn',
      'EngineOperationId',
      'State',
      'StateDetails',
      'EngineStartTime',
      'EngineDuration',
      'Retries',
      'ClientRequestId',
      'Principal',
    ]);
    expect(step2.rows[0]).toMatchObject({ DatabaseName: db, TableName: 'Events', State: 'Completed' });
    expect((await exec(db, 'Events | project Id')).rows).toEqual([{ Id: 2 }]);
    // Purge removes rows physically: nothing is left marked deleted.
    expect((await exec(db, '.show table Events extents')).rows[0]).toMatchObject({
      RowCount: 1,
      DeletedRowCount: 0,
    });
    // A used token cannot be replayed.
    expect(
      (
        await failure(
          exec(
            'NetDefaultDB',
            `.purge table Events records in database ${db} with (verificationtoken=h'${token}') <| where Name == 'a'`,
          ),
        )
      ).status,
    ).toBe(400);
  });

  test(".purge with noregrets='true' runs at once (request database when no 'in database')", async () => {
    const db = freshDb();
    await seed(db);
    await exec(db, ".purge table Events records with (noregrets='true') <| where Id >= 2");
    expect((await exec(db, 'Events | project Id')).rows).toEqual([{ Id: 1 }]);
    const bad = await failure(
      exec(db, ".purge table Events records with (noregrets='true') <| where Id == 1 | where Name == 'a'"),
    );
    expect(bad.status).toBe(400);
  });
});

describe('tables lifecycle', () => {
  test('.drop table answers the remaining tables; ifexists; unknown table fails', async () => {
    const db = freshDb();
    await exec(db, '.create tables A (x:int), B (y:string)');
    const dropped = await exec(db, '.drop table A');
    expect(dropped.columns).toEqual(['TableName', 'DatabaseName']);
    expect(dropped.rows).toEqual([{ TableName: 'B', DatabaseName: db }]);
    expect((await exec(db, '.drop table A ifexists')).rows).toEqual([{ TableName: 'B', DatabaseName: db }]);
    const missing = await failure(exec(db, '.drop table A'));
    expect(missing.status).toBe(400);
    await exec(db, '.drop tables (B, Nope) ifexists');
    expect((await exec(db, '.show tables')).rows).toEqual([]);
  });

  test('.rename table and .rename tables (swap), data follows the table', async () => {
    const db = freshDb();
    await exec(db, '.set-or-append A <| datatable(v:string) ["from A"]');
    await exec(db, '.set-or-append B <| datatable(v:string) ["from B"]');
    await exec(db, '.rename table A to C');
    expect((await exec(db, 'C')).rows).toEqual([{ v: 'from A' }]);
    await exec(db, '.rename tables B=C, C=B');
    expect((await exec(db, 'B')).rows).toEqual([{ v: 'from A' }]);
    expect((await exec(db, 'C')).rows).toEqual([{ v: 'from B' }]);
    expect((await failure(exec(db, '.rename table B to C'))).status).toBe(400);
  });

  test('.move extents keeps cursor and ingestion time; by id; schema must match', async () => {
    const db = freshDb();
    await exec(
      db,
      '.create tables Staging (Id:long, Name:string), Target (Id:long, Name:string), Other (Id:string)',
    );
    await exec(db, '.ingest inline into table Staging <| 1,a');
    await emu.clock.advance(60_000);
    await exec(db, '.ingest inline into table Staging <| 2,b');
    const before = await exec(
      db,
      'Staging | extend t = ingestion_time(), c = cursor_current() | order by Id asc',
    );
    const ids = (await exec(db, '.show table Staging extents')).rows.map((r) => String(r.ExtentId));
    const byId = await exec(db, `.move extents from table Staging to table Target (${ids[0]})`);
    expect(byId.columns).toEqual(['OriginalExtentId', 'ResultExtentId', 'Details']);
    expect(byId.rows.map((r) => r.OriginalExtentId)).toEqual([ids[0]]);
    await exec(db, '.move extents all from table Staging to table Target');
    expect((await exec(db, 'Staging | count')).rows).toEqual([{ Count: 0 }]);
    const after = await exec(db, 'Target | extend t = ingestion_time() | order by Id asc');
    expect(after.rows.map((r) => (r.t as Date).toISOString())).toEqual(
      before.rows.map((r) => (r.t as Date).toISOString()),
    );
    expect(after.rows.map((r) => r.Id)).toEqual([1, 2]);
    // Cursor windows still select the moved rows by their original cursors.
    const state = emu.state.database(db)!;
    const cursors = state.tables.get('Target')!.extents.map((e) => e.cursor);
    expect(cursors[0]! < cursors[1]!).toBe(true);
    const mismatch = await failure(exec(db, '.move extents all from table Target to table Other'));
    expect(mismatch.status).toBe(400);
  });

  test('.move extents all moves 50,000 tagged extents and keeps every tag', async () => {
    const db = freshDb();
    await exec(db, '.create tables Staging (Id:long), Target (Id:long)');
    const staging = emu.state.database(db)!.tables.get('Staging')!;
    for (let i = 0; i < 50_000; i++)
      appendExtent(emu.state, db, 'Staging', [[i]], { tags: ['restore:r1', `ingest-by:k${i}`] });
    // At this size a move that searched and spliced per extent would exceed the test's timeout.
    const moved = await exec(db, '.move extents all from table Staging to table Target');
    expect(moved.rows).toHaveLength(50_000);
    expect(staging.extents).toEqual([]);
    const tagged = await exec(
      db,
      ".show table Target extents where tags has 'restore:r1' | summarize Extents = count(), RowCount = sum(RowCount)",
    );
    expect(tagged.rows).toEqual([{ Extents: 50_000, RowCount: 50_000 }]);
  }, 60_000);
});

describe('quoted names', () => {
  test("every command accepts bracket-quoted names (['T'], ['my db'])", async () => {
    const db = 'my db';
    emu.createDatabase(db);
    await exec(db, ".create table ['Events'] (['Id']:long, ['Name']:string)");
    await exec(db, ".create-merge table ['Staging'] (['Id']:long, ['Name']:string)");
    await exec(db, ".ingest inline into table ['Staging'] <| 1,a\n2,b\n3,c");
    await exec(db, ".alter table ['Events'] policy ingestiontime true");
    expect((await exec(db, ".show table ['Events'] schema as json")).rows[0]!.TableName).toBe('Events');
    await exec(db, ".move extents all from table ['Staging'] to table ['Events']");
    await exec(db, ".delete table ['Events'] records <| ['Events'] | where ['Id'] == 1");
    await exec(
      'NetDefaultDB',
      ".purge table ['Events'] records in database ['my db'] with (noregrets='true') <| where ['Name'] == 'b'",
    );
    expect((await exec(db, "['Events'] | project Id")).rows).toEqual([{ Id: 3 }]);
    const schema = await exec(db, ".show database ['my db'] schema as json");
    expect(Object.keys(JSON.parse(String(schema.rows[0]!.DatabaseSchema)).Databases)).toEqual(['my db']);
    expect((await exec(db, ".show database ['my db'] schema as csl script")).rows).toHaveLength(2);
    await exec(db, ".rename table ['Staging'] to ['Old']");
    await exec(db, ".clear table ['Old'] data");
    expect((await exec(db, ".drop table ['Old'] ifexists")).rows.map((r) => r.TableName)).toEqual(['Events']);
  });
});

describe('IngestionTime policy', () => {
  test('show, delete and alter the policy; ingestion time is null while it is off', async () => {
    const db = freshDb();
    await exec(db, '.create tables A (x:int), B (x:int)');
    const shown = await exec(db, '.show table A policy ingestiontime');
    expect(shown.columns).toEqual(['PolicyName', 'EntityName', 'Policy', 'ChildEntities', 'EntityType']);
    expect(shown.rows).toEqual([
      {
        PolicyName: 'IngestionTimePolicy',
        EntityName: `[${db}].[A]`,
        Policy: '{ "IsEnabled": true }',
        ChildEntities: null,
        EntityType: 'Table',
      },
    ]);
    await exec(db, '.delete table A policy ingestiontime');
    await exec(db, '.ingest inline into table A <| 1');
    expect((await exec(db, 'A | extend t = ingestion_time()')).rows).toEqual([{ x: 1, t: null }]);
    const altered = await exec(db, '.alter tables (A, B) policy ingestiontime true');
    expect(altered.rows.map((r) => r.EntityName)).toEqual([`[${db}].[A]`, `[${db}].[B]`]);
    await exec(db, '.ingest inline into table A <| 2');
    expect((await exec(db, 'A | where x == 2 | extend t = ingestion_time()')).rows[0]!.t).toBeInstanceOf(
      Date,
    );
    // The official grammar has no `false` form: disabling is `.delete ... policy ingestiontime`.
    expect((await failure(exec(db, '.alter table A policy ingestiontime false'))).error?.code).toBe(
      'BadRequest_SyntaxError',
    );
  });
});
