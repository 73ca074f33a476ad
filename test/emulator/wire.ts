/**
 * The Kusto REST wire format (reference §2.3–§2.5): v1 answers for management commands, the
 * query-shaped 4-table v1 answer for piped commands and `/v1/rest/query`, v2 frames for
 * `/v2/rest/query`, and OneApi error bodies. Pure functions: callers pass the result and the request
 * context, nothing here reads state.
 */
import { DATA_TYPE, formatDatetime, toWire, type Column, type KType, type KValue } from './values';
import type { KustoError } from './kustoError';
import type { CommandResult } from './commands/registry';
import type { Relation } from './kql/types';

/** What every answer needs to know about its request. */
export interface WireContext {
  /** `x-ms-client-request-id` of the request (or the one the server made up). */
  readonly clientRequestId: string;
  /** Activity id sent back in `x-ms-activity-id`. */
  readonly activityId: string;
  /** Emulator clock (epoch ms) when the answer was produced. */
  readonly now: number;
}

/** A v1 column: `DataType` (.NET-ish) and `ColumnType` (Kusto), both always sent (reference §1.0). */
export interface V1Column {
  readonly ColumnName: string;
  readonly DataType: string;
  readonly ColumnType: KType;
}

/** One table of a v1 answer. */
export interface V1Table {
  readonly TableName: string;
  readonly Columns: V1Column[];
  readonly Rows: unknown[][];
}

/** A v1 answer body. */
export interface V1Response {
  readonly Tables: V1Table[];
}

/** A v2 frame (the answer is a JSON array of these). */
export type V2Frame = Record<string, unknown>;

/** Converts a query-engine relation to a plain result (rows lose their hidden metadata). */
export function relationToResult(relation: Relation): CommandResult {
  return { columns: relation.columns.map((c) => ({ ...c })), rows: relation.rows.map((r) => r.values) };
}

/** Converts a command result to a relation so query operators can run over it. */
export function resultToRelation(result: CommandResult): Relation {
  return {
    columns: result.columns.map((c) => ({ ...c })),
    rows: result.rows.map((values) => ({ values: [...values] })),
  };
}

/** Renders rows cell by cell with their column types (datetimes with 7 digits, timespans c-format). */
export function renderRows(columns: readonly Column[], rows: readonly (readonly KValue[])[]): unknown[][] {
  return rows.map((row) => columns.map((c, i) => toWire(row[i] ?? null, c.type)));
}

/** A v1 table named `name`. */
export function v1Table(name: string, result: CommandResult): V1Table {
  return {
    TableName: name,
    Columns: result.columns.map((c) => ({
      ColumnName: c.name,
      DataType: DATA_TYPE[c.type],
      ColumnType: c.type,
    })),
    Rows: renderRows(result.columns, result.rows),
  };
}

/** v1 answer of a plain management command: one table, `Table_0`. */
export function v1Response(result: CommandResult): V1Response {
  return { Tables: [v1Table('Table_0', result)] };
}

const col = (name: string, type: KType): Column => ({ name, type });

/** `@ExtendedProperties`: one string column `Value` holding JSON (reference §2.3). */
const EXTENDED_PROPERTIES: Column[] = [col('Value', 'string')];

/** QueryStatus table columns, in the recorded order (reference §2.3; GO `v1/testData/success.json`). */
const QUERY_STATUS: Column[] = [
  col('Timestamp', 'datetime'),
  col('Severity', 'int'),
  col('SeverityName', 'string'),
  col('StatusCode', 'int'),
  col('StatusDescription', 'string'),
  col('Count', 'int'),
  col('RequestId', 'guid'),
  col('ActivityId', 'guid'),
  col('SubActivityId', 'guid'),
  col('ClientActivityId', 'string'),
];

/** TableOfContents columns (`Id` is a string column in real answers). */
const TABLE_OF_CONTENTS: Column[] = [
  col('Ordinal', 'long'),
  col('Kind', 'string'),
  col('Name', 'string'),
  col('Id', 'string'),
  col('PrettyName', 'string'),
];

/** The visualization properties every query answer carries (no `render` operator in the emulator). */
const VISUALIZATION = JSON.stringify({ Visualization: null });

const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';

/**
 * Query-shaped v1 answer (piped management commands and `/v1/rest/query`): `Table_0` primary result,
 * `Table_1` `@ExtendedProperties`, `Table_2` QueryStatus, `Table_3` TableOfContents. The Node client
 * reads the last table as the table of contents when there are more than two.
 */
export function v1QueryResponse(result: CommandResult, ctx: WireContext): V1Response {
  const status: CommandResult = {
    columns: QUERY_STATUS,
    rows: [
      [
        ctx.now,
        4,
        'Info',
        0,
        'Query completed successfully',
        1,
        ctx.activityId,
        ctx.activityId,
        ctx.activityId,
        ctx.clientRequestId,
      ],
    ],
  };
  const toc: CommandResult = {
    columns: TABLE_OF_CONTENTS,
    rows: [
      [0, 'QueryResult', 'PrimaryResult', ctx.activityId, ''],
      [1, 'QueryProperties', '@ExtendedProperties', ctx.activityId, ''],
      [2, 'QueryStatus', 'QueryStatus', EMPTY_GUID, ''],
    ],
  };
  return {
    Tables: [
      v1Table('Table_0', result),
      v1Table('Table_1', { columns: EXTENDED_PROPERTIES, rows: [[VISUALIZATION]] }),
      v1Table('Table_2', status),
      v1Table('Table_3', toc),
    ],
  };
}

const v2Columns = (columns: readonly Column[]): { ColumnName: string; ColumnType: KType }[] =>
  columns.map((c) => ({ ColumnName: c.name, ColumnType: c.type }));

/** QueryCompletionInformation columns (reference §2.4). */
const COMPLETION: Column[] = [
  col('Timestamp', 'datetime'),
  col('ClientRequestId', 'string'),
  col('ActivityId', 'guid'),
  col('SubActivityId', 'guid'),
  col('ParentActivityId', 'guid'),
  col('Level', 'int'),
  col('LevelName', 'string'),
  col('StatusCode', 'int'),
  col('StatusCodeName', 'string'),
  col('EventType', 'int'),
  col('EventTypeName', 'string'),
  col('Payload', 'string'),
];

/**
 * v2 answer: DataSetHeader, the QueryProperties table, the PrimaryResult, QueryCompletionInformation
 * and DataSetCompletion, non-progressive (the Node client understands only `DataTable` frames).
 */
export function v2Response(result: CommandResult, ctx: WireContext): V2Frame[] {
  const completion: CommandResult = {
    columns: COMPLETION,
    rows: [
      [
        ctx.now,
        ctx.clientRequestId,
        ctx.activityId,
        ctx.activityId,
        ctx.activityId,
        4,
        'Info',
        0,
        'S_OK (0)',
        4,
        'QueryInfo',
        JSON.stringify({ Count: 1, Text: 'Query completed successfully' }),
      ],
    ],
  };
  return [
    { FrameType: 'DataSetHeader', IsProgressive: false, Version: 'v2.0' },
    {
      FrameType: 'DataTable',
      TableId: 0,
      TableKind: 'QueryProperties',
      TableName: '@ExtendedProperties',
      Columns: [
        { ColumnName: 'TableId', ColumnType: 'int' },
        { ColumnName: 'Key', ColumnType: 'string' },
        { ColumnName: 'Value', ColumnType: 'dynamic' },
      ],
      Rows: [[1, 'Visualization', VISUALIZATION]],
    },
    {
      FrameType: 'DataTable',
      TableId: 1,
      TableKind: 'PrimaryResult',
      TableName: 'PrimaryResult',
      Columns: v2Columns(result.columns),
      Rows: renderRows(result.columns, result.rows),
    },
    {
      FrameType: 'DataTable',
      TableId: 2,
      TableKind: 'QueryCompletionInformation',
      TableName: 'QueryCompletionInformation',
      Columns: v2Columns(COMPLETION),
      Rows: renderRows(COMPLETION, completion.rows),
    },
    { FrameType: 'DataSetCompletion', HasErrors: false, Cancelled: false },
  ];
}

/** Generic `message` per status; the specific text goes to `@message` as in real answers (§2.5). */
function genericMessage(status: number): string {
  if (status === 400) return 'Request is invalid and cannot be executed.';
  if (status === 403) return 'Principal is not authorized to perform the operation.';
  if (status === 404) return 'The requested resource was not found.';
  if (status === 429) return 'The request was throttled.';
  return 'The service encountered an error while executing the request.';
}

/** Request details echoed in an error body. */
export interface ErrorContext extends WireContext {
  readonly database?: string;
  readonly text?: string;
  /** Activity type for `@context`, e.g. `DN.FE.ExecuteQuery`. */
  readonly activityType?: string;
}

/** OneApi error body (reference §2.5): `code`, `message`, `@type`, `@message`, `@context`, `@permanent`. */
export function oneApiError(error: KustoError, ctx: ErrorContext): { error: Record<string, unknown> } {
  return {
    error: {
      code: error.code,
      message: genericMessage(error.httpStatus),
      '@type': error.type,
      '@message': error.message,
      '@context': {
        timestamp: formatDatetime(ctx.now),
        serviceAlias: 'EMULATOR',
        machineName: 'KEngine000000',
        processName: 'Kusto.Emulator',
        processId: process.pid,
        threadId: 1,
        clientRequestId: ctx.clientRequestId,
        activityId: ctx.activityId,
        subActivityId: ctx.activityId,
        activityType: ctx.activityType ?? 'DN.FE.ExecuteControlCommand',
        parentActivityId: ctx.activityId,
        activityStack: `(Activity stack: CRID=${ctx.clientRequestId} ARID=${ctx.activityId})`,
      },
      '@permanent': error.permanent,
      ...(ctx.text !== undefined ? { '@text': ctx.text } : {}),
      ...(ctx.database !== undefined ? { '@database': ctx.database } : {}),
    },
  };
}
