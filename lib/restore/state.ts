/**
 * Typed access to a restore's stored state (`RestoreStore`): the restore record (request, status,
 * report), per-table progress, and the manifest batches with whether each was queued.
 */
import type { RestoreStore } from '../storage/restores';
import { getJson, putJson, restoreKeys } from '../storage/restores';
import type { PlannedBatch } from './plan';
import type { RestoreRequest, RestoreSettings, TablePlan } from './types';

/** Where a restore stands. */
export type RestoreStatus = 'started' | 'running' | 'completed' | 'failed';

/** The restore record. */
export interface RestoreRecord {
  readonly request: RestoreRequest;
  readonly settings: RestoreSettings;
  readonly status: RestoreStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly error: string | null;
  /** The manifest is written: a re-run reuses it instead of planning again. */
  readonly planned: boolean;
  readonly warnings: readonly string[];
  readonly report: unknown;
}

/** Where a table's restore stands. */
export type TableState = 'planned' | 'queueing' | 'ingesting' | 'finishing' | 'completed' | 'failed';

/** An ingestion failure as the progress report shows it (no SAS: paths are stored without one). */
export interface FailureNote {
  readonly path: string;
  readonly error: string;
  readonly attempts: number;
}

/** A table's plan and progress. */
export interface TableProgress {
  readonly plan: TablePlan;
  readonly state: TableState;
  /** This restore created the target table (so a re-run does not see it as pre-existing). */
  readonly targetCreated: boolean;
  readonly rowsIngested: number;
  readonly foldersDone: number;
  readonly requeued: number;
  readonly failures: readonly FailureNote[];
  /** Operation ids of ingestion failures already handled (re-queued or given up on). */
  readonly handledFailures: readonly string[];
  /** Re-queues per artifact path. */
  readonly requeues: Readonly<Record<string, number>>;
  readonly result: unknown;
  readonly error: string | null;
  readonly updatedAt: string;
}

/** A manifest batch and whether it was queued. */
export interface BatchRecord {
  readonly table: string;
  readonly folder: string;
  readonly index: number;
  readonly artifacts: readonly {
    readonly path: string;
    readonly size: number | null;
    readonly rows: number;
  }[];
  readonly queuedAt: string | null;
  readonly queuedCount: number;
}

/** Queue state of a batch (what the status report needs, without the artifact list). */
export interface BatchStatus {
  readonly table: string;
  readonly folder: string;
  readonly count: number;
  readonly queuedCount: number;
}

/** The longest prefix of every path that ends with `/`. */
function commonFolder(paths: readonly string[]): string {
  let prefix = paths[0] ?? '';
  for (const p of paths) {
    while (!p.startsWith(prefix)) prefix = prefix.slice(0, -1);
  }
  return prefix.slice(0, prefix.lastIndexOf('/') + 1);
}

/** The entity operations the state needs (`RestoreStore`, or an in-memory fake in tests). */
export type RestoreStorePort = Pick<RestoreStore, 'get' | 'put' | 'putMany' | 'list'>;

/** Typed restore state over a {@link RestoreStore}. */
export class RestoreState {
  constructor(private readonly store: RestoreStorePort) {}

  async getRestore(restoreId: string): Promise<RestoreRecord | undefined> {
    const e = await this.store.get(restoreId, restoreKeys.restore);
    return e === undefined ? undefined : getJson<RestoreRecord>(e, 'record', undefined as never);
  }

  async putRestore(restoreId: string, record: RestoreRecord): Promise<void> {
    const entity: Record<string, unknown> = { status: record.status };
    putJson(entity, 'record', record);
    await this.store.put(restoreId, restoreKeys.restore, entity, 'Replace');
  }

  /** Changes some fields of the record (read, merge, write: one writer at a time per restore). */
  async patchRestore(restoreId: string, patch: Partial<RestoreRecord>): Promise<RestoreRecord> {
    const current = await this.getRestore(restoreId);
    if (!current) throw new Error(`restore '${restoreId}' has no record`);
    const next = { ...current, ...patch };
    await this.putRestore(restoreId, next);
    return next;
  }

  async getTable(restoreId: string, table: string): Promise<TableProgress | undefined> {
    const e = await this.store.get(restoreId, restoreKeys.table(table));
    return e === undefined ? undefined : getJson<TableProgress>(e, 'progress', undefined as never);
  }

  async putTable(restoreId: string, progress: TableProgress): Promise<void> {
    const entity: Record<string, unknown> = { state: progress.state };
    putJson(entity, 'progress', progress);
    await this.store.put(restoreId, restoreKeys.table(progress.plan.source), entity, 'Replace');
  }

  /** Changes some fields of a table's progress (each table has one writer at a time). */
  async patchTable(restoreId: string, table: string, patch: Partial<TableProgress>): Promise<TableProgress> {
    const current = await this.getTable(restoreId, table);
    if (!current) throw new Error(`restore '${restoreId}' has no table '${table}'`);
    const next = { ...current, ...patch, updatedAt: new Date().toISOString() };
    await this.putTable(restoreId, next);
    return next;
  }

  async listTables(restoreId: string): Promise<TableProgress[]> {
    const entities = await this.store.list(restoreId, restoreKeys.tablePrefix);
    return entities.map((e) => getJson<TableProgress>(e, 'progress', undefined as never));
  }

  /** Writes the manifest batches of a table (replacing earlier ones with the same keys). */
  async putBatches(restoreId: string, table: string, batches: readonly PlannedBatch[]): Promise<void> {
    await this.store.putMany(
      restoreId,
      batches.map((b) => {
        const entity: Record<string, unknown> & { rowKey: string } = {
          rowKey: restoreKeys.batch(table, b.folder, b.index),
          table,
          folder: b.folder,
          index: b.index,
          count: b.artifacts.length,
          queuedCount: 0,
          queuedAt: '',
        };
        // Artifacts of one batch share their folder: it is stored once (entities hold at most 1 MB).
        const folderUrl = commonFolder(b.artifacts.map((a) => a.path));
        putJson(entity, 'artifacts', [
          folderUrl,
          b.artifacts.map((a) => [a.path.slice(folderUrl.length), a.sizeInBytes, a.rows]),
        ]);
        return entity;
      }),
    );
  }

  async getBatch(
    restoreId: string,
    table: string,
    folder: string,
    index: number,
  ): Promise<BatchRecord | undefined> {
    const e = await this.store.get(restoreId, restoreKeys.batch(table, folder, index));
    if (!e) return undefined;
    const [folderUrl, rows] = getJson<[string, [string, number | null, number][]]>(e, 'artifacts', ['', []]);
    return {
      table,
      folder,
      index,
      artifacts: rows.map(([name, size, count]) => ({ path: folderUrl + name, size, rows: count })),
      queuedAt: typeof e.queuedAt === 'string' && e.queuedAt !== '' ? e.queuedAt : null,
      queuedCount: Number(e.queuedCount ?? 0),
    };
  }

  async markQueued(
    restoreId: string,
    table: string,
    folder: string,
    index: number,
    count: number,
  ): Promise<void> {
    await this.store.put(restoreId, restoreKeys.batch(table, folder, index), {
      queuedCount: count,
      queuedAt: new Date().toISOString(),
    });
  }

  /** Every batch's queue state (the artifact lists are not read). */
  async listBatchStatus(restoreId: string): Promise<BatchStatus[]> {
    const entities = await this.store.list(restoreId, restoreKeys.batchPrefix, [
      'table',
      'folder',
      'count',
      'queuedCount',
    ]);
    return entities.map((e) => ({
      table: typeof e.table === 'string' ? e.table : '',
      folder: typeof e.folder === 'string' ? e.folder : '',
      count: Number(e.count ?? 0),
      queuedCount: Number(e.queuedCount ?? 0),
    }));
  }
}
