import { loseOperation, startOperation } from './operations';
import { startKit, type Kit } from './testkit';

const HOUR = 3_600_000;

let kit: Kit;
beforeAll(async () => {
  kit = await startKit();
  kit.emu.state.capacity.exportTotal = 2;
  await kit.run('.create table T (Timestamp:datetime, Name:string, Value:long)');
  await kit.run(
    '.ingest inline into table T <| 2025-06-01T00:00:00Z,a,1\n2025-06-02T00:00:00Z,b,2\n2025-06-03T00:00:00Z,c,3',
  );
  await kit.run(
    '.create external table Ext (Timestamp:datetime, Name:string, Value:long) kind=storage ' +
      "dataformat=parquet ('https://prod.blob.core.windows.net/ops/T;impersonate')",
  );
});
afterEach(() => {
  // A held operation never finishes: release it even when a test failed half-way.
  kit.emu.faults.reset();
});
afterAll(async () => {
  await kit.stop();
});

async function exportAsync(query = 'T'): Promise<string> {
  const [row] = await kit.run(`.export async to table Ext <| ${query}`);
  expect(Object.keys(row!)).toEqual(['OperationId']);
  return row!.OperationId as string;
}

async function byIds(...ids: string[]): Promise<Record<string, unknown>[]> {
  return kit.run(`.show operations (${ids.join(', ')})`);
}

describe('async export operations', () => {
  it('does not start the work in the turn that answers the command', async () => {
    // The server writes the answer in the microtasks that follow the handler; work started there
    // would hold the OperationId back until the export's first I/O (seconds for a large table).
    let started = false;
    const id = startOperation(kit.emu.core, 'db', 'DataExportToExternalTable', () => {
      started = true;
      return Promise.resolve({ columns: [], rows: [] });
    });
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(started).toBe(false);
    expect(kit.emu.state.operations.get(id)?.state).toBe('InProgress');
    await kit.emu.idle();
    expect(started).toBe(true);
    expect(kit.emu.state.operations.get(id)?.state).toBe('Completed');
  });

  it('runs in the background and completes with details', async () => {
    const id = await exportAsync();
    await kit.emu.idle();
    const [op] = await byIds(id);
    expect(Object.keys(op!)).toEqual([
      'OperationId',
      'Operation',
      'NodeId',
      'StartedOn',
      'LastUpdatedOn',
      'Duration',
      'State',
      'Status',
      'RootActivityId',
      'ShouldRetry',
      'Database',
      'Principal',
      'User',
      'AdminEpochStartTime',
      'VirtualCluster',
    ]);
    expect(op).toMatchObject({
      OperationId: id,
      Operation: 'DataExportToExternalTable',
      State: 'Completed',
      Database: 'db',
    });
    const details = await kit.run(`.show operation ${id} details`);
    expect(Object.keys(details[0]!)).toEqual(['ExternalTableName', 'Path', 'NumRecords', 'SizeInBytes']);
    expect(details.reduce((n, d) => n + Number(d.NumRecords), 0)).toBe(3);
    expect((await kit.readArtifact(details[0]!.Path as string)).map((r) => r.Name).sort()).toEqual([
      'a',
      'b',
      'c',
    ]);
  });

  it('throttles beyond the export capacity, which .show capacity reports', async () => {
    kit.emu.faults.holdOperations = true;
    const running = [await exportAsync(), await exportAsync()];
    const throttled = await exportAsync();
    const capacity = await kit.run('.show capacity');
    expect(capacity.find((r) => r.Resource === 'DataExport')).toEqual({
      Resource: 'DataExport',
      Total: 2,
      Consumed: 2,
      Remaining: 0,
      Origin: 'CapacityPolicy/Export',
    });
    expect(capacity.map((r) => r.Resource)).toContain('Ingestions');
    const piped = await kit.run(".show capacity | where Resource == 'DataExport' | project Total");
    expect(piped).toEqual([{ Total: 2 }]);
    const states = await kit.run(
      `.show operations (${[...running, throttled].join(', ')}) | project OperationId, State, Status, ShouldRetry`,
    );
    expect(states.find((s) => s.OperationId === throttled)).toMatchObject({
      State: 'Throttled',
      ShouldRetry: true,
    });
    expect(states.find((s) => s.OperationId === throttled)!.Status).toMatch(
      /aborted due to throttling.*Capacity: 2/,
    );
    expect(states.filter((s) => s.State === 'InProgress')).toHaveLength(2);
    // A synchronous export finds no capacity either: HTTP 429 (the client's ThrottlingError).
    expect(await kit.fail('.export to table Ext <| T')).toMatch(/429/);
    kit.emu.faults.holdOperations = false;
    await kit.emu.idle();
    expect((await byIds(...running)).map((s) => s.State)).toEqual(['Completed', 'Completed']);
    expect(await kit.fail(`.show operation ${throttled} details`)).toMatch(/no details/);
  });

  it('fails with E_LOW_MEMORY_CONDITION above the row limit, retryable', async () => {
    kit.emu.faults.exportRowLimit = 2;
    const id = await exportAsync();
    await kit.emu.idle();
    kit.emu.faults.exportRowLimit = null;
    const [op] = await byIds(id);
    expect(op).toMatchObject({ State: 'Failed', ShouldRetry: true });
    expect(op!.Status).toMatch(/E_LOW_MEMORY_CONDITION/);
    const smaller = await exportAsync("T | where Name == 'a'");
    await kit.emu.idle();
    expect((await byIds(smaller))[0]!.State).toBe('Completed');
  });

  it('fails without retry when the storage is not accessible', async () => {
    kit.emu.faults.inaccessibleContainers.add('ops');
    const id = await exportAsync();
    await kit.emu.idle();
    kit.emu.faults.inaccessibleContainers.clear();
    expect((await byIds(id))[0]).toMatchObject({ State: 'Failed', ShouldRetry: false });
  });

  it('keeps every state change in log mode, and forgets ids after 6 hours or when lost', async () => {
    const log = await kit.run('.show operations');
    const first = log.find((r) => r.State === 'Completed')!.OperationId as string;
    expect(log.filter((r) => r.OperationId === first).map((r) => r.State)).toEqual([
      'InProgress',
      'Completed',
    ]);
    const lost = await exportAsync();
    const kept = await exportAsync();
    await kit.emu.idle();
    expect(loseOperation(kit.emu.core, lost)).toBe(true);
    expect((await byIds(lost, kept)).map((r) => r.OperationId)).toEqual([kept]);
    await kit.emu.clock.advance(6 * HOUR);
    expect(await byIds(kept)).toEqual([]);
    // Log mode still has it (14 days).
    expect((await kit.run('.show operations')).some((r) => r.OperationId === kept)).toBe(true);
  });
});
