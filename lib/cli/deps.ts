/**
 * The CLI's dependencies, built from configuration (`lib/config.ts`) the same way the function app
 * builds its own: one gateway per cluster (Entra ID through `@azure/identity` for https clusters, no
 * authentication for a loopback emulator), the catalog and the ledger in the catalog's Table service
 * (`ADX_BACKUP_CATALOG_TABLE_URL`, else the `AzureWebJobsStorage` connection string), and the backup
 * containers with the app's identity, or with the storage emulator's account key when the connection
 * string names that account (tokens are never sent over http). Everything is built on first use, so
 * a command that fails validation has touched nothing.
 */
import type { TableClient } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import { StorageSharedKeyCredential } from '@azure/storage-blob';
import type { Config } from '../config';
import { loadHostStorageConnectionString } from '../config';
import { createCredential, parseClusterUri } from '../kusto/auth';
import type { KustoGateway } from '../kusto/gateway';
import { SdkKustoGateway } from '../kusto/sdkGateway';
import { CATALOG_TABLES, CatalogStore } from '../storage/catalog';
import { parseContainerUrl } from '../storage/layout';
import { LEDGER_TABLE, LedgerStore } from '../storage/ledger';
import type { TextBlobStore } from '../storage/textBlobs';
import { createTextBlobStore } from '../storage/textBlobs';
import { tableClientFactory } from '../wiring/deletionDeps';
import { gatewayCache, lazy } from '../wiring/setupDeps';
import type { SetupDeps } from '../wiring/setupDeps';

/** What the commands use. */
export interface CliDeps {
  readonly config: Config;
  gatewayFor(clusterUri: string): KustoGateway;
  catalog(): CatalogStore;
  ledger(): LedgerStore;
  blobs(): TextBlobStore;
  /** The setup functions' dependencies (registered with `registerSetupFunctions`). */
  setupDeps(): SetupDeps;
  /** Opens a table of the catalog account by name (other stores: reports, restore state). */
  tableClient(name: string): TableClient;
  /** The catalog account's connection string when configured that way (local storage emulator). */
  readonly hostConnectionString: string | undefined;
  /** The identity for https clusters and Azure storage; the real credential is built on first use. */
  credential(): TokenCredential;
  /** Releases every gateway. */
  close(): void;
}

/** `AccountName` and `AccountKey` of a storage connection string, when it has both. */
export function accountKeyOf(
  connectionString: string | undefined,
): { account: string; key: string } | undefined {
  if (connectionString === undefined) return undefined;
  const parts = new Map<string, string>();
  for (const part of connectionString.split(';')) {
    const at = part.indexOf('=');
    if (at > 0) parts.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  const account = parts.get('accountname');
  const key = parts.get('accountkey');
  return account && key ? { account, key } : undefined;
}

/** Text blobs in the backup containers: the account key for the connection string's own account, else the identity. */
export function containerBlobStore(
  accountKey: { account: string; key: string } | undefined,
  credential: () => TokenCredential,
): TextBlobStore {
  const stores = new Map<string, TextBlobStore>();
  const storeFor = (containerUrl: string): TextBlobStore => {
    const { account } = parseContainerUrl(containerUrl, 'container');
    const keyed = accountKey !== undefined && accountKey.account === account;
    const id = keyed ? `key:${account}` : 'identity';
    let store = stores.get(id);
    if (!store) {
      store = createTextBlobStore(
        keyed ? new StorageSharedKeyCredential(accountKey.account, accountKey.key) : credential(),
      );
      stores.set(id, store);
    }
    return store;
  };
  return {
    writeText: (containerUrl, name, text) => storeFor(containerUrl).writeText(containerUrl, name, text),
    latestText: (containerUrl, prefix) => storeFor(containerUrl).latestText(containerUrl, prefix),
  };
}

/** Builds the CLI's dependencies from a validated configuration. */
export function createCliDeps(config: Config, env?: Record<string, string | undefined>): CliDeps {
  const host = loadHostStorageConnectionString(env);
  const credential = lazy(() =>
    createCredential(
      config.managedIdentityClientId ? { managedIdentityClientId: config.managedIdentityClientId } : {},
    ),
  );
  // Built on the first token request only, so local (emulator) runs never construct a credential.
  const deferred: TokenCredential = { getToken: (scopes, options) => credential().getToken(scopes, options) };
  const gateways: KustoGateway[] = [];
  const gatewayFor = gatewayCache((clusterUri) => {
    // Loopback http never gets a credential (and never builds one).
    const https = parseClusterUri(clusterUri).protocol === 'https:';
    const gateway = new SdkKustoGateway({
      clusterUri,
      auth: https ? { credential: deferred } : {},
      retry: { attempts: config.kustoRetryAttempts },
      application: 'adx-backup-cli',
    });
    gateways.push(gateway);
    return gateway;
  });
  // Without a catalog setting this throws a ConfigError, so only commands that use storage build it.
  const tables = lazy(() => tableClientFactory(config, host, deferred));
  const tableClient = (name: string): TableClient => tables()(name);
  const catalog = lazy(
    () =>
      new CatalogStore({
        tables: tableClient(CATALOG_TABLES.tables),
        chunks: tableClient(CATALOG_TABLES.chunks),
        artifacts: tableClient(CATALOG_TABLES.artifacts),
      }),
  );
  const ledger = lazy(() => new LedgerStore(tableClient(LEDGER_TABLE)));
  const blobs = lazy(() => containerBlobStore(accountKeyOf(host), () => deferred));
  return {
    config,
    gatewayFor,
    catalog,
    ledger,
    blobs,
    setupDeps: () => ({ config, gatewayFor, catalog: catalog(), blobs: blobs() }),
    tableClient,
    hostConnectionString: host,
    credential: () => deferred,
    close: () => gateways.forEach((g) => g.close()),
  };
}
