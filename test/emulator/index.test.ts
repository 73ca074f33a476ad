import { BlobServiceClient } from '@azure/storage-blob';
import { Client } from 'azure-kusto-data';
import { startAzurite, type AzuriteHandle } from '../helpers/azurite';
import { startEmulator, type EmulatorHandle } from './index';
import { run } from './clientHelpers';

const HOUR = 3_600_000;
let azurite: AzuriteHandle;
let emu: EmulatorHandle;
let client: Client;

beforeAll(async () => {
  azurite = await startAzurite();
  emu = await startEmulator({
    storage: azurite,
    start: new Date('2026-03-01T00:00:00Z'),
    databases: ['a', 'b'],
  });
  client = new Client(emu.url);
});

afterAll(async () => {
  client.close();
  await emu.stop();
  await azurite.stop();
});

test('the handle exposes the given storage, the databases and the virtual clock', async () => {
  expect(emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(emu.storage).toBe(azurite);
  expect((await run(client, 'a', '.show databases')).rows.map((r) => r.DatabaseName)).toEqual(['a', 'b']);
  expect(emu.clock.now().toISOString()).toBe('2026-03-01T00:00:00.000Z');
  emu.createDatabase('c');
  expect(emu.state.database('c')).toBeDefined();
  expect(emu.commandLog).toBe(emu.state.commandLog);
});

test('clock.advance runs continuous exports at every due time on the way', async () => {
  await run(client, 'a', '.create table T (Timestamp:datetime, Name:string)');
  await run(
    client,
    'a',
    '.create external table Ext (Timestamp:datetime, Name:string) kind=storage dataformat=parquet ' +
      "('https://acct.blob.core.windows.net/backup/a/T;impersonate')",
  );
  await run(
    client,
    'a',
    ".create-or-alter continuous-export CE over (T) to table Ext with (intervalBetweenRuns=1h, managedIdentity='system') <| T",
  );
  // Only rows ingested after the export's creation (its StartCursor) are exported by it.
  await run(client, 'a', '.ingest inline into table T <| 2026-03-01T00:00:00Z,x');
  const start = emu.clock.now().getTime();
  await emu.clock.advance(3 * HOUR + HOUR / 2);
  await emu.idle();
  expect(emu.clock.now().getTime()).toBe(start + 3.5 * HOUR);
  const ce = (await run(client, 'a', '.show continuous-export CE')).rows[0]!;
  // Runs at +1h, +2h and +3h: the last one started at +3h, not at the end of the jump.
  expect((ce.LastRunTime as Date).getTime()).toBe(start + 3 * HOUR);
  expect(ce.LastRunResult).toBe('Completed');
  // The artifact landed in the Azurite the emulator was given.
  const artifacts = (await run(client, 'a', '.show continuous-export CE exported-artifacts')).rows;
  expect(artifacts).toHaveLength(1);
  const url = String(artifacts[0]!.Path);
  expect(url.startsWith(azurite.blobUrl)).toBe(true);
  const service = BlobServiceClient.fromConnectionString(azurite.connectionString);
  const [container, ...name] = url.slice(azurite.blobUrl.length + 1).split('/');
  expect(
    await service
      .getContainerClient(container!)
      .getBlobClient(decodeURIComponent(name.join('/')))
      .exists(),
  ).toBe(true);
  emu.clock.set(new Date('2027-01-01T00:00:00Z'));
  expect(emu.clock.now().toISOString()).toBe('2027-01-01T00:00:00.000Z');
});
