import { createRecordBackupPolicyActivity } from '../../../lib/activities/recordBackupPolicy';
import { parsePolicy } from '../../../lib/domain/backupPolicy';
import { POLICY } from '../../helpers/monitorFixtures';
import { MemoryCatalog } from '../../helpers/setupHarness';

test('stores the setup request as the database policy, readable by the monitor', async () => {
  const catalog = new MemoryCatalog();
  expect(await createRecordBackupPolicyActivity({ catalog })({ ...POLICY, include: ['Sales*'] })).toEqual({
    recorded: true,
  });
  const stored = await catalog.getDatabasePolicy(POLICY.clusterUri, 'db');
  expect(parsePolicy(stored!.policyJson)).toEqual({ ...POLICY, include: ['Sales*'] });
});
