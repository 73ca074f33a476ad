/**
 * The shapes a restore passes between its HTTP starter, orchestrations, activities and store. All of
 * it crosses the durable boundary as JSON, so it holds plain data only (dates as ISO strings).
 */
import type { ColumnSpec } from '../kusto/commands';

/** How restored rows reach the target tables. */
export type RestoreMode = 'new-tables' | 'append';

/** A validated restore request with every default applied. */
export interface RestoreRequest {
  /** Names the restore: its instance, staging tables and extent tags derive from it. */
  readonly restoreId: string;
  readonly source: {
    /** Cluster the backup was taken from (for the catalog's table records); may be unknown. */
    readonly clusterUri: string | null;
    readonly database: string;
    /** Source tables, or every table of the schema snapshot. */
    readonly tables: readonly string[] | 'all';
    /** Backup containers holding the schema snapshots and the artifacts. */
    readonly containers: readonly string[];
  };
  readonly target: { readonly clusterUri: string; readonly database: string };
  /** Source table -> target table; tables not listed keep their name. */
  readonly renames: Readonly<Record<string, string>>;
  /** Only artifacts committed at or before this instant, and the schema snapshot in force then. */
  readonly asOf: string | null;
  /** Only partition days in `[from, to]` (`yyyy-MM-dd`, inclusive). */
  readonly partitions: { readonly from: string; readonly to: string } | null;
  readonly mode: RestoreMode;
  readonly allowExportedTarget: boolean;
  readonly dryRun: boolean;
}

/** Settings from the configuration a restore run needs (fixed at start, so replays agree). */
export interface RestoreSettings {
  readonly batchSize: number;
  readonly stallTimeoutMs: number;
}

/** One table of a restore, as resolved against the snapshot and the target. */
export interface RestoreTable {
  readonly source: string;
  readonly target: string;
  readonly staging: string;
  /** Columns of the schema snapshot in force (staging and created targets get exactly these). */
  readonly columns: readonly ColumnSpec[];
  /** Datetime column the backup is partitioned by day on; null when unknown or unpartitioned. */
  readonly partitionColumn: string | null;
  /** The target table existed before this restore created anything. */
  readonly targetExists: boolean;
  /** Continuous exports of the target database that export the target table. */
  readonly exportedBy: readonly string[];
}

/** One artifact a restore ingests. */
export interface PlannedArtifact {
  /** Blob URL without SAS. */
  readonly path: string;
  readonly sizeInBytes: number | null;
  readonly rows: number;
  /** `yyyy-MM-dd`, or null for unpartitioned tables and rows without a partition value. */
  readonly partitionDate: string | null;
  /** `listing`: found in storage for a folder the catalog knows nothing about. */
  readonly origin: 'catalog' | 'listing';
}

/** One partition folder of a table's restore. */
export interface FolderPlan {
  /** `yyyyMMdd`, or `none` for artifacts without a partition day. */
  readonly key: string;
  readonly date: string | null;
  readonly blobs: number;
  readonly bytes: number;
  readonly rows: number;
  /** Activities (of at most the batch size each) that queue the folder. */
  readonly batches: number;
  /** Blobs taken from a storage listing because the catalog lacks the folder. */
  readonly listed: number;
}

/** What a table's restore reads and where it writes: the plan (and the dry-run answer). */
export interface TablePlan extends RestoreTable {
  readonly folders: readonly FolderPlan[];
  readonly blobs: number;
  readonly bytes: number;
  readonly rows: number;
  /** Artifacts left out, by reason. */
  readonly excluded: Readonly<Record<string, number>>;
}

/** A compact folder entry for orchestrations: `[key, batches, blobs]`. */
export type FolderEntry = readonly [key: string, batches: number, blobs: number];
