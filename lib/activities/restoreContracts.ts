/**
 * Inputs and outputs of the restore activities, and the dependencies every restore activity factory
 * takes. Plain JSON only: these cross the durable boundary and live in orchestration histories, so
 * they stay small (a batch is named by its keys; its artifacts are read from the stored manifest).
 */
import type { LedgerReader } from '../deletions/restore';
import type { KustoGateway, Logger } from '../kusto/gateway';
import type { StorageAuth } from '../kusto/quote';
import type { RestoreBlobs } from '../restore/blobs';
import type { TableResult } from '../restore/finish';
import type { IngestSender } from '../restore/ingestSender';
import type { PreparedTable } from '../restore/prepare';
import type { ProgressCheck } from '../restore/progress';
import type { RestoreState, TableState } from '../restore/state';
import type { FolderEntry, RestoreRequest, RestoreSettings } from '../restore/types';
import type { CatalogStore } from '../storage/catalog';

/** What restore activities need; all I/O goes through these. */
export interface RestoreDeps {
  readonly gatewayFor: (clusterUri: string) => KustoGateway;
  readonly catalog: Pick<CatalogStore, 'getTable' | 'listArtifacts'>;
  readonly ledger: LedgerReader;
  readonly blobs: RestoreBlobs;
  readonly state: RestoreState;
  readonly ingest: IngestSender;
  /** How the target cluster reads the backup blobs (`;impersonate` or `;managed_identity=...`). */
  readonly storageAuth: StorageAuth;
  readonly logger: Logger;
}

/** A target cluster and database. */
export interface TargetRef {
  readonly clusterUri: string;
  readonly database: string;
}

/** `restorePrepare`. */
export interface RestorePrepareInput {
  readonly request: RestoreRequest;
  readonly settings: RestoreSettings;
}
export interface RestorePrepareOutput {
  readonly tables: readonly PreparedTable[];
  readonly warnings: readonly string[];
}

/** Names one table of one restore. */
export interface RestoreTableRef {
  readonly restoreId: string;
  /** Source table name (the key of the table's state). */
  readonly table: string;
}

/** `restoreTableState`: what the table orchestration works from. */
export interface RestoreTableStateOutput {
  readonly state: TableState;
  readonly target: string;
  readonly staging: string;
  readonly partitionColumn: string | null;
  readonly rows: number;
  readonly blobs: number;
  readonly folders: readonly FolderEntry[];
  /** Set when the table already completed (a re-run), so nothing is done again. */
  readonly result: TableResult | null;
}

/** `queueRestoreBatch`: one manifest batch. */
export interface QueueBatchInput extends RestoreTableRef {
  readonly folder: string;
  readonly index: number;
  readonly target: TargetRef;
  readonly staging: string;
}
export interface QueueBatchOutput {
  readonly queued: number;
}

/** `countStaging`: one progress check. */
export interface CountStagingInput extends RestoreTableRef {
  readonly target: TargetRef;
}
export type CountStagingOutput = ProgressCheck;

/** `restoreFinishTable`. */
export interface FinishTableInput extends RestoreTableRef {
  readonly sourceDatabase: string;
  readonly target: TargetRef;
}
export type FinishTableOutput = TableResult;

/** `restoreRecord`: the outcome of a whole restore (or of one failed table: `table` set). */
export interface RestoreRecordInput {
  readonly restoreId: string;
  readonly status: 'completed' | 'failed';
  readonly tables: readonly TableResult[];
  readonly error: string | null;
  /** Records one table's failure instead of the whole restore's outcome. */
  readonly table?: string;
}
