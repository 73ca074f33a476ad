/**
 * Production dependencies of the artifact catalog (Event Grid intake, reconcile) and of the
 * verification, built from configuration on first use (importing the function app never throws when
 * settings are missing). Catalog, watermarks and ledger live in the catalog's Table service; blobs
 * and reports are reached with the app's identity, or a loopback storage emulator through the
 * `AzureWebJobsStorage` connection string.
 */
import type { ArtifactIntakeDeps } from '../catalog/intake';
import type { ReconcileTimerDeps } from '../catalog/timer';
import type { Config } from '../config';
import { loadConfig, loadHostStorageConnectionString } from '../config';
import type { VerificationHttpDeps } from '../http/verification';
import { createCredential } from '../kusto/auth';
import { SdkKustoGateway } from '../kusto/sdkGateway';
import { createArtifactBlobStore } from '../storage/artifactBlobs';
import { CATALOG_TABLES, CatalogStore } from '../storage/catalog';
import { LEDGER_TABLE, LedgerStore } from '../storage/ledger';
import { createVerifyReportStore } from '../storage/verifyReports';
import { TableWatermarkStore, WATERMARK_TABLE } from '../storage/watermarks';
import { createVerificationAlerts } from '../verify/alerts';
import type { VerifyTimerDeps } from '../verify/timer';
import { storageAuthOf, tableClientFactory } from './deletionDeps';
import { gatewayCache, lazy } from './setupDeps';

/** Everything the catalog and verification functions need. */
export type CatalogDeps = ArtifactIntakeDeps &
  ReconcileTimerDeps &
  VerifyTimerDeps &
  VerificationHttpDeps & { readonly config: Config };

/** The production dependencies, built from `env` on first use. */
export function productionCatalogDeps(
  env: Record<string, string | undefined> = process.env,
): () => CatalogDeps {
  return lazy(() => {
    const config = loadConfig(env);
    const host = loadHostStorageConnectionString(env);
    const credential = createCredential(
      config.managedIdentityClientId ? { managedIdentityClientId: config.managedIdentityClientId } : {},
    );
    const table = tableClientFactory(config, host, credential);
    const access = { credential, ...(host === undefined ? {} : { emulatorConnectionString: host }) };
    return {
      config,
      containers: config.containers,
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
      watermarks: new TableWatermarkStore(table(WATERMARK_TABLE)),
      ledger: new LedgerStore(table(LEDGER_TABLE)),
      blobs: createArtifactBlobStore(access),
      reports: createVerifyReportStore(access),
      storageAuth: storageAuthOf(config),
      orphanHorizonMs: config.orphanHorizonMs,
      quarantineOrphans: config.quarantineOrphans,
      alertsFor: (logger) => createVerificationAlerts(logger),
      ...(config.clusterUri === undefined ? {} : { defaultClusterUri: config.clusterUri }),
      now: () => new Date(),
    };
  });
}
