/**
 * The answer of a dry run: per table what would be read (folders, blobs, bytes, expected rows, the
 * artifacts left out and why) and every command the restore would send to the target, in order.
 * Queued ingestions are summarised (one message per blob), not listed.
 */
import { ValidationError } from '../errors';
import { appliesOnRestore } from '../deletions/status';
import { ledgerEntriesFor } from '../deletions/restore';
import type { LedgerReader } from '../deletions/restore';
import { createMergeTable, createTable, deleteRecords, dropTable, moveExtents } from '../kusto/commands';
import { parseSimplePredicate } from '../kusto/predicate';
import type { ResolvedRestore } from './resolve';
import type { RestoreRequest, TablePlan } from './types';

/** One table of the dry-run answer. */
export interface DryRunTable {
  readonly source: string;
  readonly target: string;
  readonly staging: string;
  readonly createsTarget: boolean;
  readonly partitionColumn: string | null;
  readonly folders: number;
  readonly blobs: number;
  readonly bytes: number;
  readonly expectedRows: number;
  readonly excluded: Readonly<Record<string, number>>;
  readonly firstDay: string | null;
  readonly lastDay: string | null;
  readonly deletions: number;
  readonly commands: readonly string[];
  readonly problems: readonly string[];
}

/** The whole dry-run answer. */
export interface DryRunPlan {
  readonly restoreId: string;
  readonly snapshot: ResolvedRestore['snapshot'];
  readonly tables: readonly DryRunTable[];
  readonly totals: {
    readonly folders: number;
    readonly blobs: number;
    readonly bytes: number;
    readonly expectedRows: number;
  };
  readonly warnings: readonly string[];
}

async function tableAnswer(
  ledger: LedgerReader,
  request: RestoreRequest,
  plan: TablePlan,
): Promise<DryRunTable> {
  const commands: string[] = [];
  const problems: string[] = [];
  if (!plan.targetExists) commands.push(createTable(plan.target, plan.columns).text);
  commands.push(createMergeTable(plan.staging, plan.columns).text);
  commands.push(
    `(queued ingestion of ${plan.blobs} parquet blobs into '${plan.staging}', spread over every ingestion queue)`,
  );
  const deletions = (await ledgerEntriesFor(ledger, request.source.database, plan.source)).filter(
    appliesOnRestore,
  );
  for (const d of deletions) {
    try {
      const predicate = parseSimplePredicate(d.predicate, { name: plan.staging, columns: plan.columns });
      commands.push(deleteRecords(plan.staging, predicate).text);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      problems.push(`deletion ${d.id} cannot be applied to the snapshot's columns: ${error.message}`);
    }
  }
  commands.push(
    moveExtents(plan.staging, plan.target).text,
    dropTable(plan.staging, { ifExists: true }).text,
  );
  const days = plan.folders.map((f) => f.date).filter((d): d is string => d !== null);
  return {
    source: plan.source,
    target: plan.target,
    staging: plan.staging,
    createsTarget: !plan.targetExists,
    partitionColumn: plan.partitionColumn,
    folders: plan.folders.length,
    blobs: plan.blobs,
    bytes: plan.bytes,
    expectedRows: plan.rows,
    excluded: plan.excluded,
    firstDay: days[0] ?? null,
    lastDay: days[days.length - 1] ?? null,
    deletions: deletions.length,
    commands,
    problems,
  };
}

/** Builds the dry-run answer from the resolved request and the tables' plans. */
export async function dryRunPlan(
  ledger: LedgerReader,
  request: RestoreRequest,
  resolved: ResolvedRestore,
  plans: readonly TablePlan[],
): Promise<DryRunPlan> {
  const tables: DryRunTable[] = [];
  for (const plan of plans) tables.push(await tableAnswer(ledger, request, plan));
  const sum = (f: (t: DryRunTable) => number): number => tables.reduce((n, t) => n + f(t), 0);
  return {
    restoreId: request.restoreId,
    snapshot: resolved.snapshot,
    tables,
    totals: {
      folders: sum((t) => t.folders),
      blobs: sum((t) => t.blobs),
      bytes: sum((t) => t.bytes),
      expectedRows: sum((t) => t.expectedRows),
    },
    warnings: resolved.warnings,
  };
}
