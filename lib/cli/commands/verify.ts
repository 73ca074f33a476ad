/**
 * `adx-backup verify`: `runVerification` for one database (or some of its tables): source counts
 * against the catalog per table and day, a report (JSON + HTML) in every backup container, and the
 * alert when anything is not ok. Exit code 0 only when every table passes (see {@link PASSING}).
 */
import { ValidationError } from '../../errors';
import { runVerification } from '../../verify/run';
import type { VerificationReport } from '../../verify/run';
import type { CommandContext } from '../context';
import { printResult } from '../context';
import { UsageError } from '../io';
import { clusterOption, nameOption } from '../options';
import { cliVerifyDeps, stderrLogger } from '../serviceDeps';
import { renderTable } from '../table';

/**
 * Verdicts that pass: `ok`, and extra backup rows that the deletion ledger explains (the backup is
 * complete; a restore removes those rows). Missing data, unexplained differences and tables that
 * could not be verified fail the command.
 */
export const PASSING: ReadonlySet<string> = new Set(['ok', 'extra-explained-by-deletions']);

/** Options of `verify`. */
export interface VerifyOptions {
  readonly cluster?: string;
  readonly database?: string;
  readonly table?: readonly string[];
}

/** Tables per verdict, e.g. `3 ok, 1 extra-explained-by-deletions`. */
function tally(report: VerificationReport): string {
  const counts = new Map<string, number>();
  for (const t of report.tables) counts.set(t.verdict, (counts.get(t.verdict) ?? 0) + 1);
  return [...counts].map(([verdict, n]) => `${n} ${verdict}`).join(', ');
}

/** The report as text: one row per table, then where the report was written. */
export function verificationText(report: VerificationReport): string {
  const rows = report.tables.map((t) => [
    t.table,
    t.verdict,
    t.sourceRows,
    t.backupRows,
    t.committedFiles,
    t.daysChecked,
    t.message ?? t.notOk.map((d) => `${d.day ?? 'undated'}: ${d.verdict}`).join(', '),
  ]);
  const where = report.locations.map((l) => `report: ${l.html}`);
  return [
    renderTable(['table', 'verdict', 'source rows', 'backup rows', 'files', 'days', 'notes'], rows),
    `${report.tables.filter((t) => PASSING.has(t.verdict)).length} of ${report.tables.length} tables pass (${tally(report)})`,
    ...where,
  ].join('\n');
}

/** Runs the subcommand; resolves with the exit code. */
export async function verifyCommand(ctx: CommandContext, opts: VerifyOptions): Promise<number> {
  const clusterUri = clusterOption(opts.cluster, ctx.config);
  const database = nameOption(opts.database, '--database');
  const tables = opts.table?.map((t) => nameOption(t, '--table'));
  const deps = cliVerifyDeps(ctx.deps(), stderrLogger(ctx.io));
  let report: VerificationReport;
  try {
    report = await runVerification(deps, { clusterUri, database, ...(tables ? { tables } : {}) });
  } catch (error) {
    // A table without a backup is a wrong --table, found by reading the catalog.
    if (error instanceof ValidationError && error.field.startsWith('tables')) {
      throw new UsageError('--table', error.message.replace(/^[^:]*: /, ''));
    }
    throw error;
  }
  printResult(ctx, report, verificationText(report));
  return report.tables.every((t) => PASSING.has(t.verdict)) ? 0 : 1;
}
