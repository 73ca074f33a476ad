/**
 * Reconcile of one database's artifact catalog, per table (a few tables at a time):
 * 1. commit what `exported-artifacts` lists since the export's watermark (`exportedArtifacts.ts`);
 * 2. sweep the table's folders for files the catalog does not know (`sweep.ts`);
 * 3. orphan files still pending a horizon after they were written, optionally quarantining them
 *    (`orphans.ts`).
 * Historical-export files are committed by setup from their operation's details; the reconcile
 * leaves committed and orphan records as they are. Running it twice changes nothing the second time.
 * A failing table is reported and does not stop the others.
 */
import type { KustoGateway, Logger } from '../kusto/gateway';
import { redactError } from '../kusto/redact';
import type { ArtifactBlobStore } from '../storage/artifactBlobs';
import type { CatalogStore, TableBackupRecord } from '../storage/catalog';
import type { WatermarkStore } from '../storage/watermarks';
import { isNotFound } from '../activities/common';
import type { CommitResult } from './exportedArtifacts';
import { commitExportedArtifacts } from './exportedArtifacts';
import { orphanStale } from './orphans';
import { mapPool } from './pool';
import { sweepTable } from './sweep';
import { indexArtifacts } from './tableIndex';

/** Tables reconciled at once. */
const TABLE_PARALLELISM = 4;

/** The catalog operations the reconcile uses. */
export type ReconcileCatalog = Pick<
  CatalogStore,
  'listTables' | 'listArtifacts' | 'putArtifacts' | 'insertArtifactsIfAbsent'
>;

/** What the reconcile needs. */
export interface ReconcileDeps {
  readonly gatewayFor: (clusterUri: string) => KustoGateway;
  readonly catalog: ReconcileCatalog;
  readonly watermarks: WatermarkStore;
  readonly blobs: Pick<ArtifactBlobStore, 'list' | 'move'>;
  /** Configured backup containers (the sweep also lists every container the catalog points into). */
  readonly containers: readonly string[];
  readonly orphanHorizonMs: number;
  readonly quarantineOrphans: boolean;
  readonly logger: Logger;
  readonly now: () => Date;
}

/** Which database to reconcile. */
export interface ReconcileRequest {
  readonly clusterUri: string;
  readonly database: string;
}

/** What happened to one table. */
export interface TableReconcile {
  readonly table: string;
  readonly listed: number;
  readonly committed: number;
  readonly orphanListed: number;
  readonly swept: number;
  readonly orphaned: number;
  readonly quarantined: number;
  readonly aliases: number;
  readonly watermark: string | null;
  /** The continuous export does not exist (nothing could be committed this time). */
  readonly exportMissing?: boolean;
  /** Set when the table could not be reconciled (secrets masked). */
  readonly error?: string;
}

/** The reconcile of one database. */
export interface ReconcileReport {
  readonly clusterUri: string;
  readonly database: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly tables: readonly TableReconcile[];
}

const EMPTY = {
  listed: 0,
  committed: 0,
  orphanListed: 0,
  swept: 0,
  orphaned: 0,
  quarantined: 0,
  aliases: 0,
  watermark: null,
};

async function reconcileTable(
  deps: ReconcileDeps,
  request: ReconcileRequest,
  table: TableBackupRecord,
): Promise<TableReconcile> {
  const index = indexArtifacts(await deps.catalog.listArtifacts(request.database, table.table));
  let commit: CommitResult;
  let exportMissing = false;
  try {
    commit = await commitExportedArtifacts(
      {
        ...request,
        gateway: deps.gatewayFor(request.clusterUri),
        catalog: deps.catalog,
        watermarks: deps.watermarks,
      },
      table,
      index,
    );
  } catch (error) {
    // A dropped export is the monitor's to repair; the folders are still swept and aged.
    if (!isNotFound(error)) throw error;
    exportMissing = true;
    commit = { listed: 0, committed: 0, orphanListed: 0, watermark: null };
  }
  const sweep = await sweepTable(deps, table, index);
  const orphans = await orphanStale(
    {
      catalog: deps.catalog,
      blobs: deps.blobs,
      horizonMs: deps.orphanHorizonMs,
      quarantine: deps.quarantineOrphans,
      now: deps.now(),
      logger: deps.logger,
    },
    index,
    sweep.listing,
  );
  return {
    table: table.table,
    listed: commit.listed,
    committed: commit.committed,
    orphanListed: commit.orphanListed,
    swept: sweep.swept.length,
    orphaned: orphans.orphaned.length,
    quarantined: orphans.quarantined.length,
    aliases: orphans.aliases,
    watermark: commit.watermark,
    ...(exportMissing ? { exportMissing } : {}),
  };
}

/** Reconciles every catalogued table of a database. */
export async function reconcileDatabase(
  deps: ReconcileDeps,
  request: ReconcileRequest,
): Promise<ReconcileReport> {
  const startedAt = deps.now().toISOString();
  const tables = await deps.catalog.listTables(request.clusterUri, request.database);
  const results = await mapPool(tables, TABLE_PARALLELISM, async (table) => {
    try {
      return await reconcileTable(deps, request, table);
    } catch (error) {
      const text = redactError(error);
      deps.logger.error('catalog reconcile of a table failed', {
        database: request.database,
        table: table.table,
        error: text,
      });
      return { table: table.table, ...EMPTY, error: text };
    }
  });
  const report = { ...request, startedAt, finishedAt: deps.now().toISOString(), tables: results };
  const sum = (key: 'committed' | 'swept' | 'orphaned' | 'quarantined') =>
    results.reduce((n, t) => n + t[key], 0);
  deps.logger.info('catalog reconciled', {
    database: request.database,
    tables: results.length,
    failedTables: results.filter((t) => t.error !== undefined).length,
    committed: sum('committed'),
    swept: sum('swept'),
    orphaned: sum('orphaned'),
    quarantined: sum('quarantined'),
  });
  return report;
}
