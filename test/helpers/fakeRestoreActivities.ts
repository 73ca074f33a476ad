/**
 * Fast fake activities for replaying the restore orchestrations: the production orchestrators are
 * registered through `registerRestoreFunctions`, then every restore activity is re-registered with an
 * in-memory stand-in driven by a script (tables, folders, how rows arrive, what fails). The fakes keep
 * the contracts of `lib/activities/restoreContracts.ts`.
 */
import * as df from 'durable-functions';
import type {
  CountStagingInput,
  CountStagingOutput,
  FinishTableInput,
  QueueBatchInput,
  RestorePrepareInput,
  RestorePrepareOutput,
  RestoreRecordInput,
  RestoreTableRef,
  RestoreTableStateOutput,
} from '../../lib/activities/restoreContracts';
import { ActivityNames } from '../../lib/names';
import type { TableResult } from '../../lib/restore/finish';
import type { FolderEntry } from '../../lib/restore/types';
import type { RestoreFunctionDeps } from '../../lib/wiring/restoreDeps';
import { registerRestoreFunctions } from '../../functions/restore';

/** One table of the script. */
export interface FakeTable {
  readonly source: string;
  readonly folders: readonly FolderEntry[];
  readonly rows: number;
  readonly completed?: boolean;
}

/** What the fakes do. */
export interface RestoreScript {
  readonly tables: readonly FakeTable[];
  /** Rows staging holds at the n-th check (from 1) of a table (default: every row). */
  readonly rowsAt?: (table: string, check: number) => number;
  /** Makes `activity` throw `error` (for `table` only when given). */
  readonly fail?: { readonly activity: string; readonly table?: string; readonly error: string };
  /** At this check of this table, a blob is reported as exhausted. */
  readonly exhaust?: { readonly table: string; readonly check: number };
}

/** A result of a completed table. */
export function completedResult(source: string, rows: number): TableResult {
  return {
    source,
    target: source,
    status: 'completed',
    rowsExpected: rows,
    rowsIngested: rows,
    rowsDeleted: 0,
    rowsRestored: rows,
    deletionsApplied: 0,
    deletionsSkipped: 0,
    extentsMoved: 1,
    folders: 1,
    blobs: 1,
    requeued: 0,
    warnings: [],
  };
}

/** Registers the fakes; `calls` holds every activity's inputs. */
export class FakeRestore {
  readonly calls = new Map<string, unknown[]>();
  private readonly checks = new Map<string, number>();

  constructor(private readonly script: RestoreScript) {
    registerRestoreFunctions(() => ({}) as RestoreFunctionDeps);
    const table = (name: string): FakeTable => {
      const t = script.tables.find((x) => x.source === name);
      if (!t) throw new Error(`no table ${name}`);
      return t;
    };
    this.on(ActivityNames.restorePrepare, (_: RestorePrepareInput): RestorePrepareOutput => ({
      warnings: [],
      tables: script.tables.map((t) => ({
        source: t.source,
        target: t.source,
        rows: t.rows,
        blobs: 1,
        folders: t.folders.length,
        completed: t.completed === true,
      })),
    }));
    this.on(ActivityNames.restoreTableState, (i: RestoreTableRef): RestoreTableStateOutput => {
      const t = table(i.table);
      return {
        state: t.completed ? 'completed' : 'planned',
        target: t.source,
        staging: `s_${t.source}`,
        partitionColumn: 'Ts',
        rows: t.rows,
        blobs: t.folders.reduce((n, f) => n + f[2], 0),
        folders: t.folders,
        result: t.completed ? completedResult(t.source, t.rows) : null,
      };
    });
    this.on(ActivityNames.queueRestoreBatch, (i: QueueBatchInput) => ({ queued: i.index + 1 }));
    this.on(ActivityNames.countStaging, (i: CountStagingInput): CountStagingOutput => {
      const n = (this.checks.get(i.table) ?? 0) + 1;
      this.checks.set(i.table, n);
      const exhausted =
        script.exhaust?.table === i.table && script.exhaust.check === n
          ? [
              {
                path: 'https://a.blob.core.windows.net/b/p.parquet',
                error: 'BadRequest_InvalidBlob: bad',
                attempts: 4,
              },
            ]
          : [];
      return {
        rows: script.rowsAt?.(i.table, n) ?? table(i.table).rows,
        foldersDone: 0,
        requeued: 0,
        exhausted,
      };
    });
    this.on(ActivityNames.restoreFinishTable, (i: FinishTableInput) =>
      completedResult(i.table, table(i.table).rows),
    );
    this.on(ActivityNames.restoreRecord, (i: RestoreRecordInput) =>
      i.table === undefined ? { status: i.status, tables: i.tables, error: i.error } : null,
    );
  }

  private on<I, O>(name: string, fake: (input: I) => O): void {
    df.app.activity(name, {
      handler: (input: unknown) => {
        this.calls.set(name, [...(this.calls.get(name) ?? []), input]);
        const f = this.script.fail;
        if (
          f &&
          f.activity === name &&
          (f.table === undefined || (input as { table?: string }).table === f.table)
        )
          return Promise.reject(new Error(f.error));
        return Promise.resolve(fake(input as I));
      },
    });
  }

  /** How often an activity ran. */
  count(name: string): number {
    return this.calls.get(name)?.length ?? 0;
  }
}

/** `n` day folders of `batches` batches each. */
export function dayFolders(n: number, batches = 1, blobs = 10): FolderEntry[] {
  return Array.from(
    { length: n },
    (_, d) =>
      [
        new Date(Date.UTC(2025, 0, 1 + d)).toISOString().slice(0, 10).replace(/-/g, ''),
        batches,
        blobs,
      ] as const,
  );
}
