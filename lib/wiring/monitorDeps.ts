/**
 * Production dependencies of the monitor functions, built from configuration on first use (importing
 * the function app never throws when settings are missing). The catalog and the status table live
 * in the catalog's Table service (`ADX_BACKUP_CATALOG_TABLE_URL`, identity-based) or, without it,
 * in the Functions host's storage account; metrics go to the global OpenTelemetry meter provider.
 */
import { metrics } from '@opentelemetry/api';
import type { Config } from '../config';
import { loadConfig, loadHostStorageConnectionString } from '../config';
import { createCredential } from '../kusto/auth';
import type { KustoGateway, Logger } from '../kusto/gateway';
import { SdkKustoGateway } from '../kusto/sdkGateway';
import type { MonitorMetrics } from '../monitor/metrics';
import { createMonitorMetrics } from '../monitor/metrics';
import type { TableSetupStarter } from '../monitor/tableSetup';
import type { MonitorDeps } from '../monitor/tick';
import { CATALOG_TABLES, CatalogStore } from '../storage/catalog';
import { MonitorStatusStore, STATUS_TABLE } from '../storage/monitorStatus';
import { version } from '../version';
import { tableClientFactory } from './deletionDeps';
import { gatewayCache, lazy } from './setupDeps';

/** What the monitor functions share across invocations. */
export interface MonitorAppDeps {
  readonly config: Config;
  readonly gatewayFor: (clusterUri: string) => KustoGateway;
  readonly catalog: CatalogStore;
  readonly status: MonitorStatusStore;
  readonly metrics: MonitorMetrics;
}

/** A tick's dependencies for one invocation (its logger and way of starting table setups). */
export function monitorTickDeps(
  app: MonitorAppDeps,
  logger: Logger,
  tableSetup: TableSetupStarter,
  now: () => Date = () => new Date(),
): MonitorDeps {
  return {
    gatewayFor: app.gatewayFor,
    catalog: app.catalog,
    status: app.status,
    metrics: app.metrics,
    tableSetup,
    logger,
    now,
    settings: {
      latenessThresholdMs: app.config.latenessThresholdMs,
      reenablePerTick: app.config.reenablePerTick,
    },
  };
}

/** The production dependencies, built from `env` on first use. */
export function productionMonitorDeps(
  env: Record<string, string | undefined> = process.env,
): () => MonitorAppDeps {
  // The gauges are registered once per process, whatever happens to the first build.
  const monitorMetrics = lazy(() => createMonitorMetrics(metrics.getMeter('adx-backup', version)));
  return lazy(() => {
    const config = loadConfig(env);
    const credential = createCredential(
      config.managedIdentityClientId ? { managedIdentityClientId: config.managedIdentityClientId } : {},
    );
    const table = tableClientFactory(config, loadHostStorageConnectionString(env), credential);
    return {
      config,
      gatewayFor: gatewayCache(
        (clusterUri) =>
          new SdkKustoGateway({
            clusterUri,
            auth: { credential },
            retry: { attempts: config.kustoRetryAttempts },
          }),
      ),
      catalog: new CatalogStore({
        tables: table(CATALOG_TABLES.tables),
        chunks: table(CATALOG_TABLES.chunks),
        artifacts: table(CATALOG_TABLES.artifacts),
      }),
      status: new MonitorStatusStore(table(STATUS_TABLE)),
      metrics: monitorMetrics(),
    };
  });
}
