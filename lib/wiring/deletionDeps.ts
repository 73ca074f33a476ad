/**
 * Production dependencies of the deletion-ledger functions, built from configuration on first use
 * (importing the function app never throws when settings are missing). The ledger and the catalog
 * live in the catalog's Table service (`ADX_BACKUP_CATALOG_TABLE_URL`, identity-based) or, without
 * it, in the Functions host's storage account (`AzureWebJobsStorage` connection string).
 */
import { randomUUID } from 'node:crypto';
import type { TokenCredential } from '@azure/identity';
import { TableClient } from '@azure/data-tables';
import { BlobClient, BlobServiceClient } from '@azure/storage-blob';
import type { Config } from '../config';
import { loadConfig, loadHostStorageConnectionString } from '../config';
import { parseArtifactUrl } from '../deletions/artifactLocation';
import type { BlobRemover } from '../deletions/scrubArtifacts';
import { ConfigError } from '../errors';
import type { DeletionDeps } from '../http/deletions';
import { createCredential, isLoopbackHost } from '../kusto/auth';
import type { StorageAuth } from '../kusto/quote';
import { SdkKustoGateway } from '../kusto/sdkGateway';
import { CATALOG_TABLES, CatalogStore } from '../storage/catalog';
import { LEDGER_TABLE, LedgerStore } from '../storage/ledger';
import { gatewayCache, lazy } from './setupDeps';

/** Opens a table of the catalog account by name. */
export function tableClientFactory(
  config: Config,
  hostConnectionString: string | undefined,
  credential: TokenCredential,
): (table: string) => TableClient {
  if (config.catalogTableUrl !== undefined) {
    const url = config.catalogTableUrl;
    return (table) => new TableClient(url, table, credential);
  }
  if (hostConnectionString === undefined) {
    throw new ConfigError([
      {
        key: 'ADX_BACKUP_CATALOG_TABLE_URL',
        message: 'required for the deletion ledger when AzureWebJobsStorage is not a connection string',
      },
    ]);
  }
  const allowInsecureConnection = /UseDevelopmentStorage|http:\/\//i.test(hostConnectionString);
  return (table) =>
    TableClient.fromConnectionString(hostConnectionString, table, { allowInsecureConnection });
}

/**
 * Deletes artifact blobs with the app's identity; a local storage emulator's (loopback http) blobs
 * through the host connection string, since tokens are never sent over http.
 */
export function blobRemover(
  credential: TokenCredential,
  hostConnectionString: string | undefined,
): BlobRemover {
  return {
    async deleteIfExists(url) {
      const location = parseArtifactUrl(url);
      const local = isLoopbackHost(new URL(url).hostname);
      if (local && hostConnectionString === undefined) {
        throw new ConfigError([
          { key: 'AzureWebJobsStorage', message: `needed to delete local blob ${url}` },
        ]);
      }
      const client = local
        ? BlobServiceClient.fromConnectionString(hostConnectionString!)
            .getContainerClient(location.container)
            .getBlobClient([...location.folder, location.fileName].join('/'))
        : new BlobClient(url, credential);
      await client.deleteIfExists();
    },
  };
}

/** How ADX reaches the backup storage, as configured for the backup's external tables. */
export function storageAuthOf(config: Config): StorageAuth {
  return config.storageAuth === 'managed_identity' && config.exportManagedIdentity !== undefined
    ? { kind: 'managedIdentity', identity: config.exportManagedIdentity }
    : { kind: 'impersonate' };
}

/** The production dependencies, built from `env` on first use. */
export function productionDeletionDeps(
  env: Record<string, string | undefined> = process.env,
): () => DeletionDeps {
  return lazy(() => {
    const config = loadConfig(env);
    const host = loadHostStorageConnectionString(env);
    const credential = createCredential(
      config.managedIdentityClientId ? { managedIdentityClientId: config.managedIdentityClientId } : {},
    );
    const table = tableClientFactory(config, host, credential);
    return {
      gatewayFor: gatewayCache(
        (clusterUri) =>
          new SdkKustoGateway({
            clusterUri,
            auth: { credential },
            retry: { attempts: config.kustoRetryAttempts },
          }),
      ),
      ledger: new LedgerStore(table(LEDGER_TABLE)),
      catalog: new CatalogStore({
        tables: table(CATALOG_TABLES.tables),
        chunks: table(CATALOG_TABLES.chunks),
        artifacts: table(CATALOG_TABLES.artifacts),
      }),
      blobs: blobRemover(credential, host),
      storageAuth: storageAuthOf(config),
      ...(config.clusterUri === undefined ? {} : { defaultClusterUri: config.clusterUri }),
      now: () => new Date(),
      newId: () => randomUUID(),
    };
  });
}
