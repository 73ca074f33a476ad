import { createSnapshotSchemaActivity } from '../../../lib/activities/snapshotSchema';
import { table } from '../../helpers/resultTables';
import { scriptedGateway } from '../../helpers/scriptedGateway';
import { MemoryBlobs, silentLogger } from '../../helpers/setupHarness';
import { CLUSTER } from './fixtures';

const script = (...commands: string[]) =>
  table(
    'DatabaseSchemaScript:string',
    commands.map((c) => [c]),
  );
const CONTAINERS = ['https://a1.blob.core.windows.net/backup', 'https://a2.blob.core.windows.net/backup'];

test('stores the csl script in every container, and only again when it changed', async () => {
  const blobs = new MemoryBlobs();
  const gateway = scriptedGateway({
    'show-database-schema-script': [
      script('.create table A (x:long)', '.create table B (y:string)'),
      script('.create table A (x:long)', '.create table B (y:string)'),
      script('.create table A (x:long, z:int)'),
    ],
  });
  const run = createSnapshotSchemaActivity({ gatewayFor: () => gateway, blobs, logger: silentLogger });
  const input = {
    clusterUri: CLUSTER,
    database: 'db',
    containers: CONTAINERS,
    takenAt: '2026-01-01T00:00:00.000Z',
  };
  const first = await run(input);
  expect(first.written).toEqual(CONTAINERS.map((c) => `${c}/db/_schema/20260101T000000Z.kql`));
  expect(blobs.blobs.get(first.written[0]!)).toBe('.create table A (x:long)\n\n.create table B (y:string)\n');
  const same = await run({ ...input, takenAt: '2026-01-02T00:00:00.000Z' });
  expect(same).toEqual({ written: [], unchanged: CONTAINERS });
  const changed = await run({ ...input, takenAt: '2026-01-03T00:00:00.000Z' });
  expect(changed.written).toHaveLength(2);
  expect(blobs.blobs.size).toBe(4);
  expect(gateway.sent.map((c) => c.text)).toEqual(Array(3).fill('.show database schema as csl script'));
});
