/**
 * Column names and order of every `.show` (and `.get`) result the emulator serves, checked against
 * lists copied here from reference/kusto-protocol.md (section noted per row; KQL = the language
 * service's result schema the reference cites). Deliberately independent of `schemas.ts`: this is
 * the check that the emulator's schemas match the reference.
 */
import { Client } from 'azure-kusto-data';
import { startEmulator, type EmulatorHandle } from './index';
import { run } from './clientHelpers';

const list = (spec: string): string[] => spec.split(',').map((s) => s.trim());

/** §1.1 */
const CONTINUOUS_EXPORT = list(
  'Name, ExternalTableName, Query, ForcedLatency, IntervalBetweenRuns, CursorScopedTables, ExportProperties, LastRunTime, StartCursor, IsDisabled, LastRunResult, ExportedTo, IsRunning',
);
/** §1.7 */
const OPERATIONS = list(
  'OperationId, Operation, NodeId, StartedOn, LastUpdatedOn, Duration, State, Status, RootActivityId, ShouldRetry, Database, Principal, User, AdminEpochStartTime, VirtualCluster',
);
/** §1.9 */
const TABLE_SCHEMA = list('TableName, Schema, DatabaseName, Folder, DocString');
/** §1.11 */
const EXTERNAL_TABLE = list(
  'TableName, TableType, Folder, DocString, Properties, ConnectionStrings, Partitions, PathFormat',
);
/** §1.15 */
const POLICY = list('PolicyName, EntityName, Policy, ChildEntities, EntityType');
/** §1.16 */
const EXTENTS = list(
  'ExtentId, DatabaseName, TableName, MaxCreatedOn, OriginalSize, ExtentSize, CompressedSize, IndexSize, Blocks, Segments, ExtentContainerId, RowCount, MinCreatedOn, Tags, Kind, DeletedRowCount',
);

interface Case {
  /** The command; `{op}` is replaced by the id of a completed `.export async`. */
  readonly command: string;
  readonly columns: string[];
  /** Where the list comes from. */
  readonly source: string;
  /** Database to send to (default `db`); data-management commands go to NetDefaultDB. */
  readonly db?: string;
  /** The reference documents these columns and leaves further trailing ones unconfirmed. */
  readonly prefixOnly?: boolean;
}

const CASES: Case[] = [
  { command: '.show tables', columns: list('TableName, DatabaseName, Folder, DocString'), source: '§1.10' },
  {
    command: '.show tables (T)',
    columns: list('TableName, DatabaseName, Folder, DocString'),
    source: '§1.10',
  },
  { command: '.show table T schema as json', columns: TABLE_SCHEMA, source: '§1.9' },
  { command: '.show table T cslschema', columns: TABLE_SCHEMA, source: '§1.9' },
  { command: '.show database schema as json', columns: ['DatabaseSchema'], source: '§1.12' },
  { command: '.show database db schema as json', columns: ['DatabaseSchema'], source: '§1.12' },
  {
    command: '.show database schema as csl script',
    columns: ['DatabaseSchemaScript'],
    source: '§1.12 / KQL ShowDatabaseSchemaAsCslScript',
  },
  { command: '.show table T policy ingestiontime', columns: POLICY, source: '§1.15' },
  { command: '.show table * policy ingestiontime', columns: POLICY, source: '§1.15' },
  { command: '.show table T extents', columns: EXTENTS, source: '§1.16' },
  { command: '.show database extents', columns: EXTENTS, source: '§1.16' },
  { command: '.show cluster extents', columns: EXTENTS, source: '§1.16' },
  { command: '.show continuous-exports', columns: CONTINUOUS_EXPORT, source: '§1.1' },
  { command: '.show continuous-export CE', columns: CONTINUOUS_EXPORT, source: '§1.1' },
  {
    command: '.show continuous-export CE exported-artifacts',
    columns: list('Timestamp, ExternalTableName, Path, NumRecords, SizeInBytes'),
    source: '§1.2 (4 documented columns, then SizeInBytes)',
  },
  {
    command: '.show continuous-export CE failures',
    columns: list('Timestamp, OperationId, Name, LastSuccessRun, FailureKind, Details'),
    source: '§1.3',
  },
  { command: '.show operations', columns: OPERATIONS, source: '§1.7' },
  { command: '.show operations {op}', columns: OPERATIONS, source: '§1.7' },
  { command: '.show operations ({op})', columns: OPERATIONS, source: '§1.7' },
  {
    command: '.show operation {op} details',
    columns: list('ExternalTableName, Path, NumRecords'),
    source: '§1.6/§1.8 (SizeInBytes after these is unconfirmed)',
    prefixOnly: true,
  },
  {
    command: '.show capacity',
    columns: list('Resource, Total, Consumed, Remaining, Origin'),
    source: '§1.17 (KQL + DOCS Origin)',
  },
  { command: '.show external tables', columns: EXTERNAL_TABLE, source: '§1.11' },
  { command: '.show external table Ext', columns: EXTERNAL_TABLE, source: '§1.11' },
  { command: '.show external table Ext schema as json', columns: TABLE_SCHEMA, source: '§1.11' },
  { command: '.show external table Ext cslschema', columns: TABLE_SCHEMA, source: '§1.11' },
  {
    command: '.show ingestion failures',
    columns: list(
      'OperationId, Database, Table, FailedOn, IngestionSourcePath, Details, FailureKind, RootActivityId, OperationKind, OriginatesFromUpdatePolicy, ErrorCode, Principal, ShouldRetry, User, IngestionProperties, NumberOfSources',
    ),
    source: '§1.13 (KQL + DOCS NumberOfSources)',
  },
  {
    command: '.get ingestion resources',
    columns: list('ResourceTypeName, StorageRoot'),
    source: '§3.2',
    db: 'NetDefaultDB',
  },
  {
    command: '.get kusto identity token',
    columns: ['AuthorizationContext'],
    source: '§3.3',
    db: 'NetDefaultDB',
  },
  {
    command: '.show databases',
    columns: list(
      'DatabaseName, PersistentStorage, Version, IsCurrent, DatabaseAccessMode, PrettyName, ReservedSlot1, DatabaseId, InTransitionTo',
    ),
    source: 'KQL ShowClusterDatabases',
  },
  {
    command: '.show cluster',
    columns: list(
      'NodeId, Address, Name, StartTime, IsAdmin, MachineTotalMemory, MachineAvailableMemory, ProcessorCount, EnvironmentDescription',
    ),
    source: 'KQL ShowCluster',
  },
];

let emu: EmulatorHandle;
let client: Client;
let operationId = '';

beforeAll(async () => {
  emu = await startEmulator({ databases: ['db'] });
  client = new Client(emu.url);
  const setup = [
    '.create table T (Timestamp:datetime, Name:string, Value:long)',
    '.ingest inline into table T <| 2025-12-31T00:00:00Z,a,1',
    '.create external table Ext (Timestamp:datetime, Name:string, Value:long) kind=storage ' +
      'partition by (Day:datetime = startofday(Timestamp)) pathformat=(datetime_pattern("yyyyMMdd", Day)) ' +
      "dataformat=parquet ('https://prod.blob.core.windows.net/backup/db/T;impersonate')",
    ".create-or-alter continuous-export CE over (T) to table Ext with (intervalBetweenRuns=1h, managedIdentity='system') <| T",
  ];
  for (const command of setup) await run(client, 'db', command);
  await emu.clock.advance(3_600_000);
  operationId = String((await run(client, 'db', '.export async to table Ext <| T')).rows[0]!.OperationId);
  await emu.idle();
});

afterAll(async () => {
  client.close();
  await emu.stop();
});

test.each(CASES)(
  '$command has the reference columns ($source)',
  async ({ command, columns, db, prefixOnly }) => {
    const answer = await run(client, db ?? 'db', command.replace('{op}', operationId));
    if (prefixOnly) expect(answer.columns.slice(0, columns.length)).toEqual(columns);
    else expect(answer.columns).toEqual(columns);
  },
);
