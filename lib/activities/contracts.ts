/**
 * Inputs and outputs of the setup activities, and the dependencies every activity factory takes.
 * Everything here crosses the durable boundary as JSON, so it holds plain data only (dates as ISO
 * strings).
 */
import type { KustoGateway, Logger } from '../kusto/gateway';
import type { ColumnSpec } from '../kusto/commands';
import type { Chunk } from '../domain/chunks';
import type {
  ChunkUpdate,
  CompletedChunk,
  PolledOperation,
  RecordedChunk,
  StartResult,
} from '../domain/historicalProgress';
import type { TableBackupPlan } from '../domain/provisioning';
import type { CatalogStore } from '../storage/catalog';
import type { TextBlobStore } from '../storage/textBlobs';

/** The catalog operations setup uses (the real `CatalogStore`, or a fake in tests). */
export type SetupCatalog = Pick<
  CatalogStore,
  'getTable' | 'putTable' | 'putChunks' | 'putArtifacts' | 'listArtifacts' | 'putDatabasePolicy'
>;

/** What activities need; all I/O goes through these. */
export interface ActivityDeps {
  /** The gateway of a cluster (cached per cluster by the provider). */
  readonly gatewayFor: (clusterUri: string) => KustoGateway;
  readonly catalog: SetupCatalog;
  readonly blobs: TextBlobStore;
  readonly logger: Logger;
}

/** A database of a cluster. */
export interface ClusterDatabase {
  readonly clusterUri: string;
  readonly database: string;
}

/** `snapshotSchema`: the csl script of the database, stored once per container. */
export interface SnapshotSchemaInput extends ClusterDatabase {
  readonly containers: readonly string[];
  /** The orchestration's time (ISO), which names the snapshot. */
  readonly takenAt: string;
}
export interface SnapshotSchemaOutput {
  /** URLs of snapshots written. */
  readonly written: readonly string[];
  /** Containers whose latest snapshot already held this exact script. */
  readonly unchanged: readonly string[];
}

/** `listTables`: the tables to back up, with their columns and partition column. */
export interface ListTablesInput extends ClusterDatabase {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly partitionColumns: Readonly<Record<string, string>>;
}
export interface TableToBackUp {
  readonly name: string;
  readonly columns: readonly ColumnSpec[];
  readonly partitionColumn: string | null;
}
export interface ListTablesOutput {
  readonly tables: readonly TableToBackUp[];
  /** Tables that cannot be set up as requested (e.g. a partition override that no longer fits). */
  readonly problems: readonly { readonly table: string; readonly field: string; readonly error: string }[];
}

/** Input of the per-table provisioning activities. */
export interface TableActivityInput {
  readonly clusterUri: string;
  readonly plan: TableBackupPlan;
}

/** Output of an `ensureX` activity: whether a mutating command was sent, and why. */
export interface EnsureOutput {
  readonly changed: boolean;
  readonly differences: readonly string[];
}

/** `ensureContinuousExport` also returns the export's StartCursor. */
export interface EnsureExportOutput extends EnsureOutput {
  readonly startCursor: string;
}

/** `recordTableState`: the table's catalog record at the start and end of its setup. */
export type RecordTableStateInput = TableActivityInput &
  (
    | { readonly phase: 'begin'; readonly startCursor: string }
    | {
        readonly phase: 'ready';
        readonly startCursor: string;
        readonly historical: { readonly chunks: number; readonly rows: number };
      }
    | { readonly phase: 'failed'; readonly startCursor: string | null; readonly error: string }
  );
export interface RecordTableStateOutput {
  /** At `begin`: the historical export up to this StartCursor is already complete. */
  readonly historicalDone: boolean;
  readonly chunks: number;
  readonly rows: number;
}

/** Identifies one table's historical export. */
export interface HistoricalTarget extends ClusterDatabase {
  readonly table: string;
  readonly externalTable: string;
  /** The continuous export's StartCursor: exactly the rows at or before it are exported. */
  readonly cursor: string;
  readonly partitioned: boolean;
  readonly sizeLimitBytes?: number;
}

/** `planHistoricalChunks`. */
export interface PlanChunksInput extends HistoricalTarget {
  readonly targetRows: number;
}
export interface PlanChunksOutput {
  readonly chunks: readonly Chunk[];
  readonly rows: number;
}

/** `startExports`: starts the first chunks the export capacity allows. */
export interface StartExportsInput extends HistoricalTarget {
  readonly chunks: readonly Chunk[];
}
export interface StartExportsOutput extends StartResult {
  /** DataExport capacity seen before starting (null when the cluster did not report it). */
  readonly capacity: { readonly total: number; readonly remaining: number } | null;
}

/** `pollOperations`: one `.show operations (ids)`. */
export interface PollOperationsInput extends ClusterDatabase {
  readonly operationIds: readonly string[];
}
export interface PollOperationsOutput {
  readonly operations: readonly PolledOperation[];
}

/** `recordChunkResults`: artifacts of completed chunks, and chunk state changes. */
export interface RecordChunksInput extends HistoricalTarget {
  readonly completed: readonly CompletedChunk[];
  readonly updates: readonly ChunkUpdate[];
}
export interface RecordChunksOutput {
  readonly chunks: readonly RecordedChunk[];
}
