/**
 * Reads raw v1 / v2 response bodies (reference §2.3, §2.4, §2.6) into a {@link ResultTable} plus
 * the errors reported in band. The SDK's own parser is not used: it converts datetimes to `Date`
 * (losing the 100 ns digits), ignores in-band v1 errors and drops the OneApi `@permanent` flag of
 * in-band v2 errors.
 */
import { PermanentError } from '../errors';
import type { InBandError } from './classify';
import { readOneApiError } from './classify';
import { kustoTypeOfDataType } from './clrTypes';
import { asRecord, lenientJson, nonEmptyString } from './json';
import type { ResultColumn, ResultTable } from './types';

/** A body read: its primary table and every error reported inside it (empty when it succeeded). */
export interface BodyRead {
  readonly table: ResultTable;
  readonly errors: InBandError[];
}

interface RawTable {
  readonly columns: ResultColumn[];
  readonly rows: unknown[];
}

function shapeError(what: string): PermanentError {
  return new PermanentError(`Unexpected Kusto response: ${what}`);
}

function readColumns(value: unknown): ResultColumn[] {
  if (!Array.isArray(value)) throw shapeError('table without Columns');
  return value.map((c: unknown) => {
    const col = asRecord(c) ?? {};
    const dataType = nonEmptyString(col.DataType);
    return {
      name: nonEmptyString(col.ColumnName) ?? '',
      type: nonEmptyString(col.ColumnType) ?? (dataType ? kustoTypeOfDataType(dataType) : 'dynamic'),
    };
  });
}

function readTable(value: unknown): RawTable {
  const table = asRecord(value);
  if (!table) throw shapeError('table is not an object');
  return {
    columns: readColumns(table.Columns),
    rows: Array.isArray(table.Rows) ? (table.Rows as unknown[]) : [],
  };
}

/** Splits rows into data rows and in-band errors carried as object rows. */
function splitRows(rows: readonly unknown[], errors: InBandError[]): unknown[][] {
  const data: unknown[][] = [];
  for (const row of rows) {
    if (Array.isArray(row)) {
      data.push(row as unknown[]);
      continue;
    }
    const record = asRecord(row);
    collectErrors(record?.OneApiErrors, record?.Exceptions, errors);
  }
  return data;
}

function collectErrors(oneApiErrors: unknown, exceptions: unknown, errors: InBandError[]): void {
  if (Array.isArray(oneApiErrors)) {
    for (const item of oneApiErrors) {
      const inner = asRecord(asRecord(item)?.error);
      const e = inner ? readOneApiError(inner) : undefined;
      errors.push({
        message: e?.message ?? 'unknown error',
        ...(e?.code !== undefined ? { code: e.code } : {}),
        ...(e?.permanent !== undefined ? { permanent: e.permanent } : {}),
      });
    }
  }
  if (Array.isArray(exceptions)) {
    for (const text of exceptions) errors.push({ message: String(text) });
  }
}

function columnIndex(table: RawTable, name: string): number {
  return table.columns.findIndex((c) => c.name === name);
}

/** Rows of a status table whose level column is Error (2) or worse. */
function statusErrors(
  table: RawTable,
  levelColumn: string,
  textColumns: readonly string[],
  errors: InBandError[],
): void {
  const level = columnIndex(table, levelColumn);
  if (level < 0) return;
  for (const item of table.rows) {
    if (!Array.isArray(item)) continue;
    const row: readonly unknown[] = item;
    const value = Number(row[level]);
    if (!Number.isFinite(value) || value > 2) continue;
    const texts = textColumns
      .map((n) => row[columnIndex(table, n)])
      .filter((t): t is string => typeof t === 'string' && t !== '');
    errors.push({ message: texts.map(payloadText).join(' ') || 'query reported an error' });
  }
}

/** A QueryCompletionInformation payload is JSON with a `Text`, when it is JSON at all. */
function payloadText(text: string): string {
  return nonEmptyString(asRecord(lenientJson(text))?.Text) ?? text;
}

/** Reads a v1 body: one table, or a query-shaped set whose last table is the table of contents. */
export function readV1(body: unknown): BodyRead {
  const root = asRecord(body);
  if (!root || !Array.isArray(root.Tables) || root.Tables.length === 0)
    throw shapeError('v1 body without Tables');
  const tables = (root.Tables as unknown[]).map(readTable);
  const errors: InBandError[] = [];
  collectErrors(undefined, root.Exceptions, errors);
  let primary = tables[0] as RawTable;
  if (tables.length > 2) {
    const toc = tables[tables.length - 1] as RawTable;
    const kind = columnIndex(toc, 'Kind');
    const ordinal = columnIndex(toc, 'Ordinal');
    let found = false;
    toc.rows.forEach((item, i) => {
      if (!Array.isArray(item)) return;
      const row: readonly unknown[] = item;
      const cell = row[ordinal];
      const at = typeof cell === 'number' ? cell : i;
      const table = tables[at];
      if (!table) return;
      if (!found && (row[kind] === 'QueryResult' || row[kind] === 'PrimaryResult')) {
        primary = table;
        found = true;
      } else if (row[kind] === 'QueryStatus') {
        statusErrors(table, 'Severity', ['StatusDescription'], errors);
      }
    });
  }
  return { table: { columns: primary.columns, rows: splitRows(primary.rows, errors) }, errors };
}

/** Reads a v2 frame array; understands progressive frames too, which the Node client does not. */
export function readV2(body: unknown): BodyRead {
  if (!Array.isArray(body)) throw shapeError('v2 body is not a frame array');
  const errors: InBandError[] = [];
  let primary: { columns: ResultColumn[]; rows: unknown[][]; id?: unknown } | undefined;
  for (const item of body) {
    const frame = asRecord(item);
    if (!frame) continue;
    switch (frame.FrameType) {
      case 'DataTable':
        if (frame.TableKind === 'PrimaryResult' && !primary) {
          const t = readTable(frame);
          primary = { columns: t.columns, rows: splitRows(t.rows, errors) };
        } else if (frame.TableKind === 'QueryCompletionInformation') {
          statusErrors(readTable(frame), 'Level', ['Payload'], errors);
        }
        break;
      case 'TableHeader':
        if (frame.TableKind === 'PrimaryResult' && !primary) {
          primary = { columns: readColumns(frame.Columns), rows: [], id: frame.TableId };
        }
        break;
      case 'TableFragment':
        if (primary && frame.TableId === primary.id && Array.isArray(frame.Rows)) {
          const rows = splitRows(frame.Rows as unknown[], errors);
          primary.rows = frame.TableFragmentType === 'DataReplace' ? rows : primary.rows.concat(rows);
        }
        break;
      case 'TableCompletion':
        collectErrors(frame.OneApiErrors, undefined, errors);
        break;
      case 'DataSetCompletion':
        collectErrors(frame.OneApiErrors, undefined, errors);
        if (frame.HasErrors === true && errors.length === 0)
          errors.push({ message: 'query completed with errors' });
        break;
      default:
        break;
    }
  }
  return { table: { columns: primary?.columns ?? [], rows: primary?.rows ?? [] }, errors };
}
