/**
 * `runVerification`: verifies the backup of a database (or some of its tables) against the source,
 * writes the report (JSON and HTML) into every backup container under `_reports/verify/`, and
 * raises the alert when anything is not ok. The nightly timer, `POST /api/verification/run` and the
 * CLI's `verify` all call it.
 *
 * Commands: one `.show continuous-exports` for the database, then per table the export's new
 * `exported-artifacts` and one source count (plus, only for days whose backup holds more rows than
 * the source, the deletion ledger's matches).
 */
import { randomUUID } from 'node:crypto';
import { mapPool } from '../catalog/pool';
import { canonicalBlobUrl } from '../catalog/artifactPath';
import { NotFoundError, ValidationError } from '../errors';
import { parseClusterUri } from '../kusto/auth';
import { showContinuousExports } from '../kusto/commands';
import type { KustoGateway, Logger } from '../kusto/gateway';
import type { StorageAuth } from '../kusto/quote';
import { validateName } from '../kusto/quote';
import { redactError } from '../kusto/redact';
import { parseContinuousExports } from '../kusto/results';
import type { LedgerReader } from '../deletions/restore';
import type { ArtifactBlobStore } from '../storage/artifactBlobs';
import type { CatalogStore } from '../storage/catalog';
import type { VerifyReportStore } from '../storage/verifyReports';
import { verifyReportName } from '../storage/verifyReports';
import type { WatermarkStore } from '../storage/watermarks';
import type { VerificationAlerts } from './alerts';
export type { VerificationReport } from './report';
import type { VerificationReport } from './report';
import { summarize } from './report';
import { renderReportHtml } from './reportHtml';
import { verifyTable } from './verifyTable';

/** Tables verified at once. */
const TABLE_PARALLELISM = 4;

/** Everything a verification needs. */
export interface VerifyDeps {
  readonly gatewayFor: (clusterUri: string) => KustoGateway;
  readonly catalog: Pick<CatalogStore, 'listTables' | 'listArtifacts' | 'putArtifacts'>;
  readonly watermarks: WatermarkStore;
  readonly ledger: LedgerReader;
  readonly blobs: Pick<ArtifactBlobStore, 'size' | 'readRange'>;
  readonly reports: VerifyReportStore;
  /** Containers the report is written to (none: the report is only returned). */
  readonly containers: readonly string[];
  /** How ADX reads backup files (for the ledger check), as configured for the external tables. */
  readonly storageAuth: StorageAuth;
  readonly alerts: VerificationAlerts;
  readonly logger: Logger;
  readonly now: () => Date;
}

/** What to verify. */
export interface VerificationRequest {
  readonly clusterUri: string;
  readonly database: string;
  /** Only these tables (default: every table in the catalog). */
  readonly tables?: readonly string[];
}

/**
 * Verifies a database's backup and returns the report (also written and alerted on).
 * @throws ValidationError naming the field for a bad request; NotFoundError when the catalog holds
 * no backup of the database.
 */
export async function runVerification(
  deps: VerifyDeps,
  request: VerificationRequest,
): Promise<VerificationReport> {
  parseClusterUri(request.clusterUri, 'clusterUri');
  const database = validateName(request.database, 'database');
  const wanted = request.tables?.map((t, i) => validateName(t, `tables[${i}]`));
  const startedAt = deps.now();
  const all = await deps.catalog.listTables(request.clusterUri, database);
  if (all.length === 0) throw new NotFoundError(`the catalog holds no backup of database '${database}'`);
  const known = new Set(all.map((t) => t.table));
  wanted?.forEach((t, i) => {
    if (!known.has(t))
      throw new ValidationError(`tables[${i}]`, `'${t}' has no backup in database '${database}'`);
  });
  const selected = wanted === undefined ? all : all.filter((t) => wanted.includes(t.table));
  const gateway = deps.gatewayFor(request.clusterUri);
  const exports = new Map(
    parseContinuousExports(await gateway.execute(database, showContinuousExports())).map((e) => [e.name, e]),
  );
  const ctx = { ...deps, clusterUri: request.clusterUri, database, gateway };
  const tables = await mapPool(
    [...selected].sort((a, b) => a.table.localeCompare(b.table)),
    TABLE_PARALLELISM,
    (table) => verifyTable(ctx, table, exports.get(table.exportName)),
  );
  const draft: VerificationReport = {
    id: randomUUID(),
    clusterUri: request.clusterUri,
    database,
    startedAt: startedAt.toISOString(),
    finishedAt: deps.now().toISOString(),
    tables,
    summary: summarize(tables),
    locations: [],
  };
  const report = { ...draft, locations: await writeReport(deps, draft, startedAt) };
  deps.alerts.report(report);
  return report;
}

/** Writes the report into every container; a container that fails is logged and left out. */
async function writeReport(
  deps: VerifyDeps,
  report: VerificationReport,
  startedAt: Date,
): Promise<VerificationReport['locations']> {
  const name = verifyReportName(report.database, startedAt);
  const encoded = name.split('/').map(encodeURIComponent).join('/');
  const planned = deps.containers.map((c) => {
    const url = canonicalBlobUrl(c.replace(/\/+$/, ''), 'containers');
    return { url, json: `${url}/${encoded}.json`, html: `${url}/${encoded}.html` };
  });
  // Every copy names all copies, so whichever one an operator opens points to the others.
  const stored = { ...report, locations: planned.map(({ json, html }) => ({ json, html })) };
  const written: { json: string; html: string }[] = [];
  for (const target of planned) {
    try {
      await deps.reports.write(target.url, name, JSON.stringify(stored, null, 2), renderReportHtml(stored));
      written.push({ json: target.json, html: target.html });
    } catch (error) {
      deps.logger.error('verification report could not be written', {
        container: target.url,
        error: redactError(error),
      });
    }
  }
  return written;
}
