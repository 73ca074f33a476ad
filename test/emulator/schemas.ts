/**
 * Result schemas of the management commands the emulator answers, column for column and in order,
 * as listed in reference/kusto-protocol.md §1. Handlers build their answers from these lists so the
 * order can never drift.
 */
import type { Column, KType } from './values';

const cols = (spec: string): Column[] =>
  spec.split(',').map((pair) => {
    const [name, type] = pair.split(':').map((s) => s.trim());
    return { name: name!, type: type as KType };
  });

/** §1.1: `.show continuous-exports`, `.show continuous-export X`, create-or-alter/enable/disable/drop. */
export const CONTINUOUS_EXPORT = cols(
  'Name:string, ExternalTableName:string, Query:string, ForcedLatency:timespan, IntervalBetweenRuns:timespan, ' +
    'CursorScopedTables:string, ExportProperties:string, LastRunTime:datetime, StartCursor:string, IsDisabled:bool, ' +
    'LastRunResult:string, ExportedTo:datetime, IsRunning:bool',
);

/** §1.2: exported-artifacts (4 documented columns, then SizeInBytes as in the docs' example). */
export const EXPORTED_ARTIFACTS = cols(
  'Timestamp:datetime, ExternalTableName:string, Path:string, NumRecords:long, SizeInBytes:long',
);

/** §1.3: failures. */
export const EXPORT_FAILURES = cols(
  'Timestamp:datetime, OperationId:string, Name:string, LastSuccessRun:datetime, FailureKind:string, Details:string',
);

/** §1.6: sync export to an external table (and `.show operation X details` for it). */
export const EXPORT_TO_TABLE = cols(
  'ExternalTableName:string, Path:string, NumRecords:long, SizeInBytes:long',
);

/** §1.6: `.export async` answer. */
export const OPERATION_ID = cols('OperationId:guid');

/** §1.7: `.show operations`. */
export const OPERATIONS = cols(
  'OperationId:guid, Operation:string, NodeId:string, StartedOn:datetime, LastUpdatedOn:datetime, Duration:timespan, ' +
    'State:string, Status:string, RootActivityId:guid, ShouldRetry:bool, Database:string, Principal:string, User:string, ' +
    'AdminEpochStartTime:datetime, VirtualCluster:string',
);

/** §1.9: `.show table T schema as json` / cslschema; `.create table`, `.create-merge table`, `.alter table`. */
export const TABLE_SCHEMA = cols(
  'TableName:string, Schema:string, DatabaseName:string, Folder:string, DocString:string',
);

/** §1.10: `.show tables`. */
export const TABLES = cols('TableName:string, DatabaseName:string, Folder:string, DocString:string');

/** §1.11: `.show external tables` / `.show external table X`, `.create external table`. */
export const EXTERNAL_TABLE = cols(
  'TableName:string, TableType:string, Folder:string, DocString:string, Properties:string, ConnectionStrings:dynamic, ' +
    'Partitions:dynamic, PathFormat:string',
);

/** §1.11: `.alter` / `.create-or-alter external table`, `.drop external table`. */
export const EXTERNAL_TABLE_FULL = cols(
  'TableName:string, TableType:string, Folder:string, DocString:string, Schema:string, Properties:string',
);

/** §1.12: `.show database schema as json` (and as csl script: one column of script lines). */
export const DATABASE_SCHEMA_JSON = cols('DatabaseSchema:string');
export const DATABASE_SCHEMA_SCRIPT = cols('DatabaseSchemaScript:string');

/** §1.13: `.show ingestion failures`. */
export const INGESTION_FAILURES = cols(
  'OperationId:guid, Database:string, Table:string, FailedOn:datetime, IngestionSourcePath:string, Details:string, ' +
    'FailureKind:string, RootActivityId:guid, OperationKind:string, OriginatesFromUpdatePolicy:bool, ErrorCode:string, ' +
    'Principal:string, ShouldRetry:bool, User:string, IngestionProperties:string, NumberOfSources:long',
);

/** §3.2 / §3.3. */
export const INGESTION_RESOURCES = cols('ResourceTypeName:string, StorageRoot:string');
export const IDENTITY_TOKEN = cols('AuthorizationContext:string');

/** §1.15: policy result. */
export const POLICY = cols(
  'PolicyName:string, EntityName:string, Policy:string, ChildEntities:string, EntityType:string',
);

/** §1.16: `.show table T extents`. */
export const EXTENTS = cols(
  'ExtentId:guid, DatabaseName:string, TableName:string, MaxCreatedOn:datetime, OriginalSize:real, ExtentSize:real, ' +
    'CompressedSize:real, IndexSize:real, Blocks:long, Segments:long, ExtentContainerId:string, RowCount:long, ' +
    'MinCreatedOn:datetime, Tags:string, Kind:string, DeletedRowCount:long',
);

/** §1.17: `.show capacity`. */
export const CAPACITY = cols('Resource:string, Total:long, Consumed:long, Remaining:long, Origin:string');

/** §1.6: `.export [async] [compressed] to csv|tsv|json|parquet (...)` (and its `.show operation X details`). */
export const EXPORT_TO_STORAGE = cols('Path:string, NumRecords:long, SizeInBytes:long');
