/**
 * Verification of one table, in at most two commands when the backup holds no more rows than the
 * source: the export's new `exported-artifacts` are committed first (so the catalog is as current
 * as `ExportedTo`), then one source count per day. Catalog counts and footer counts need no
 * command; the ledger's matches (one more command per 500 files) are asked only for days whose
 * backup holds more rows than the source.
 */
import { isNotFound } from '../activities/common';
import { commitExportedArtifacts } from '../catalog/exportedArtifacts';
import { indexArtifacts } from '../catalog/tableIndex';
import { countBySourceDay, countSourceRows } from '../kusto/commands';
import type { KustoGateway } from '../kusto/gateway';
import type { StorageAuth } from '../kusto/quote';
import { redactError } from '../kusto/redact';
import type { ContinuousExport } from '../kusto/results';
import { parseDayCounts } from '../kusto/results/counts';
import type { LedgerReader } from '../deletions/restore';
import type { ArtifactBlobStore } from '../storage/artifactBlobs';
import type { ArtifactRecord, CatalogStore, TableBackupRecord } from '../storage/catalog';
import type { WatermarkStore } from '../storage/watermarks';
import { coverageOf, isArtifactCovered, isDayCovered } from './coverage';
import { footerRowsByDay } from './footers';
import { ledgerMatchesByDay } from './ledgerMatches';
import type { TableVerification } from './report';
import { notVerified, tableVerification } from './report';
import type { DayFigures } from './verdicts';
import { classifyDay, needsLedger } from './verdicts';

/** What verifying a table needs. */
export interface TableCheckContext {
  readonly clusterUri: string;
  readonly database: string;
  readonly gateway: KustoGateway;
  readonly catalog: Pick<CatalogStore, 'listArtifacts' | 'putArtifacts'>;
  readonly watermarks: WatermarkStore;
  readonly ledger: LedgerReader;
  readonly blobs: Pick<ArtifactBlobStore, 'size' | 'readRange'>;
  readonly storageAuth: StorageAuth;
}

/** One committed record per file (aliases of one file count once). */
function committedFiles(index: ReturnType<typeof indexArtifacts>): ArtifactRecord[] {
  const out: ArtifactRecord[] = [];
  for (const records of index.values()) {
    const committed = records.find((r) => r.state === 'committed');
    if (committed) out.push(committed);
  }
  return out;
}

/** Verifies one table; failures become a `not-verified` entry (secrets masked). */
export async function verifyTable(
  ctx: TableCheckContext,
  table: TableBackupRecord,
  exp: ContinuousExport | undefined,
): Promise<TableVerification> {
  const base = { table: table.table, partitionColumn: table.partitionColumn, exportedTo: null };
  try {
    const coverage = coverageOf(exp);
    if ('reason' in coverage) return notVerified(base, coverage.reason);
    const bounded = { ...base, exportedTo: coverage.exportedTo.toISOString() };
    const index = indexArtifacts(await ctx.catalog.listArtifacts(ctx.database, table.table));
    try {
      await commitExportedArtifacts(ctx, table, index);
    } catch (error) {
      if (isNotFound(error)) return notVerified(bounded, 'its continuous export does not exist');
      throw error;
    }
    const options = { ingestedAtOrBefore: coverage.exportedTo };
    const source = parseDayCounts(
      await ctx.gateway.execute(
        ctx.database,
        table.partitionColumn === null
          ? countSourceRows(table.table, options)
          : countBySourceDay(table.table, table.partitionColumn, options),
      ),
    );
    const files = committedFiles(index).filter(
      (a) => isArtifactCovered(a, coverage) && isDayCovered(a.partitionDate, coverage.exportedTo),
    );
    const footers = await footerRowsByDay(ctx.blobs, files);
    const filesByDay = new Map<string | null, ArtifactRecord[]>();
    for (const a of files) filesByDay.set(a.partitionDate, [...(filesByDay.get(a.partitionDate) ?? []), a]);
    const days = new Set([...source.keys(), ...filesByDay.keys()]);
    let figures: DayFigures[] = [...days]
      .filter((day) => isDayCovered(day, coverage.exportedTo))
      .map((day) => {
        const dayFiles = filesByDay.get(day) ?? [];
        const footer = footers.get(day);
        return classifyDay({
          day,
          sourceRows: source.get(day) ?? 0,
          backupRows: dayFiles.reduce((n, a) => n + (a.numRecords ?? 0), 0),
          fileRows: footer?.rows ?? 0,
          unreadableFiles: footer?.unreadable.length ?? 0,
          artifacts: dayFiles.length,
          ledgerRows: null,
        });
      });
    const extraDays = new Set(figures.filter(needsLedger).map((d) => d.day));
    if (extraDays.size > 0) {
      const extraFiles = files.filter((a) => extraDays.has(a.partitionDate));
      const matches = await ledgerMatchesByDay(ctx, table, extraFiles).catch((error: unknown) => ({
        error: redactError(error),
      }));
      figures = figures.map((d) => {
        if (!extraDays.has(d.day)) return d;
        if ('error' in matches) {
          return {
            ...d,
            reason: `${d.reason}; the deletion ledger could not be evaluated: ${matches.error}`,
          };
        }
        return classifyDay({ ...d, ledgerRows: matches.byDay.get(d.day) ?? 0 });
      });
    }
    return tableVerification(bounded, figures);
  } catch (error) {
    return notVerified(base, redactError(error));
  }
}
