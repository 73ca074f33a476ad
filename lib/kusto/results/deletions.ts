/**
 * Readers for the answers of the deletion ledger's commands: `.delete ... records`, `.purge ...
 * noregrets`, the scrub's match count and `.export to parquet` (reference §1.6).
 *
 * The reference does not pin the delete and purge result columns down (DOCS soft-delete-command.md
 * only says the answer lists replaced extents; concepts/data-purge.md shows the purge operation row),
 * so only what the ledger records is read and every such column is optional.
 */
import { PermanentError } from '../../errors';
import type { ResultTable } from '../types';
import { rowsOf } from './cells';

/** What a `.delete table T records` answer says. */
export interface DeleteRecordsResult {
  /** Sum of `RecordsMatchPredicate`; null when the answer has no such column. */
  readonly recordsDeleted: number | null;
  /** Extents the delete replaced (one answer row each). */
  readonly extentsReplaced: number;
}

/** Reads a soft-delete answer: one row per replaced extent. */
export function parseDeleteRecordsResult(table: ResultTable): DeleteRecordsResult {
  const rows = rowsOf(table, 'delete records', [], ['RecordsMatchPredicate']);
  const counted = table.columns.some((c) => c.name.toLowerCase() === 'recordsmatchpredicate');
  return {
    recordsDeleted: counted ? rows.reduce((sum, r) => sum + (r.long('RecordsMatchPredicate') ?? 0), 0) : null,
    extentsReplaced: rows.length,
  };
}

/** What a `.purge ... with (noregrets='true')` answer says about the purge operation. */
export interface PurgeResult {
  readonly operationId: string | null;
  /** `Scheduled`, `InProgress`, `Completed`, ... as the data-management service reports it. */
  readonly state: string | null;
  readonly stateDetails: string | null;
}

/** Purge operation states after which the purge will not happen. */
const FAILED_PURGE_STATES = new Set(['failed', 'abandoned', 'badinput', 'canceled', 'cancelled']);

/** True when a purge's reported state means it failed. */
export function isFailedPurgeState(state: string | null): boolean {
  return state !== null && FAILED_PURGE_STATES.has(state.trim().toLowerCase());
}

/** Reads the purge operation row (the first row; an empty answer yields nulls). */
export function parsePurgeResult(table: ResultTable): PurgeResult {
  const [row] = rowsOf(table, 'purge', [], ['OperationId', 'State', 'StateDetails']);
  const text = (column: string): string | null => {
    const value = row?.optStr(column);
    return value === undefined || value === '' ? null : value;
  };
  return { operationId: text('OperationId'), state: text('State'), stateDetails: text('StateDetails') };
}

/** Rows of an external table, and how many of them a predicate selects. */
export interface MatchCounts {
  readonly total: number;
  readonly matching: number;
}

/** Reads the one-row `Total, Matching` answer of `countMatchingRows`. */
export function parseMatchCounts(table: ResultTable): MatchCounts {
  const rows = rowsOf(table, 'match counts', ['Total', 'Matching']);
  const [row] = rows;
  if (!row || rows.length !== 1)
    throw new PermanentError(`match counts: expected one row, got ${rows.length}`);
  const total = row.long('Total');
  const matching = row.long('Matching');
  if (total === undefined || matching === undefined || matching > total || matching < 0) {
    throw new PermanentError(`match counts: invalid counts (Total ${total}, Matching ${matching})`);
  }
  return { total, matching };
}

/** One file written by `.export to <format>`. */
export interface StorageExportArtifact {
  readonly path: string;
  readonly numRecords: number;
  readonly sizeInBytes: number | null;
}

/** Reads an export-to-storage answer: `Path, NumRecords[, SizeInBytes]` per file. */
export function parseStorageExport(table: ResultTable): StorageExportArtifact[] {
  return rowsOf(table, 'export to storage', ['Path', 'NumRecords'], ['SizeInBytes']).map((r) => {
    const path = r.str('Path');
    if (path === '') throw new PermanentError('export to storage: a row has no Path');
    return { path, numRecords: r.long('NumRecords') ?? 0, sizeInBytes: r.long('SizeInBytes') ?? null };
  });
}
