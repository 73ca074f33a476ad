/**
 * The first step of a restore, before any data moves: resolve the request (snapshot, tables, target
 * checks: an incompatible or unexpectedly existing target table, or an exported one without
 * `allowExportedTarget`, fails the restore here), plan every table (artifacts, folders, batches) and
 * store the plan as the restore's manifest, then create the missing target tables from the snapshot
 * and the staging tables.
 *
 * A re-run of the same restore reuses the stored manifest (the same blobs, batches and staging
 * tables) and only makes sure the tables exist again.
 */
import { PermanentError } from '../errors';
import { createMergeTable, createTable } from '../kusto/commands';
import type { CatalogStore } from '../storage/catalog';
import { collectArtifacts } from './artifacts';
import type { PlannedBatch } from './plan';
import { planBatches } from './plan';
import type { ResolveDeps, ResolvedRestore } from './resolve';
import { resolveRestore } from './resolve';
import type { RestoreState, TableProgress } from './state';
import type { RestoreRequest, RestoreSettings, TablePlan } from './types';

/** What planning reads through. */
export interface PlanDeps extends ResolveDeps {
  readonly catalog: Pick<CatalogStore, 'getTable' | 'listArtifacts'>;
}

/** What preparing also writes to. */
export interface PrepareDeps extends PlanDeps {
  readonly state: RestoreState;
}

/** A table as the restore orchestration starts it. */
export interface PreparedTable {
  readonly source: string;
  readonly target: string;
  readonly rows: number;
  readonly blobs: number;
  readonly folders: number;
  readonly completed: boolean;
}

/** Plans every resolved table: its artifacts, folders and batches. */
export async function planTables(
  deps: PlanDeps,
  request: RestoreRequest,
  resolved: ResolvedRestore,
  batchSize: number,
): Promise<{ plan: TablePlan; batches: PlannedBatch[] }[]> {
  const out: { plan: TablePlan; batches: PlannedBatch[] }[] = [];
  for (const table of resolved.tables) {
    const collected = await collectArtifacts(deps, {
      database: request.source.database,
      table: table.source,
      containers: request.source.containers,
      asOf: request.asOf === null ? null : new Date(request.asOf),
      partitions: request.partitions,
    });
    const { folders, batches } = planBatches(collected.artifacts, batchSize);
    out.push({
      plan: {
        ...table,
        folders,
        blobs: collected.artifacts.length,
        bytes: folders.reduce((n, f) => n + f.bytes, 0),
        rows: folders.reduce((n, f) => n + f.rows, 0),
        excluded: collected.excluded,
      },
      batches,
    });
  }
  return out;
}

function fresh(plan: TablePlan, targetCreated: boolean): TableProgress {
  return {
    plan,
    state: 'planned',
    targetCreated,
    rowsIngested: 0,
    foldersDone: 0,
    requeued: 0,
    failures: [],
    handledFailures: [],
    requeues: {},
    result: null,
    error: null,
    updatedAt: new Date().toISOString(),
  };
}

/** Resolves, plans and stores the manifest; returns the tables' progress records. */
async function planAndStore(
  deps: PrepareDeps,
  request: RestoreRequest,
  settings: RestoreSettings,
): Promise<{ tables: TableProgress[]; warnings: readonly string[] }> {
  const earlier = new Map((await deps.state.listTables(request.restoreId)).map((t) => [t.plan.source, t]));
  const created = new Set([...earlier.values()].filter((t) => t.targetCreated).map((t) => t.plan.target));
  const outcome = await resolveRestore(deps, request, created);
  if ('rejection' in outcome) {
    const problems = outcome.rejection.problems.map((p) => `${p.field}: ${p.message}`).join('; ');
    throw new PermanentError(
      `restore '${request.restoreId}' refused (${outcome.rejection.error}): ${problems}`,
    );
  }
  const tables: TableProgress[] = [];
  for (const { plan, batches } of await planTables(deps, request, outcome.resolved, settings.batchSize)) {
    await deps.state.putBatches(request.restoreId, plan.source, batches);
    const progress = fresh(plan, earlier.get(plan.source)?.targetCreated ?? false);
    await deps.state.putTable(request.restoreId, progress);
    tables.push(progress);
  }
  return { tables, warnings: outcome.resolved.warnings };
}

/** Prepares (or, on a re-run, re-prepares) a restore; see the module comment. */
export async function prepareRestore(
  deps: PrepareDeps,
  request: RestoreRequest,
  settings: RestoreSettings,
): Promise<{ tables: PreparedTable[]; warnings: readonly string[] }> {
  const id = request.restoreId;
  const now = new Date().toISOString();
  let record = await deps.state.getRestore(id);
  if (!record) {
    record = {
      request,
      settings,
      status: 'started',
      createdAt: now,
      updatedAt: now,
      error: null,
      planned: false,
      warnings: [],
      report: null,
    };
    await deps.state.putRestore(id, record);
  }
  let tables: TableProgress[];
  let warnings = record.warnings;
  if (record.planned) {
    // A re-run: blobs that failed before get their attempts back.
    tables = await deps.state.listTables(id);
    for (const t of tables.filter((x) => x.state !== 'completed'))
      await deps.state.patchTable(id, t.plan.source, { requeues: {}, failures: [], error: null });
  } else {
    ({ tables, warnings } = await planAndStore(deps, request, settings));
  }
  const gateway = deps.gatewayFor(request.target.clusterUri);
  const db = request.target.database;
  for (const t of tables) {
    if (t.state === 'completed') continue;
    if (!t.plan.targetExists) {
      // Recorded first: a crash right after the create must not make the table look pre-existing.
      if (!t.targetCreated) await deps.state.patchTable(id, t.plan.source, { targetCreated: true });
      await gateway.execute(db, createTable(t.plan.target, t.plan.columns));
    }
    await gateway.execute(db, createMergeTable(t.plan.staging, t.plan.columns));
  }
  await deps.state.patchRestore(id, {
    planned: true,
    status: 'running',
    warnings,
    error: null,
    updatedAt: new Date().toISOString(),
  });
  return {
    warnings,
    tables: tables.map((t) => ({
      source: t.plan.source,
      target: t.plan.target,
      rows: t.plan.rows,
      blobs: t.plan.blobs,
      folders: t.plan.folders.length,
      completed: t.state === 'completed',
    })),
  };
}
