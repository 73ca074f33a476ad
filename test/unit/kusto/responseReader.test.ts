import { PermanentError } from '../../../lib/errors';
import { readV1, readV2 } from '../../../lib/kusto/responseReader';
import { columns, v1QueryShapedBody, v2Body } from '../../helpers/fakeKustoServer';
import { thrown } from '../../helpers/resultTables';

describe('readV1', () => {
  it('picks the primary result of a query-shaped v1 answer (4 tables) by its table of contents', () => {
    const { table, errors } = readV1(
      v1QueryShapedBody(columns('OperationId:guid, State:string'), [['8a0f-1', 'Completed']]),
    );
    expect(table.columns.map((c) => c.name)).toEqual(['OperationId', 'State']);
    expect(table.rows).toEqual([['8a0f-1', 'Completed']]);
    expect(errors).toEqual([]);
  });

  it('maps DataType to a Kusto type when ColumnType is missing', () => {
    const { table } = readV1({
      Tables: [
        {
          TableName: 'Table_0',
          Columns: [
            { ColumnName: 'n', DataType: 'Int64' },
            { ColumnName: 'd', DataType: 'System.DateTime' },
            { ColumnName: 'x', DataType: 'Weird' },
            { ColumnName: 'y' },
          ],
          Rows: [[1]],
        },
      ],
    });
    expect(table.columns).toEqual([
      { name: 'n', type: 'long' },
      { name: 'd', type: 'datetime' },
      { name: 'x', type: 'weird' },
      { name: 'y', type: 'dynamic' },
    ]);
  });

  it('collects in-band errors of the body and of object rows, keeping the data rows', () => {
    const { table, errors } = readV1({
      Tables: [
        {
          TableName: 'Table_0',
          Columns: [{ ColumnName: 'n', ColumnType: 'long' }],
          Rows: [
            [1],
            { Exceptions: ['row failure', 7] },
            [2],
            {
              OneApiErrors: [
                { error: { code: 'LowMemoryCondition', '@message': 'low', '@permanent': false } },
              ],
            },
          ],
        },
      ],
      Exceptions: ['body failure'],
    });
    expect(table.rows).toEqual([[1], [2]]);
    expect(errors).toEqual([
      { message: 'body failure' },
      { message: 'row failure' },
      { message: '7' },
      { message: 'low', code: 'LowMemoryCondition', permanent: false },
    ]);
  });

  it('reports QueryStatus rows of severity Error or worse', () => {
    const body = v1QueryShapedBody(columns('n:long'), [[1]]) as { Tables: { Rows: unknown[][] }[] };
    const status = body.Tables[2]!.Rows[0]!;
    status[1] = 2;
    status[4] = 'Query failed: boom';
    expect(readV1(body).errors).toEqual([{ message: 'Query failed: boom' }]);
  });

  it('rejects a body without Tables, or a table without Columns', () => {
    const error = thrown(() => readV1({ hello: 'world' }));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toContain('Unexpected Kusto response');
    expect(() => readV1({ Tables: [{ Rows: [] }] })).toThrow(
      'Unexpected Kusto response: table without Columns',
    );
  });
});

describe('readV2', () => {
  it('reads the primary result and keeps cells as sent', () => {
    const { table, errors } = readV2(
      v2Body(columns('Timestamp:datetime, n:long'), [['2026-01-05T18:00:00.1234567Z', 42]]),
    );
    expect(table).toEqual({
      columns: [
        { name: 'Timestamp', type: 'datetime' },
        { name: 'n', type: 'long' },
      ],
      rows: [['2026-01-05T18:00:00.1234567Z', 42]],
    });
    expect(errors).toEqual([]);
  });

  it('reports QueryCompletionInformation rows of level Error or worse, by their payload Text', () => {
    const { table, errors } = readV2(
      v2Body(columns('n:long'), [[1]], {
        completionRows: [
          [1, 'Critical', '{"Text":"critical"}'],
          [2, 'Error', 'not json'],
          [3, 'Warning', '{"Text":"only a warning"}'],
          [2, 'Error', ''],
        ],
      }),
    );
    expect(table.rows).toEqual([[1]]);
    expect(errors).toEqual([
      { message: 'critical' },
      { message: 'not json' },
      { message: 'query reported an error' },
    ]);
  });

  it('reads OneApi errors with their code and boolean @permanent flag', () => {
    const { errors } = readV2(
      v2Body(columns('n:long'), [], {
        oneApiErrors: [
          { error: { code: 'LowMemoryCondition', message: 'low memory', '@permanent': false } },
          { error: { '@message': 'detail', '@permanent': 'yes' } },
          { nothing: 1 },
        ],
      }),
    );
    expect(errors).toEqual([
      { message: 'low memory', code: 'LowMemoryCondition', permanent: false },
      { message: 'detail' },
      { message: 'unknown error' },
    ]);
  });

  it('assembles a progressive answer from its header and fragments', () => {
    const frames = [
      { FrameType: 'DataSetHeader', IsProgressive: true },
      {
        FrameType: 'TableHeader',
        TableId: 1,
        TableKind: 'PrimaryResult',
        Columns: [{ ColumnName: 'n', ColumnType: 'long' }],
      },
      { FrameType: 'TableFragment', TableId: 1, TableFragmentType: 'DataAppend', Rows: [[1], [2]] },
      { FrameType: 'TableFragment', TableId: 9, TableFragmentType: 'DataAppend', Rows: [[99]] },
      { FrameType: 'TableFragment', TableId: 1, TableFragmentType: 'DataReplace', Rows: [[3]] },
      { FrameType: 'TableFragment', TableId: 1, TableFragmentType: 'DataAppend', Rows: [[4]] },
      { FrameType: 'TableCompletion', TableId: 1, RowCount: 2 },
      { FrameType: 'DataSetCompletion', HasErrors: false },
    ];
    expect(readV2(frames)).toEqual({
      table: { columns: [{ name: 'n', type: 'long' }], rows: [[3], [4]] },
      errors: [],
    });
  });

  it('reports a completion with errors but no details', () => {
    expect(readV2([{ FrameType: 'DataSetCompletion', HasErrors: true }]).errors).toEqual([
      { message: 'query completed with errors' },
    ]);
  });

  it('rejects a body that is not a frame array', () => {
    expect(() => readV2({ Tables: [] })).toThrow(PermanentError);
    expect(() => readV2({ Tables: [] })).toThrow('Unexpected Kusto response: v2 body is not a frame array');
  });
});
