/**
 * Production dependencies of the setup functions, built from configuration on first use (so that
 * importing the function app never throws when settings are missing), and the adapter that turns
 * an invocation's context into the activities' logger.
 */
import type { InvocationContext } from '@azure/functions';
import { TableClient } from '@azure/data-tables';
import type { ActivityDeps } from '../activities/contracts';
import type { Config } from '../config';
import { ConfigError } from '../errors';
import { loadConfig, loadHostStorageConnectionString } from '../config';
import { createCredential, normalizeClusterUri } from '../kusto/auth';
import type { KustoGateway, LogFields, Logger } from '../kusto/gateway';
import { SdkKustoGateway } from '../kusto/sdkGateway';
import { CATALOG_TABLES, CatalogStore } from '../storage/catalog';
import { createTextBlobStore } from '../storage/textBlobs';

/** Everything the setup functions need. The logger is per invocation (see {@link contextLogger}). */
export interface SetupDeps extends Omit<ActivityDeps, 'logger'> {
  readonly config: Config;
}

/** A {@link Logger} writing to an invocation's log (fields as a structured second argument). */
export function contextLogger(context: InvocationContext): Logger {
  const args = (message: string, fields?: LogFields): unknown[] => (fields ? [message, fields] : [message]);
  return {
    info: (message, fields) => context.log(...args(message, fields)),
    warn: (message, fields) => context.warn(...args(message, fields)),
    error: (message, fields) => context.error(...args(message, fields)),
  };
}

/** Memoises `build`; a failed build is retried on the next call (e.g. after settings are fixed). */
export function lazy<T>(build: () => T): () => T {
  let value: { v: T } | undefined;
  return () => {
    value ??= { v: build() };
    return value.v;
  };
}

/** One gateway per cluster, shared by every invocation of the worker. */
export function gatewayCache(
  create: (clusterUri: string) => KustoGateway,
): (clusterUri: string) => KustoGateway {
  const gateways = new Map<string, KustoGateway>();
  return (clusterUri) => {
    const key = normalizeClusterUri(clusterUri).toLowerCase();
    let gateway = gateways.get(key);
    if (!gateway) {
      gateway = create(clusterUri);
      gateways.set(key, gateway);
    }
    return gateway;
  };
}

function catalogFor(config: Config, credential: ReturnType<typeof createCredential>): CatalogStore {
  if (config.catalogTableUrl !== undefined) {
    const url = config.catalogTableUrl;
    return new CatalogStore({
      tables: new TableClient(url, CATALOG_TABLES.tables, credential),
      chunks: new TableClient(url, CATALOG_TABLES.chunks, credential),
      artifacts: new TableClient(url, CATALOG_TABLES.artifacts, credential),
    });
  }
  const host = loadHostStorageConnectionString();
  if (host === undefined) {
    throw new ConfigError([
      {
        key: 'ADX_BACKUP_CATALOG_TABLE_URL',
        message: 'required when AzureWebJobsStorage is not a connection string',
      },
    ]);
  }
  return CatalogStore.fromConnectionString(host);
}

/** The production dependencies, built from `loadConfig()` on first use. */
export function productionSetupDeps(): () => SetupDeps {
  return lazy(() => {
    const config = loadConfig();
    const auth = config.managedIdentityClientId
      ? { managedIdentityClientId: config.managedIdentityClientId }
      : {};
    const credential = createCredential(auth);
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
      catalog: catalogFor(config, credential),
      blobs: createTextBlobStore(credential),
    };
  });
}
