import { parseExtentRowCounts } from '../../../../lib/kusto/results/extents';
import { table } from '../../../helpers/resultTables';

describe('parseExtentRowCounts', () => {
  it('reads the one summary row; a sum over no extent (null) counts as 0', () => {
    expect(
      parseExtentRowCounts(table('Extents:long, RowCount:long, DeletedRowCount:long', [[3, 120, 7]])),
    ).toEqual({ extents: 3, rows: 120, deletedRows: 7 });
    expect(
      parseExtentRowCounts(table('Extents:long, RowCount:long, DeletedRowCount:long', [[0, null, null]])),
    ).toEqual({ extents: 0, rows: 0, deletedRows: 0 });
    expect(parseExtentRowCounts(table('Extents:long, RowCount:long', [['2', '5']]))).toEqual({
      extents: 2,
      rows: 5,
      deletedRows: 0,
    });
  });
  it('refuses an answer without the columns or with several rows', () => {
    expect(() => parseExtentRowCounts(table('Count:long', [[1]]))).toThrow(/no column 'Extents', 'RowCount'/);
    expect(() =>
      parseExtentRowCounts(
        table('Extents:long, RowCount:long', [
          [1, 1],
          [1, 1],
        ]),
      ),
    ).toThrow(/expected one row/);
  });
});
