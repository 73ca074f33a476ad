/**
 * Whole-database backup setup (singleton per cluster + database): snapshot the schema beside the
 * data, list the selected tables, then set up each table in a sub-orchestration, `parallelism` at a
 * time. Waves of `Task.all` are used rather than a sliding `Task.any` window because the JS SDK
 * re-schedules tasks passed to a second `Task.any` (azure-functions-durable-js#574). Every
 * {@link TABLES_PER_GENERATION} tables the orchestration continues as new, so its history stays
 * small however many tables the database has.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import type {
  ListTablesInput,
  ListTablesOutput,
  SnapshotSchemaInput,
  SnapshotSchemaOutput,
  TableToBackUp,
} from '../activities/contracts';
import type { ExportOptions, TableBackupPlan } from '../domain/provisioning';
import type { StorageAuth } from '../kusto/quote';
import { ActivityNames, OrchestratorNames, setupTableInstanceId } from '../names';
import { idempotentRetry } from './common';
import type { SetupTableInput, SetupTableResult } from './setupTable';

/** Tables handled per generation before `continueAsNew`. */
export const TABLES_PER_GENERATION = 100;

/** A validated setup request with every default applied (built by the HTTP handler or the CLI). */
export interface SetupInput {
  readonly clusterUri: string;
  readonly database: string;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly partitionColumns: Readonly<Record<string, string>>;
  readonly containers: readonly string[];
  readonly storageAuth: StorageAuth;
  readonly export: ExportOptions;
  readonly chunkTargetRows: number;
  readonly parallelism: number;
}

/** What a finished generation carries into the next. */
interface Carried {
  readonly remaining: readonly TableToBackUp[];
  readonly results: readonly SetupTableResult[];
  readonly snapshots: number;
}

/** Input of the orchestrator; `carried` is absent on the first generation. */
export interface SetupDatabaseInput extends SetupInput {
  readonly carried?: Carried;
}

/** Outcome of a setup run. */
export interface SetupResult {
  readonly database: string;
  /** Schema snapshots written (0 when the stored snapshot was already current). */
  readonly snapshots: number;
  readonly tables: readonly SetupTableResult[];
}

/** The backup plan of one listed table under a request. */
export function planForTable(input: SetupInput, table: TableToBackUp): TableBackupPlan {
  return {
    database: input.database,
    table: table.name,
    columns: table.columns,
    partitionColumn: table.partitionColumn,
    containers: input.containers,
    storageAuth: input.storageAuth,
    export: input.export,
  };
}

/** One line per failed table, for the orchestration's failure message. */
function failureSummary(database: string, failed: readonly SetupTableResult[], total: number): string {
  const lines = failed.map((r) => `${r.table}: ${r.error ?? 'failed'}`);
  return `backup setup of database '${database}': ${failed.length} of ${total} tables failed: ${lines.join('; ')}`;
}

/** The orchestrator (registered as `OrchestratorNames.setupDatabase`). */
export function* setupDatabaseOrchestrator(ctx: OrchestrationContext): Generator<Task, SetupResult, unknown> {
  const input = ctx.df.getInput<SetupDatabaseInput>();
  const { carried: previous, ...request } = input;
  const retry = idempotentRetry();
  let carried = previous;
  if (!carried) {
    // First, so the monitor looks after the database with exactly this request from now on.
    yield ctx.df.callActivityWithRetry(ActivityNames.recordBackupPolicy, retry, request satisfies SetupInput);
    const snapshot = (yield ctx.df.callActivityWithRetry(ActivityNames.snapshotSchema, retry, {
      clusterUri: request.clusterUri,
      database: request.database,
      containers: request.containers,
      takenAt: ctx.df.currentUtcDateTime.toISOString(),
    } satisfies SnapshotSchemaInput)) as SnapshotSchemaOutput;
    const listed = (yield ctx.df.callActivityWithRetry(ActivityNames.listTables, retry, {
      clusterUri: request.clusterUri,
      database: request.database,
      include: request.include,
      exclude: request.exclude,
      partitionColumns: request.partitionColumns,
    } satisfies ListTablesInput)) as ListTablesOutput;
    carried = {
      remaining: listed.tables,
      results: listed.problems.map((p) => ({
        table: p.table,
        status: 'failed' as const,
        changed: [],
        startCursor: null,
        error: p.error,
      })),
      snapshots: snapshot.written.length,
    };
  }
  const total = carried.results.length + carried.remaining.length;
  let { remaining, results } = carried;
  let handled = 0;
  while (remaining.length > 0 && handled < TABLES_PER_GENERATION) {
    const wave = remaining.slice(0, Math.max(1, request.parallelism));
    const done = (yield ctx.df.Task.all(
      wave.map((table) =>
        ctx.df.callSubOrchestrator(
          OrchestratorNames.setupTable,
          {
            clusterUri: request.clusterUri,
            plan: planForTable(request, table),
            chunkTargetRows: request.chunkTargetRows,
          } satisfies SetupTableInput,
          setupTableInstanceId(ctx.df.instanceId, table.name),
        ),
      ),
    )) as SetupTableResult[];
    results = [...results, ...done];
    remaining = remaining.slice(wave.length);
    handled += wave.length;
    ctx.df.setCustomStatus({
      tables: total,
      done: results.length,
      failed: results.filter((r) => r.status === 'failed').length,
    });
  }
  if (remaining.length > 0) {
    ctx.df.continueAsNew({ ...request, carried: { remaining, results, snapshots: carried.snapshots } });
    return { database: request.database, snapshots: carried.snapshots, tables: results };
  }
  const failed = results.filter((r) => r.status === 'failed');
  if (failed.length > 0) throw new Error(failureSummary(request.database, failed, total));
  if (!ctx.df.isReplaying) ctx.log(`backup setup of '${request.database}' complete: ${total} tables`);
  return { database: request.database, snapshots: carried.snapshots, tables: results };
}
