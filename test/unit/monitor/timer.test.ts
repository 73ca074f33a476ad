import { InvocationContext } from '@azure/functions';
import { serialisePolicy } from '../../../lib/domain/backupPolicy';
import { loadConfig } from '../../../lib/config';
import { makeMonitorTimerHandler } from '../../../lib/monitor/timer';
import type { MonitorDeps } from '../../../lib/monitor/tick';
import { CLUSTER, MemoryStatus, NOW, POLICY } from '../../helpers/monitorFixtures';
import { scriptedGateway } from '../../helpers/scriptedGateway';
import { MemoryCatalog } from '../../helpers/setupHarness';

const timer = {
  isPastDue: false,
  schedule: { adjustForDST: false },
  scheduleStatus: { last: '', next: '', lastUpdated: '' },
};

function deps(): MonitorDeps & { warnings: string[] } {
  const warnings: string[] = [];
  const catalog = new MemoryCatalog();
  void catalog.putDatabasePolicy(CLUSTER, 'db', serialisePolicy(POLICY));
  return {
    warnings,
    gatewayFor: () => scriptedGateway({}),
    catalog,
    status: new MemoryStatus(),
    metrics: { publish: () => undefined },
    tableSetup: { start: () => Promise.reject(new Error('unused')) },
    logger: { info: () => undefined, warn: (m) => void warnings.push(m), error: () => undefined },
    now: () => NOW,
    settings: { latenessThresholdMs: 1, reenablePerTick: 1 },
  };
}

test('without a cluster or databases the timer warns and does nothing', async () => {
  const context = new InvocationContext({ functionName: 'monitorTimer' });
  const warn = jest.spyOn(context, 'warn').mockImplementation(() => undefined);
  const handler = makeMonitorTimerHandler({ config: () => loadConfig({}), tickDeps: () => deps() });
  expect(await handler(timer, context)).toBeUndefined();
  expect(warn).toHaveBeenCalledWith(expect.stringContaining('ADX_BACKUP_DATABASES'));
});

test('with them it runs one tick over the configured databases', async () => {
  const d = deps();
  const handler = makeMonitorTimerHandler({
    config: () => loadConfig({ ADX_BACKUP_CLUSTER_URI: CLUSTER, ADX_BACKUP_DATABASES: 'db, other' }),
    tickDeps: () => d,
  });
  const report = await handler(timer, new InvocationContext({ functionName: 'monitorTimer' }));
  // The scripted gateway knows no command: both databases are reported, none acted on.
  expect(report?.databases.map((x) => [x.status.database, x.status.outcome])).toEqual([
    ['db', 'unreachable'],
    ['other', 'no-policy'],
  ]);
});
