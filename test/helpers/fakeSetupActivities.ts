/**
 * Fast fake activities for replaying the setup orchestrations: the production orchestrators are
 * registered through `registerSetupFunctions`, then every activity name is re-registered with an
 * in-memory stand-in driven by a script (tables, chunks, export capacity, how operations behave).
 * The fakes keep the contracts of the real activities (see `lib/activities/contracts.ts`).
 */
import * as df from 'durable-functions';
import type {
  ListTablesOutput,
  PlanChunksInput,
  PollOperationsInput,
  RecordChunksInput,
  RecordTableStateInput,
  StartExportsInput,
  TableActivityInput,
  TableToBackUp,
} from '../../lib/activities/contracts';
import type { Chunk } from '../../lib/domain/chunks';
import type { PolledOperation } from '../../lib/domain/historicalProgress';
import { ActivityNames } from '../../lib/names';
import { MemoryBlobs, MemoryCatalog, registerForTest, silentLogger } from './setupHarness';

/** How one export attempt ends: an operation state, or `lost` (its id vanishes). */
export type Outcome = 'lost' | Pick<PolledOperation, 'state' | 'status' | 'shouldRetry'>;

/** The script the fakes follow. */
export interface FakeScript {
  tables: TableToBackUp[];
  problems?: ListTablesOutput['problems'];
  /** Chunks planned per table (default: 3 one-day chunks of 100 rows). */
  chunksFor?: (table: string) => Chunk[];
  /** DataExport capacity shared by all tables (default 100). */
  capacity?: number;
  /** Polls an operation stays InProgress before its outcome (default 1). */
  pollsUntilDone?: number;
  /** Outcome of an attempt (default Completed). `attempt` counts from 1 per chunk. */
  outcome?: (table: string, chunk: Chunk, attempt: number) => Outcome;
  /** Tables whose historical export the catalog already has for this cursor. */
  historicalDone?: Set<string>;
  /** Makes an activity throw for a table (or always, with table undefined). */
  fail?: { activity: string; table?: string; error: string };
}

/** `n` one-day chunks of `rows` rows each, from 2026-01-01. */
export function dayChunks(n: number, rows = 100): Chunk[] {
  return Array.from({ length: n }, (_, d) => {
    const from = new Date(Date.UTC(2026, 0, 1 + d)).toISOString();
    const to = new Date(Date.UTC(2026, 0, 2 + d)).toISOString();
    return { id: `r-${from}-${to}`, kind: 'range', from, to, expectedRows: rows } as const;
  });
}

/** A table with a datetime column. */
export function fakeTable(name: string): TableToBackUp {
  return { name, columns: [{ name: 'Timestamp', type: 'datetime' }], partitionColumn: 'Timestamp' };
}

interface Op {
  table: string;
  chunk: Chunk;
  attempt: number;
  polls: number;
  done: boolean;
}

/** Registers the orchestrators and the fakes; exposes what the fakes saw. */
export class FakeSetup {
  readonly calls = new Map<string, unknown[]>();
  readonly phases: { table: string; phase: string; error?: string }[] = [];
  readonly ops = new Map<string, Op>();
  readonly attempts = new Map<string, number>();
  maxRunning = 0;
  maxActiveTables = 0;
  private activeTables = 0;

  constructor(private readonly script: FakeScript) {
    registerForTest({
      gatewayFor: () => {
        throw new Error('fakes only');
      },
      catalog: new MemoryCatalog(),
      blobs: new MemoryBlobs(),
      logger: silentLogger,
    });
    const fake = <I>(name: string, handler: (input: I) => unknown) =>
      df.app.activity(name, {
        handler: (input: unknown) => {
          this.calls.set(name, [...(this.calls.get(name) ?? []), input]);
          const failure = this.script.fail;
          const table =
            (input as { plan?: { table: string }; table?: string }).plan?.table ??
            (input as { table?: string }).table;
          if (
            failure &&
            failure.activity === name &&
            (failure.table === undefined || failure.table === table)
          ) {
            throw new Error(failure.error);
          }
          return handler(input as I);
        },
      });
    fake(ActivityNames.snapshotSchema, () => ({ written: ['snapshot'], unchanged: [] }));
    fake(ActivityNames.listTables, () => ({ tables: script.tables, problems: script.problems ?? [] }));
    const unchanged = () => ({ changed: false, differences: [] });
    fake<TableActivityInput>(ActivityNames.ensureIngestionTimePolicy, unchanged);
    fake<TableActivityInput>(ActivityNames.ensureExternalTable, unchanged);
    fake<TableActivityInput>(ActivityNames.ensureContinuousExport, () => ({
      ...unchanged(),
      startCursor: '42',
    }));
    fake<RecordTableStateInput>(ActivityNames.recordTableState, (i) => this.recordState(i));
    fake<PlanChunksInput>(ActivityNames.planHistoricalChunks, (i) => {
      const chunks = (script.chunksFor ?? (() => dayChunks(3)))(i.table);
      return { chunks, rows: chunks.reduce((n, c) => n + c.expectedRows, 0) };
    });
    fake<StartExportsInput>(ActivityNames.startExports, (i) => this.start(i));
    fake<PollOperationsInput>(ActivityNames.pollOperations, (i) => this.poll(i));
    fake<RecordChunksInput>(ActivityNames.recordChunkResults, (i) => ({
      chunks: i.completed.map((c) => ({
        chunkId: c.task.chunk.id,
        rows: c.task.chunk.expectedRows,
        artifacts: 1,
      })),
    }));
  }

  /** How often an activity ran. */
  count(activity: string): number {
    return this.calls.get(activity)?.length ?? 0;
  }

  private running(): number {
    return [...this.ops.values()].filter((o) => !o.done).length;
  }

  private recordState(i: RecordTableStateInput): unknown {
    const table = i.plan.table;
    this.phases.push({ table, phase: i.phase, ...(i.phase === 'failed' ? { error: i.error } : {}) });
    if (i.phase === 'begin') {
      this.activeTables++;
      this.maxActiveTables = Math.max(this.maxActiveTables, this.activeTables);
      const done = this.script.historicalDone?.has(table) ?? false;
      return { historicalDone: done, chunks: done ? 3 : 0, rows: done ? 300 : 0 };
    }
    this.activeTables--;
    return { historicalDone: i.phase === 'ready', chunks: 0, rows: 0 };
  }

  private start(i: StartExportsInput): unknown {
    const free = Math.max(0, (this.script.capacity ?? 100) - this.running());
    const started = i.chunks.slice(0, free).map((chunk) => {
      const key = `${i.table}|${chunk.id}`;
      const attempt = (this.attempts.get(key) ?? 0) + 1;
      this.attempts.set(key, attempt);
      const operationId = `${key}|${attempt}`;
      this.ops.set(operationId, { table: i.table, chunk, attempt, polls: 0, done: false });
      return { chunkId: chunk.id, operationId };
    });
    this.maxRunning = Math.max(this.maxRunning, this.running());
    return {
      started,
      throttled: [],
      failed: [],
      capacity: { total: this.script.capacity ?? 100, remaining: free },
    };
  }

  private poll(i: PollOperationsInput): unknown {
    const operations: PolledOperation[] = [];
    for (const id of i.operationIds) {
      const op = this.ops.get(id);
      if (!op) continue;
      op.polls++;
      if (op.polls < (this.script.pollsUntilDone ?? 1)) {
        operations.push({ operationId: id, state: 'InProgress', status: '' });
        continue;
      }
      const outcome = this.script.outcome?.(op.table, op.chunk, op.attempt) ?? {
        state: 'Completed',
        status: '',
      };
      op.done = true;
      if (outcome !== 'lost') operations.push({ operationId: id, ...outcome });
    }
    return { operations };
  }
}
