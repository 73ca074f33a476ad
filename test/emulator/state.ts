/**
 * The emulator's model of a cluster: databases, tables with extents, external tables, continuous
 * exports, async operations, ingestion failures, the clock and the command log. Every command answer
 * derives from this state. Name lookups are case-sensitive, as in Kusto.
 */
import type { Column, KValue } from './values';

/** A virtual clock: time moves only when a test (or the demo) advances it. */
export class Clock {
  private current: number;
  constructor(start: number) {
    this.current = start;
  }
  /** Current time, epoch ms. */
  now(): number {
    return this.current;
  }
  set(ms: number): void {
    this.current = ms;
  }
  advance(ms: number): number {
    this.current += ms;
    return this.current;
  }
}

/** A horizontal slice of a table: rows ingested together, with their ingestion metadata. */
export interface Extent {
  readonly id: string;
  /** Row values in the table's column order at the time the extent was written (see `columns`). */
  rows: KValue[][];
  /** Column names the rows were written with; rows are re-projected by name when the schema changes. */
  columns: readonly string[];
  /** Soft-deleted rows (`.delete`): same length as rows; true = deleted. */
  deleted: boolean[];
  /** `$IngestionTime` of every row, or null when the IngestionTime policy was off at ingestion. */
  ingestionTime: number | null;
  /** Database cursor at which the extent became visible. */
  cursor: bigint;
  /** Extent creation time (MinCreatedOn/MaxCreatedOn); the ingestion's `creationTime` when given. */
  creationTime: number;
  tags: string[];
}

export interface Table {
  name: string;
  columns: Column[];
  folder: string;
  docString: string;
  extents: Extent[];
  /** IngestionTime policy (enabled by default on new tables). */
  ingestionTimePolicy: boolean;
}

/** One partition of an external table (reference §1.11). */
export interface PartitionSpec {
  readonly name: string;
  readonly type: 'string' | 'datetime' | 'long';
  /** Source column; undefined for a virtual partition. */
  readonly column?: string;
  /** How the value derives from the column. */
  readonly fn: 'identity' | 'startofday' | 'startofweek' | 'startofmonth' | 'startofyear' | 'bin' | 'hash';
  /** bin size (ms) or hash modulus. */
  readonly arg?: number;
}

/** One element of a pathformat: a literal separator or a partition rendering. */
export type PathFormatPart =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'partition'; readonly partition: string; readonly datetimePattern?: string };

export interface ExternalTable {
  name: string;
  columns: Column[];
  kind: string;
  dataFormat: string;
  partitions: PartitionSpec[];
  pathFormat: PathFormatPart[] | null;
  /** Connection strings exactly as given (secrets are masked when shown). */
  connectionStrings: string[];
  properties: Record<string, unknown>;
  folder: string;
  docString: string;
}

export interface ContinuousExport {
  name: string;
  externalTableName: string;
  /** Query text after `<|`. */
  query: string;
  /** Fact tables (`over (...)`), or every table the query references. */
  cursorScopedTables: string[];
  intervalBetweenRuns: number;
  forcedLatency: number | null;
  /** All `with (...)` properties as given (names as written), values decoded. */
  properties: Record<string, unknown>;
  startCursor: bigint;
  /** Cursor up to which data has been exported (starts at startCursor). */
  exportedCursor: bigint;
  createdOn: number;
  lastRunTime: number | null;
  lastRunResult: 'Completed' | 'Failed' | null;
  /** Max ingestion time exported successfully. */
  exportedTo: number | null;
  isDisabled: boolean;
  isRunning: boolean;
  /** Start of the current streak of permanent failures (for auto-disable after 7 days). */
  permanentFailureSince: number | null;
  lastSuccessRun: number | null;
}

export interface ExportedArtifact {
  readonly exportName: string;
  readonly timestamp: number;
  readonly externalTableName: string;
  readonly path: string;
  readonly numRecords: number;
  readonly sizeInBytes: number;
}

export interface ExportFailure {
  readonly exportName: string;
  readonly timestamp: number;
  readonly operationId: string;
  readonly lastSuccessRun: number | null;
  readonly failureKind: 'Failure' | 'PartialFailure';
  readonly details: string;
  readonly permanent: boolean;
}

export type OperationState =
  | 'InProgress'
  | 'Completed'
  | 'Failed'
  | 'PartiallySucceeded'
  | 'Abandoned'
  | 'BadInput'
  | 'Scheduled'
  | 'Throttled'
  | 'Canceled'
  | 'Skipped';

/** An async operation (`.export async` ...). Every state change appends a log record. */
export interface Operation {
  readonly id: string;
  readonly operation: string;
  readonly database: string;
  readonly rootActivityId: string;
  readonly startedOn: number;
  lastUpdatedOn: number;
  state: OperationState;
  status: string;
  shouldRetry: boolean;
  /** Result the command would have returned synchronously (`.show operation X details`). */
  details: { columns: Column[]; rows: KValue[][] } | null;
  /** Log-mode records: one per state change. */
  log: { lastUpdatedOn: number; state: OperationState; status: string; shouldRetry: boolean }[];
  /** Set by fault injection: by-id lookups no longer find this operation. */
  lost: boolean;
}

export interface IngestionFailure {
  readonly operationId: string;
  readonly database: string;
  readonly table: string;
  readonly failedOn: number;
  readonly ingestionSourcePath: string;
  readonly details: string;
  readonly failureKind: 'Permanent' | 'Transient';
  readonly rootActivityId: string;
  readonly operationKind: string;
  readonly errorCode: string;
  readonly shouldRetry: boolean;
  readonly ingestionProperties: string;
}

export interface Database {
  readonly name: string;
  tables: Map<string, Table>;
  externalTables: Map<string, ExternalTable>;
  continuousExports: Map<string, ContinuousExport>;
  artifacts: ExportedArtifact[];
  exportFailures: ExportFailure[];
  /** Pending two-step purges by token. */
  purgeTokens: Map<string, { table: string; predicate: string }>;
}

/** One command or query the emulator received (tests assert on this log). */
export interface CommandLogEntry {
  readonly at: number;
  readonly database: string;
  readonly text: string;
  readonly endpoint: 'mgmt' | 'query-v1' | 'query-v2';
  readonly clientRequestId: string | undefined;
  /** First keywords of a management command (`show continuous-exports`), or `query`. */
  readonly verb: string;
  /** True when the command changes state (anything but .show / queries / .get). */
  readonly mutating: boolean;
  readonly ok: boolean;
}

/** Where the emulator's storage lives (Azurite) and how to reach it. */
export interface StorageEndpoints {
  readonly account: string;
  readonly accountKey: string;
  readonly blobUrl: string;
  readonly queueUrl: string;
  readonly tableUrl: string;
  readonly connectionString: string;
}

/** Export capacity (`.show capacity` resource DataExport). */
export interface Capacity {
  exportTotal: number;
}

export class EmulatorState {
  readonly databases = new Map<string, Database>();
  readonly operations = new Map<string, Operation>();
  readonly ingestionFailures: IngestionFailure[] = [];
  readonly commandLog: CommandLogEntry[] = [];
  readonly capacity: Capacity = { exportTotal: 4 };
  private cursorCounter = 637_000_000_000_000_000n;
  private idCounter = 0;

  constructor(
    readonly clock: Clock,
    readonly storage: StorageEndpoints,
  ) {}

  /** Returns the database, creating it when `create` (databases are created by tests/admin, not commands). */
  database(name: string): Database | undefined {
    return this.databases.get(name);
  }

  createDatabase(name: string): Database {
    let db = this.databases.get(name);
    if (!db) {
      db = {
        name,
        tables: new Map(),
        externalTables: new Map(),
        continuousExports: new Map(),
        artifacts: [],
        exportFailures: [],
        purgeTokens: new Map(),
      };
      this.databases.set(name, db);
    }
    return db;
  }

  /** Advances and returns the database cursor (one global monotonic counter suffices). */
  nextCursor(): bigint {
    this.cursorCounter += 1n;
    return this.cursorCounter;
  }

  /** The current cursor (`cursor_current()`): everything ingested so far is at or before it. */
  currentCursor(): bigint {
    return this.cursorCounter;
  }

  /** A fresh guid-like id (deterministic order, random-looking enough for tests). */
  newId(): string {
    this.idCounter += 1;
    const hex = (this.idCounter.toString(16) + Math.random().toString(16).slice(2))
      .padEnd(32, '0')
      .slice(0, 32);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}
