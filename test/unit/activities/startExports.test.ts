import { createStartExportsActivity } from '../../../lib/activities/startExports';
import type { Chunk } from '../../../lib/domain/chunks';
import { PermanentError, ThrottledError, TransientError } from '../../../lib/errors';
import { table } from '../../helpers/resultTables';
import { scriptedGateway, type Answer } from '../../helpers/scriptedGateway';
import { silentLogger } from '../../helpers/setupHarness';
import { CLUSTER } from './fixtures';

const capacity = (remaining: number) =>
  table('Resource:string, Total:long, Consumed:long, Remaining:long, Origin:string', [
    ['Ingestions', 6, 0, 6, 'CapacityPolicy/Ingestion'],
    ['DataExport', 4, 4 - remaining, remaining, 'CapacityPolicy/Export'],
  ]);
const op = (id: string) => table('OperationId:guid', [[id]]);
const ID1 = '11111111-1111-4111-8111-111111111111';
const ID2 = '22222222-2222-4222-8222-222222222222';
const day = (d: number): Chunk => {
  const from = new Date(Date.UTC(2026, 0, d)).toISOString();
  const to = new Date(Date.UTC(2026, 0, d + 1)).toISOString();
  return { id: `r-${from}-${to}`, kind: 'range', from, to, expectedRows: 10 };
};
const NULLS: Chunk = { id: 'null-ingestion-time', kind: 'null-ingestion-time', expectedRows: 3 };
const target = {
  clusterUri: CLUSTER,
  database: 'db',
  table: 'Events',
  externalTable: 'adxbackup_Events',
  cursor: '637000000000000042',
  partitioned: true,
};

const run = (script: Record<string, Answer | Answer[]>, chunks: Chunk[], extra = {}) => {
  const gateway = scriptedGateway(script);
  const go = createStartExportsActivity({ gatewayFor: () => gateway, logger: silentLogger });
  return { gateway, result: go({ ...target, chunks, ...extra }) };
};

test('starts no more exports than the free capacity, in order', async () => {
  const { gateway, result } = run(
    { 'show-capacity': capacity(2), 'export-chunk': [op(ID1), op(ID2)] },
    [day(1), NULLS, day(3)],
    {
      sizeLimitBytes: 209715200,
    },
  );
  expect(await result).toEqual({
    started: [
      { chunkId: day(1).id, operationId: ID1 },
      { chunkId: NULLS.id, operationId: ID2 },
    ],
    throttled: [],
    failed: [],
    capacity: { total: 4, remaining: 2 },
  });
  expect(gateway.mutating()).toEqual([
    ".export async to table ['adxbackup_Events'] with (sizeLimit=209715200) <| ['Events'] | where cursor_before_or_at('637000000000000042') and ingestion_time() >= datetime(2026-01-01T00:00:00.0000000Z) and ingestion_time() < datetime(2026-01-02T00:00:00.0000000Z)",
    ".export async to table ['adxbackup_Events'] with (sizeLimit=209715200) <| ['Events'] | where cursor_before_or_at('637000000000000042') and isnull(ingestion_time())",
  ]);
});

test('per-chunk failures come back as data: throttled, transient, permanent', async () => {
  const { result } = run(
    {
      'show-capacity': capacity(4),
      'export-chunk': [
        new ThrottledError('429'),
        new TransientError('503'),
        new PermanentError("External table 'x' was not found"),
        op(ID1),
      ],
    },
    [day(1), day(2), day(3), day(4)],
  );
  const out = await result;
  expect(out.throttled).toEqual([day(1).id]);
  expect(out.failed).toEqual([
    { chunkId: day(2).id, error: '503', permanent: false },
    { chunkId: day(3).id, error: "External table 'x' was not found", permanent: true },
  ]);
  expect(out.started).toEqual([{ chunkId: day(4).id, operationId: ID1 }]);
});

test('no free capacity starts nothing; an unreported capacity allows one', async () => {
  const none = run({ 'show-capacity': capacity(0) }, [day(1)]);
  expect((await none.result).started).toEqual([]);
  expect(none.gateway.mutating()).toEqual([]);
  const unknown = run(
    {
      'show-capacity': table('Resource:string, Total:long, Consumed:long, Remaining:long', []),
      'export-chunk': op(ID1),
    },
    [day(1), day(2)],
  );
  expect(await unknown.result).toMatchObject({ started: [{ chunkId: day(1).id }], capacity: null });
});
