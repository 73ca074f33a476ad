import { createEnsureContinuousExportActivity } from '../../../lib/activities/ensureContinuousExport';
import { notFound, scriptedGateway } from '../../helpers/scriptedGateway';
import { CLUSTER, PLAN, continuousExportRow } from './fixtures';

const run = (gateway: ReturnType<typeof scriptedGateway>) =>
  createEnsureContinuousExportActivity({ gatewayFor: () => gateway })({ clusterUri: CLUSTER, plan: PLAN });

test('an identical export is only read, and its StartCursor returned', async () => {
  const gateway = scriptedGateway({ 'show-continuous-export': continuousExportRow() });
  expect(await run(gateway)).toEqual({ changed: false, differences: [], startCursor: '637000000000000042' });
  expect(gateway.sent.map((c) => c.text)).toEqual([".show continuous-export ['adxbackup_Events']"]);
});

test('a missing export is created and read back for its StartCursor', async () => {
  const gateway = scriptedGateway({
    'show-continuous-export': [
      notFound('Continuous export', 'adxbackup_Events'),
      continuousExportRow({ cursor: '99' }),
    ],
    'create-or-alter-continuous-export': continuousExportRow(),
  });
  expect(await run(gateway)).toEqual({ changed: true, differences: ['missing'], startCursor: '99' });
  expect(gateway.mutating()).toEqual([
    ".create-or-alter continuous-export ['adxbackup_Events'] over (['Events']) to table ['adxbackup_Events'] with (intervalBetweenRuns=5m, managedIdentity='system') <| ['Events']",
  ]);
});

test('a different export is altered', async () => {
  const gateway = scriptedGateway({
    'show-continuous-export': [continuousExportRow({ interval: '01:00:00' }), continuousExportRow()],
    'create-or-alter-continuous-export': continuousExportRow(),
  });
  const out = await run(gateway);
  expect([out.changed, out.differences]).toEqual([true, ['intervalBetweenRuns']]);
});

test('an export without a StartCursor is an error, not a silent full re-export', async () => {
  const gateway = scriptedGateway({ 'show-continuous-export': continuousExportRow({ cursor: '' }) });
  await expect(run(gateway)).rejects.toThrow(
    "continuous export 'adxbackup_Events' of table 'Events' reports no StartCursor",
  );
});
