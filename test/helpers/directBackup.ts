/**
 * A table's backup made without the setup orchestration, for tests that need many backed-up tables
 * quickly: the same external table and continuous export setup defines (`desiredExternalTable`,
 * `desiredContinuousExport`), then one synchronous `.export to table` of every row (everything
 * ingested before the export existed, as the historical export covers), its files recorded as
 * committed historical artifacts and the table as `ready`, as setup records them.
 */
import { createOrAlterContinuousExport, createOrAlterExternalTable } from '../../lib/kusto/commands';
import type { ColumnSpec } from '../../lib/kusto/commands';
import type { KustoGateway } from '../../lib/kusto/gateway';
import { quoteName } from '../../lib/kusto/quote';
import { parseExportToTableDetails } from '../../lib/kusto/results';
import { desiredContinuousExport, desiredExternalTable } from '../../lib/domain/provisioning';
import type { TableBackupPlan } from '../../lib/domain/provisioning';
import { backupContinuousExportName, backupExternalTableName } from '../../lib/names';
import type { CatalogStore } from '../../lib/storage/catalog';
import { artifactPartitionDate, withoutQuery } from '../../lib/storage/layout';

/** What to back up. */
export interface DirectBackup {
  readonly clusterUri: string;
  readonly database: string;
  readonly table: string;
  readonly columns: readonly ColumnSpec[];
  readonly partitionColumn: string | null;
  readonly container: string;
}

/** Backs the table up; resolves with the number of files written. */
export async function backUpDirectly(
  gateway: KustoGateway,
  catalog: Pick<CatalogStore, 'putArtifacts' | 'putTable'>,
  spec: DirectBackup,
): Promise<number> {
  const plan: TableBackupPlan = {
    database: spec.database,
    table: spec.table,
    columns: spec.columns,
    partitionColumn: spec.partitionColumn,
    containers: [spec.container],
    storageAuth: { kind: 'impersonate' },
    export: { intervalMs: 5 * 60_000, managedIdentity: 'system' },
  };
  await gateway.execute(spec.database, createOrAlterExternalTable(desiredExternalTable(plan)));
  await gateway.execute(spec.database, createOrAlterContinuousExport(desiredContinuousExport(plan)));
  const external = backupExternalTableName(spec.table);
  const details = parseExportToTableDetails(
    await gateway.execute(spec.database, {
      text: `.export to table ${quoteName(external, 'table')} <| ${quoteName(spec.table, 'table')}`,
      operation: 'test-export-all',
      mutating: true,
      endpoint: 'engine',
    }),
  );
  const now = new Date().toISOString();
  await catalog.putArtifacts(
    details.map((d) => ({
      database: spec.database,
      table: spec.table,
      path: withoutQuery(d.path),
      partitionDate: artifactPartitionDate(d.path, spec.partitionColumn !== null),
      numRecords: d.numRecords,
      sizeInBytes: d.sizeInBytes ?? null,
      source: 'historical' as const,
      state: 'committed' as const,
      committedAt: now,
      chunkId: 'direct',
    })),
  );
  await catalog.putTable({
    cluster: spec.clusterUri,
    database: spec.database,
    table: spec.table,
    state: 'ready',
    exportName: backupContinuousExportName(spec.table),
    externalTableName: external,
    partitionColumn: spec.partitionColumn,
    startCursor: null,
    columns: spec.columns.map((c) => ({ name: c.name, type: c.type })),
    historicalChunks: 1,
    historicalRows: details.reduce((n, d) => n + d.numRecords, 0),
    lastError: null,
    updatedAt: now,
  });
  return details.length;
}
