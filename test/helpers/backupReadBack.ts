/**
 * Reads a table's backup back from storage the way a restore would: the committed historical
 * artifacts from the catalog plus the continuous export's `exported-artifacts`, every parquet file
 * downloaded and decoded. Used by the setup integration tests to compare with the source rows.
 */
import { BlobClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import type { KustoGateway } from '../../lib/kusto/gateway';
import { showExportedArtifacts } from '../../lib/kusto/commands';
import { parseExportedArtifacts } from '../../lib/kusto/results';
import { backupContinuousExportName } from '../../lib/names';
import type { CatalogStore } from '../../lib/storage/catalog';
import type { EmulatorHandle } from '../emulator/index';
import { readParquet } from '../emulator/parquet';
import type { KValue } from '../emulator/values';

/** The artifact URLs of a table's backup, by origin. */
export async function backupArtifacts(
  catalog: Pick<CatalogStore, 'listArtifacts'>,
  gateway: KustoGateway,
  database: string,
  table: string,
): Promise<{ historical: string[]; continuous: string[] }> {
  const historical = (await catalog.listArtifacts(database, table))
    .filter((a) => a.source === 'historical' && a.state === 'committed')
    .map((a) => a.path);
  const shown = await gateway.execute(database, showExportedArtifacts(backupContinuousExportName(table)));
  const continuous = parseExportedArtifacts(shown).map((a) => a.path);
  return { historical, continuous };
}

/** Downloads and decodes parquet files; returns all their rows. */
export async function readRows(emu: EmulatorHandle, urls: readonly string[]): Promise<KValue[][]> {
  const credential = new StorageSharedKeyCredential(emu.storage.account, emu.storage.accountKey);
  const rows: KValue[][] = [];
  for (const url of urls) {
    const buffer = await new BlobClient(url, credential).downloadToBuffer();
    const decoded = await readParquet(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength));
    for (const row of decoded.rows) rows.push(row);
  }
  return rows;
}

/** Every live (not soft-deleted) row of an emulator table. */
export function sourceRows(emu: EmulatorHandle, database: string, table: string): KValue[][] {
  const t = emu.state.database(database)?.tables.get(table);
  if (!t) throw new Error(`no table ${database}.${table}`);
  return t.extents.flatMap((e) => e.rows.filter((_, i) => !e.deleted[i]));
}

/** Rows as sorted canonical strings, so two multisets compare with `toEqual`. */
export function canonical(rows: readonly KValue[][]): string[] {
  return rows.map((r) => JSON.stringify(r)).sort();
}
