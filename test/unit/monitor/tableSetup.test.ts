import { durableTableSetupStarter } from '../../../lib/monitor/tableSetup';
import { OrchestratorNames, setupInstanceId, setupTableInstanceId } from '../../../lib/names';
import type { SetupTableInput } from '../../../lib/orchestrations/setupTable';
import { CLUSTER, COLS, POLICY } from '../../helpers/monitorFixtures';
import { FakeDurableClient } from '../../helpers/setupHarness';

const input: SetupTableInput = {
  clusterUri: CLUSTER,
  chunkTargetRows: 10,
  plan: { ...POLICY, table: 'New', columns: COLS, partitionColumn: 'Timestamp' },
};
const database = setupInstanceId(CLUSTER, 'db');
const table = setupTableInstanceId(database, 'New');

test("starts setup's per-table orchestration under the id a database setup gives that table", async () => {
  const client = new FakeDurableClient();
  const starter = durableTableSetupStarter(client);
  expect(await starter.start(input)).toEqual({ status: 'started', instanceId: table });
  expect(client.started).toEqual([{ name: OrchestratorNames.setupTable, instanceId: table, input }]);
  // Still running: not started twice. Finished: started again.
  expect(await starter.start(input)).toEqual({ status: 'running', instanceId: table });
  client.statuses.set(table, 'Failed');
  expect((await starter.start(input)).status).toBe('started');
  expect(client.started).toHaveLength(2);
});

test('defers to a running setup of the whole database', async () => {
  const client = new FakeDurableClient();
  client.statuses.set(database, 'ContinuedAsNew');
  expect(await durableTableSetupStarter(client).start(input)).toEqual({
    status: 'deferred',
    instanceId: database,
  });
  expect(client.started).toEqual([]);
});
