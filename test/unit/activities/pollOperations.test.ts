import { createPollOperationsActivity } from '../../../lib/activities/pollOperations';
import { ValidationError } from '../../../lib/errors';
import { table } from '../../helpers/resultTables';
import { scriptedGateway } from '../../helpers/scriptedGateway';
import { CLUSTER } from './fixtures';

const ID = (n: number) => `${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`;
const ops = table(
  'OperationId:guid, Operation:string, NodeId:string, StartedOn:datetime, LastUpdatedOn:datetime, Duration:timespan, State:string, Status:string, RootActivityId:guid, ShouldRetry:bool',
  [
    [
      ID(1),
      'DataExportToExternalTable',
      '',
      '2026-01-01T00:00:00Z',
      '2026-01-01T00:01:00.1234567Z',
      '00:01:00',
      'Completed',
      '',
      ID(9),
      0,
    ],
    [
      ID(2),
      'DataExportToExternalTable',
      '',
      '2026-01-01T00:00:00Z',
      '2026-01-01T00:02:00Z',
      '00:02:00',
      'Failed',
      'E_LOW_MEMORY_CONDITION',
      ID(9),
      1,
    ],
  ],
);

test('polls every id with one .show operations and reports what it answered', async () => {
  const gateway = scriptedGateway({ 'show-operations': ops });
  const out = await createPollOperationsActivity({ gatewayFor: () => gateway })({
    clusterUri: CLUSTER,
    database: 'db',
    operationIds: [ID(1), ID(2), ID(3)],
  });
  expect(gateway.sent.map((c) => c.text)).toEqual([`.show operations (${ID(1)}, ${ID(2)}, ${ID(3)})`]);
  expect(out.operations).toEqual([
    {
      operationId: ID(1),
      state: 'Completed',
      status: '',
      shouldRetry: false,
      lastUpdatedOn: '2026-01-01T00:01:00.123Z',
    },
    {
      operationId: ID(2),
      state: 'Failed',
      status: 'E_LOW_MEMORY_CONDITION',
      shouldRetry: true,
      lastUpdatedOn: '2026-01-01T00:02:00.000Z',
    },
  ]);
});

test('nothing to poll sends nothing; too many ids is refused before sending', async () => {
  const gateway = scriptedGateway({});
  const run = createPollOperationsActivity({ gatewayFor: () => gateway });
  expect(await run({ clusterUri: CLUSTER, database: 'db', operationIds: [] })).toEqual({ operations: [] });
  await expect(
    run({ clusterUri: CLUSTER, database: 'db', operationIds: Array.from({ length: 1001 }, (_, i) => ID(i)) }),
  ).rejects.toThrow(ValidationError);
  expect(gateway.sent).toEqual([]);
});
