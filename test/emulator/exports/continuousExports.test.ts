import { startKit, type Kit } from './testkit';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

let kit: Kit;
beforeAll(async () => {
  kit = await startKit();
  await kit.run('.create table T (Timestamp:datetime, Name:string, Value:long)');
  await kit.run('.ingest inline into table T <| 2025-12-31T00:00:00Z,history,0');
  await kit.run(
    '.create external table Ext (Timestamp:datetime, Name:string, Value:long) kind=storage ' +
      'partition by (Day:datetime = startofday(Timestamp)) pathformat=(datetime_pattern("yyyyMMdd", Day)) ' +
      "dataformat=parquet ('https://prod.blob.core.windows.net/backup/db/T;impersonate')",
  );
});
afterAll(async () => {
  await kit.stop();
});

const CREATE =
  '.create-or-alter continuous-export CE over (T) to table Ext ' +
  "with (intervalBetweenRuns=1h, forcedLatency=10m, sizeLimit=104857600, managedIdentity='system') <| T";

/** `Name` values of every committed artifact of CE (what `exported-artifacts` lists), sorted. */
async function exportedNames(): Promise<string[]> {
  const names: string[] = [];
  for (const artifact of await kit.run('.show continuous-export CE exported-artifacts')) {
    for (const row of await kit.readArtifact(artifact.Path as string)) names.push(row.Name as string);
  }
  return names.sort();
}

async function ingest(...names: string[]): Promise<void> {
  const lines = names.map((n, i) => `2026-01-0${1 + (i % 3)}T12:00:00Z,${n},${i}`).join('\n');
  await kit.run(`.ingest inline into table T <| ${lines}`);
}

async function show(): Promise<Record<string, unknown>> {
  return (await kit.run('.show continuous-export CE'))[0]!;
}

describe('continuous export life cycle', () => {
  let startCursor: string;

  it('validates the definition against the state', async () => {
    expect(await kit.fail(CREATE.replace('to table Ext', 'to table Missing'))).toMatch(
      /external table not found/,
    );
    expect(await kit.fail(CREATE.replace(", managedIdentity='system'", ''))).toMatch(
      /impersonation requires setting the 'managedIdentity' property/,
    );
    expect(await kit.fail(CREATE.replace('<| T', '<| T | project Name'))).toMatch(/schema mismatch/);
    expect(await kit.fail(CREATE.replace('intervalBetweenRuns=1h', 'intervalBetweenRuns=30s'))).toMatch(
      /at least 1 minute/,
    );
  });

  it('creates the export with all 13 documented columns', async () => {
    const [row] = await kit.run(CREATE);
    expect(Object.keys(row!)).toEqual([
      'Name',
      'ExternalTableName',
      'Query',
      'ForcedLatency',
      'IntervalBetweenRuns',
      'CursorScopedTables',
      'ExportProperties',
      'LastRunTime',
      'StartCursor',
      'IsDisabled',
      'LastRunResult',
      'ExportedTo',
      'IsRunning',
    ]);
    expect(row).toMatchObject({
      Name: 'CE',
      ExternalTableName: 'Ext',
      Query: 'T',
      ForcedLatency: 10 * MINUTE,
      IntervalBetweenRuns: HOUR,
      CursorScopedTables: "[\n  \"['db'].['T']\"\n]",
      ExportProperties: '{\n  "SizeLimit": 104857600,\n  "ManagedIdentity": "system"\n}',
      LastRunTime: null,
      IsDisabled: false,
      ExportedTo: null,
      IsRunning: false,
    });
    startCursor = row!.StartCursor as string;
    expect(startCursor).toMatch(/^\d+$/);
  });

  it('exports only what was ingested after StartCursor, once the interval elapsed', async () => {
    await ingest('r1', 'r2', 'r3');
    await kit.emu.clock.advance(HOUR);
    const row = await show();
    expect(row).toMatchObject({ LastRunResult: 'Completed', IsRunning: false });
    expect((row.LastRunTime as Date).getTime()).toBe(kit.emu.clock.now().getTime());
    const artifacts = await kit.run('.show continuous-export CE exported-artifacts');
    expect(Object.keys(artifacts[0]!)).toEqual([
      'Timestamp',
      'ExternalTableName',
      'Path',
      'NumRecords',
      'SizeInBytes',
    ]);
    expect(artifacts.map((a) => (a.Path as string).split('/').slice(-2, -1)[0]).sort()).toEqual([
      '20260101',
      '20260102',
      '20260103',
    ]);
    expect(await exportedNames()).toEqual(['r1', 'r2', 'r3']);
    // The StartCursor is unchanged by runs: the history stays below it.
    expect((await show()).StartCursor).toBe(startCursor);
  });

  it('holds back rows younger than forcedLatency, and writes new files each run', async () => {
    await kit.emu.clock.advance(55 * MINUTE);
    await ingest('late');
    await kit.emu.clock.advance(5 * MINUTE); // due now, but 'late' is only 5 minutes old
    expect(await exportedNames()).toEqual(['r1', 'r2', 'r3']);
    expect((await show()).LastRunResult).toBe('Completed');
    await kit.emu.clock.advance(HOUR);
    expect(await exportedNames()).toEqual(['late', 'r1', 'r2', 'r3']);
    expect(await kit.run('.show continuous-export CE failures')).toEqual([]);
  });

  it('reports a run with nothing new as completed, exported up to now', async () => {
    await kit.emu.clock.advance(HOUR);
    const row = await show();
    expect(row.LastRunResult).toBe('Completed');
    expect((row.ExportedTo as Date).getTime()).toBe(kit.emu.clock.now().getTime());
  });

  it('records a schema mismatch after the source gains a column, then recovers with no gap', async () => {
    await kit.run('.create-merge table T (Extra:string)');
    await ingest('during-drift');
    await kit.emu.clock.advance(HOUR);
    expect((await show()).LastRunResult).toBe('Failed');
    const failures = await kit.run('.show continuous-export CE failures');
    expect(Object.keys(failures[0]!)).toEqual([
      'Timestamp',
      'OperationId',
      'Name',
      'LastSuccessRun',
      'FailureKind',
      'Details',
    ]);
    expect(failures[0]).toMatchObject({ Name: 'CE', FailureKind: 'Failure' });
    expect(failures[0]!.Details).toMatch(/schema mismatch.*'Extra' is not in the external table/);
    // The repair the product performs: realign the export query with the external table.
    await kit.run(CREATE.replace('<| T', '<| T | project Timestamp, Name, Value'));
    await kit.emu.clock.advance(HOUR);
    expect((await show()).LastRunResult).toBe('Completed');
    expect(await exportedNames()).toEqual(['during-drift', 'late', 'r1', 'r2', 'r3']);
  });

  it('fails while the external table is missing and resumes when it is back', async () => {
    const [definition] = await kit.run('.show external table Ext');
    await kit.run('.drop external table Ext');
    await ingest('while-dropped');
    await kit.emu.clock.advance(HOUR);
    const failures = await kit.run('.show continuous-export CE failures');
    expect(failures[failures.length - 1]!.Details).toMatch(/external table not found: 'Ext'/);
    expect(definition).toBeDefined();
    await kit.run(
      '.create external table Ext (Timestamp:datetime, Name:string, Value:long) kind=storage ' +
        'partition by (Day:datetime = startofday(Timestamp)) pathformat=(datetime_pattern("yyyyMMdd", Day)) ' +
        "dataformat=parquet ('https://prod.blob.core.windows.net/backup/db/T;impersonate')",
    );
    await kit.emu.clock.advance(HOUR);
    expect(await exportedNames()).toContain('while-dropped');
  });

  it('leaves a partial file out of exported-artifacts and re-exports its rows on the next run', async () => {
    await ingest('partial');
    kit.emu.faults.partialFilesNext = 1;
    await kit.emu.clock.advance(HOUR);
    const failures = await kit.run('.show continuous-export CE failures');
    expect(failures[failures.length - 1]).toMatchObject({ FailureKind: 'PartialFailure' });
    expect(await exportedNames()).not.toContain('partial');
    await kit.emu.clock.advance(HOUR);
    expect(await exportedNames()).toContain('partial');
  });

  it('auto-disables after 7 days of permanent failure; re-enabled, it catches up with no gap', async () => {
    kit.emu.faults.inaccessibleContainers.add('backup');
    await ingest('outage-1');
    await kit.emu.clock.advance(3 * DAY);
    expect((await show()).IsDisabled).toBe(false);
    const failures = await kit.run('.show continuous-export CE failures');
    expect(failures[failures.length - 1]!.Details).toMatch(/storage account not accessible/);
    await ingest('outage-2');
    await kit.emu.clock.advance(4 * DAY + 2 * HOUR);
    const disabled = await show();
    expect(disabled).toMatchObject({ IsDisabled: true, LastRunResult: 'Failed' });
    const lastRun = (disabled.LastRunTime as Date).getTime();
    await kit.emu.clock.advance(5 * HOUR);
    expect(((await show()).LastRunTime as Date).getTime()).toBe(lastRun); // disabled: no more runs

    kit.emu.faults.inaccessibleContainers.clear();
    await ingest('after-fix');
    const [enabled] = await kit.run('.enable continuous-export CE');
    expect(enabled!.IsDisabled).toBe(false);
    await kit.emu.clock.advance(HOUR);
    expect((await show()).LastRunResult).toBe('Completed');
    const exported = await exportedNames();
    expect(exported).toEqual(
      [
        'after-fix',
        'during-drift',
        'late',
        'outage-1',
        'outage-2',
        'partial',
        'r1',
        'r2',
        'r3',
        'while-dropped',
      ].sort(),
    );
    // Exactly the source rows after StartCursor: no gap, no duplicate, no history.
    const source = await kit.run(`T | where cursor_after('${startCursor}') | project Name`);
    expect(exported).toEqual(source.map((r) => r.Name as string).sort());
  });

  it('disables, enables and drops, answering with the export rows', async () => {
    expect((await kit.run('.disable continuous-export CE'))[0]!.IsDisabled).toBe(true);
    expect((await kit.run('.show continuous-exports')).map((r) => r.Name)).toEqual(['CE']);
    expect(await kit.run('.drop continuous-export CE')).toEqual([]);
    expect(await kit.fail('.show continuous-export CE')).toMatch(/not found/);
  });
});
