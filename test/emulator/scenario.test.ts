/**
 * End to end on the emulator, through the real clients only: a table with history, an external table
 * and a continuous export for new data, the history exported below the export's StartCursor, a
 * delete on the source, and the backup read back from storage: exactly the source rows.
 */
import { startKit, type Kit } from './exports/testkit';

const HOUR = 3_600_000;

let kit: Kit;
beforeAll(async () => {
  kit = await startKit();
});
afterAll(async () => {
  await kit.stop();
});

/** A row as comparable text. */
const key = (r: Record<string, unknown>): string =>
  `${r.Timestamp instanceof Date ? r.Timestamp.toISOString() : new Date(r.Timestamp as number).toISOString()}|${String(r.Name)}|${String(r.Value)}`;

it('backs up history and new data with no gap and no duplicate, untouched by later deletes', async () => {
  await kit.run('.create table Sales (Timestamp:datetime, Name:string, Value:long)');
  await kit.run(
    '.ingest inline into table Sales <| 2025-12-30T08:00:00Z,h1,1\n2025-12-30T09:00:00Z,h2,2\n2025-12-31T10:00:00Z,h3,3',
  );
  await kit.run('.ingest inline into table Sales <| 2025-12-31T11:00:00Z,h4,4');

  await kit.run(
    '.create-or-alter external table SalesBackup (Timestamp:datetime, Name:string, Value:long) kind=storage ' +
      'partition by (Day:datetime = startofday(Timestamp)) pathformat=(datetime_pattern("yyyyMMdd", Day)) dataformat=parquet ' +
      "('https://backupacct.blob.core.windows.net/backup/db/Sales;impersonate')",
  );
  const [exportDef] = await kit.run(
    '.create-or-alter continuous-export SalesExport over (Sales) to table SalesBackup ' +
      "with (intervalBetweenRuns=1h, managedIdentity='system') <| Sales",
  );
  const startCursor = exportDef!.StartCursor as string;

  // New data after the export exists: exported by the continuous export.
  await kit.run('.ingest inline into table Sales <| 2026-01-01T00:10:00Z,n1,10\n2026-01-01T00:20:00Z,n2,20');
  await kit.emu.clock.advance(HOUR);
  await kit.run('.ingest inline into table Sales <| 2026-01-01T01:30:00Z,n3,30');
  await kit.emu.clock.advance(HOUR);

  // History: everything at or before the StartCursor, nothing after it.
  const [op] = await kit.run(
    `.export async to table SalesBackup <| Sales | where cursor_before_or_at('${startCursor}')`,
  );
  await kit.emu.idle();
  const [status] = await kit.run(`.show operations (${op!.OperationId as string}) | project State`);
  expect(status).toEqual({ State: 'Completed' });

  const source = (await kit.run('Sales')).map(key).sort();
  expect(source).toHaveLength(7);

  // A delete on the source does not touch what was exported.
  const before = await kit.list('backup', 'db/Sales/');
  await kit.run(".delete table Sales records <| Sales | where Name in ('h1', 'n2')");
  expect(await kit.run('Sales | count')).toEqual([{ Count: 5 }]);
  expect(await kit.list('backup', 'db/Sales/')).toEqual(before);

  const backup = (await kit.readRows('backup', 'db/Sales/')).map(key).sort();
  expect(backup).toEqual(source);
  // Files are partitioned by day under the table's folder.
  expect(new Set(before.map((n) => n.split('/')[2]))).toEqual(new Set(['20251230', '20251231', '20260101']));
});
