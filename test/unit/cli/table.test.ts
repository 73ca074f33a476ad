import { renderTable } from '../../../lib/cli/table';

test('columns are padded to their widest cell', () => {
  expect(
    renderTable(
      ['table', 'rows'],
      [
        ['MyTestTable', 5],
        ['Ev', 120000],
      ],
    ).split('\n'),
  ).toEqual(['table        rows', '-----------  ------', 'MyTestTable  5', 'Ev           120000']);
});
