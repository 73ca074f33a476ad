import {
  createEnsureIngestionTimePolicyActivity,
  isIngestionTimeEnabled,
} from '../../../lib/activities/ensureIngestionTimePolicy';
import { table } from '../../helpers/resultTables';
import { scriptedGateway } from '../../helpers/scriptedGateway';
import { CLUSTER, PLAN } from './fixtures';

const policy = (value: string | null) =>
  table('PolicyName:string, EntityName:string, Policy:string, ChildEntities:string, EntityType:string', [
    ['IngestionTimePolicy', '[db].[Events]', value, null, 'Table'],
  ]);

test('an enabled policy is left alone: one read, nothing else', async () => {
  const gateway = scriptedGateway({ 'show-ingestion-time-policy': policy('{ "IsEnabled": true }') });
  const out = await createEnsureIngestionTimePolicyActivity({ gatewayFor: () => gateway })({
    clusterUri: CLUSTER,
    plan: PLAN,
  });
  expect(out).toEqual({ changed: false, differences: [] });
  expect(gateway.sent.map((c) => c.text)).toEqual([".show table ['Events'] policy ingestiontime"]);
});

test('a missing or disabled policy is enabled', async () => {
  const gateway = scriptedGateway({
    'show-ingestion-time-policy': policy(null),
    'enable-ingestion-time-policy': policy('{}'),
  });
  const out = await createEnsureIngestionTimePolicyActivity({ gatewayFor: () => gateway })({
    clusterUri: CLUSTER,
    plan: PLAN,
  });
  expect(out.changed).toBe(true);
  expect(gateway.mutating()).toEqual([".alter table ['Events'] policy ingestiontime true"]);
  expect(isIngestionTimeEnabled({ IsEnabled: false })).toBe(false);
  expect(isIngestionTimeEnabled('{ "IsEnabled": true }')).toBe(false);
});
