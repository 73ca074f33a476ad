/**
 * Production dependencies of the restore functions, built from configuration on first use (importing
 * the function app never throws when settings are missing). The restore's state, the catalog and the
 * deletion ledger live in the catalog's Table service; backup blobs are read with the app's identity
 * (a loopback storage emulator through `AzureWebJobsStorage`); ingestions are queued on each target
 * cluster's data-management service.
 */
import { randomUUID } from 'node:crypto';
import type { RestoreDeps } from '../activities/restoreContracts';
import type { Config } from '../config';
import { loadConfig, loadHostStorageConnectionString } from '../config';
import { createCredential } from '../kusto/auth';
import { SdkKustoGateway } from '../kusto/sdkGateway';
import { createRestoreBlobs } from '../restore/blobs';
import { createIngestSender } from '../restore/ingestSender';
import { RestoreState } from '../restore/state';
import { CATALOG_TABLES, CatalogStore } from '../storage/catalog';
import { LEDGER_TABLE, LedgerStore } from '../storage/ledger';
import { RESTORES_TABLE, RestoreStore } from '../storage/restores';
import { storageAuthOf, tableClientFactory } from './deletionDeps';
import { gatewayCache, lazy } from './setupDeps';

/** Everything the restore functions need; the logger is per invocation. */
export interface RestoreFunctionDeps extends Omit<RestoreDeps, 'logger'> {
  readonly config: Config;
  /** Names a restore whose request names none. */
  readonly newId: () => string;
}

/** A short restore id: 12 hex digits of a random UUID. */
export function newRestoreId(): string {
  return randomUUID().replace(/-/g, '').slice(0, 12);
}

/** The production dependencies, built from `env` on first use. */
export function productionRestoreDeps(
  env: Record<string, string | undefined> = process.env,
): () => RestoreFunctionDeps {
  return lazy(() => {
    const config = loadConfig(env);
    const host = loadHostStorageConnectionString(env);
    const credential = createCredential(
      config.managedIdentityClientId ? { managedIdentityClientId: config.managedIdentityClientId } : {},
    );
    const table = tableClientFactory(config, host, credential);
    const gatewayFor = gatewayCache(
      (clusterUri) =>
        new SdkKustoGateway({
          clusterUri,
          auth: { credential },
          retry: { attempts: config.kustoRetryAttempts },
        }),
    );
    return {
      config,
      gatewayFor,
      catalog: new CatalogStore({
        tables: table(CATALOG_TABLES.tables),
        chunks: table(CATALOG_TABLES.chunks),
        artifacts: table(CATALOG_TABLES.artifacts),
      }),
      ledger: new LedgerStore(table(LEDGER_TABLE)),
      blobs: createRestoreBlobs({
        credential,
        ...(host !== undefined ? { emulatorConnectionString: host } : {}),
      }),
      state: new RestoreState(new RestoreStore(table(RESTORES_TABLE))),
      ingest: createIngestSender({ gatewayFor }),
      storageAuth: storageAuthOf(config),
      newId: newRestoreId,
    };
  });
}
