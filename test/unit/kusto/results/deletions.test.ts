import { PermanentError } from '../../../../lib/errors';
import {
  isFailedPurgeState,
  parseDeleteRecordsResult,
  parseMatchCounts,
  parsePurgeResult,
  parseStorageExport,
} from '../../../../lib/kusto/results/deletions';
import { table, thrown } from '../../../helpers/resultTables';

describe('parseDeleteRecordsResult', () => {
  it('sums RecordsMatchPredicate over the replaced extents', () => {
    const answer = table('OriginalExtentId:string, ResultExtentId:string, RecordsMatchPredicate:long', [
      ['e1', 'e1b', 3],
      ['e2', '', '2'],
    ]);
    expect(parseDeleteRecordsResult(answer)).toEqual({ recordsDeleted: 5, extentsReplaced: 2 });
  });

  it('reports zero for an empty answer with the column, and null without it', () => {
    expect(parseDeleteRecordsResult(table('RecordsMatchPredicate:long', []))).toEqual({
      recordsDeleted: 0,
      extentsReplaced: 0,
    });
    expect(parseDeleteRecordsResult(table('OriginalExtentId:string', [['e1']]))).toEqual({
      recordsDeleted: null,
      extentsReplaced: 1,
    });
  });
});

describe('parsePurgeResult', () => {
  it('reads the operation id and state of the purge row', () => {
    const answer = table('OperationId:guid, DatabaseName:string, State:string, StateDetails:string', [
      ['c9651d74-3b80-4183-90bb-bbe9e42eadc4', 'db', 'Scheduled', ''],
    ]);
    expect(parsePurgeResult(answer)).toEqual({
      operationId: 'c9651d74-3b80-4183-90bb-bbe9e42eadc4',
      state: 'Scheduled',
      stateDetails: null,
    });
    expect(parsePurgeResult(table('Other:string', []))).toEqual({
      operationId: null,
      state: null,
      stateDetails: null,
    });
  });

  it('knows which states mean the purge will not happen', () => {
    expect(['Failed', 'abandoned', 'BadInput', 'Canceled'].every(isFailedPurgeState)).toBe(true);
    expect([null, 'Scheduled', 'InProgress', 'Completed'].some(isFailedPurgeState)).toBe(false);
  });
});

describe('parseMatchCounts', () => {
  it('reads one row of counts', () => {
    expect(parseMatchCounts(table('Total:long, Matching:long', [[10, 3]]))).toEqual({
      total: 10,
      matching: 3,
    });
  });

  it.each([
    ['no row', []],
    [
      'two rows',
      [
        [1, 0],
        [2, 0],
      ],
    ],
    ['more matching than total', [[1, 2]]],
    ['null total', [[null, 0]]],
  ])('rejects %s', (_label, rows) => {
    expect(thrown(() => parseMatchCounts(table('Total:long, Matching:long', rows)))).toBeInstanceOf(
      PermanentError,
    );
  });
});

describe('parseStorageExport', () => {
  it('reads every file written, size optional', () => {
    const answer = table('Path:string, NumRecords:long, SizeInBytes:long', [
      ['https://a.blob.core.windows.net/c/f1.parquet', 4, 512],
      ['https://a.blob.core.windows.net/c/f2.parquet', '2', null],
    ]);
    expect(parseStorageExport(answer)).toEqual([
      { path: 'https://a.blob.core.windows.net/c/f1.parquet', numRecords: 4, sizeInBytes: 512 },
      { path: 'https://a.blob.core.windows.net/c/f2.parquet', numRecords: 2, sizeInBytes: null },
    ]);
    expect(parseStorageExport(table('Path:string, NumRecords:long', []))).toEqual([]);
  });

  it('fails on a missing column or an empty path', () => {
    expect(thrown(() => parseStorageExport(table('Path:string', [])))).toBeInstanceOf(PermanentError);
    expect(thrown(() => parseStorageExport(table('Path:string, NumRecords:long', [['', 1]])))).toBeInstanceOf(
      PermanentError,
    );
  });
});
