import { ConfigError } from '../../../lib/errors';
import { monitorTickDeps, productionMonitorDeps } from '../../../lib/wiring/monitorDeps';

test('production deps are built on first use from the settings; tick deps carry the monitor settings', () => {
  const deps = productionMonitorDeps({
    ADX_BACKUP_REENABLE_PER_TICK: 'many',
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  });
  expect(deps).toThrow(ConfigError);
  const built = productionMonitorDeps({
    ADX_BACKUP_REENABLE_PER_TICK: '5',
    ADX_BACKUP_LATENESS_THRESHOLD: '30m',
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  })();
  const logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const tableSetup = { start: () => Promise.reject(new Error('unused')) };
  const tick = monitorTickDeps(built, logger, tableSetup);
  expect(tick.settings).toEqual({ latenessThresholdMs: 1_800_000, reenablePerTick: 5 });
  expect([tick.catalog, tick.status, tick.logger, tick.tableSetup]).toEqual([
    built.catalog,
    built.status,
    logger,
    tableSetup,
  ]);
  expect(tick.now()).toBeInstanceOf(Date);
  expect(built.gatewayFor('https://c1.kusto.windows.net')).toBe(
    built.gatewayFor('https://C1.kusto.windows.net/'),
  );
  built.gatewayFor('https://c1.kusto.windows.net').close();
  expect(() => productionMonitorDeps({ ADX_BACKUP_EXPORT_INTERVAL: '5m' })()).toThrow(
    'ADX_BACKUP_CATALOG_TABLE_URL',
  );
});
