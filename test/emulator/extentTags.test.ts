/**
 * `findExtentTag` answers exactly what a scan of the table's extents would, whatever changed the
 * extent list in between, and stays fast at the scale of a 100,000-artifact restore.
 */
import { findExtentTag } from './extentTags';
import type { Extent, Table } from './state';

let ids = 0;
const extent = (...tags: string[]): Extent => ({
  id: `e${++ids}`,
  rows: [[1]],
  columns: ['x'],
  deleted: [false],
  ingestionTime: null,
  cursor: 0n,
  creationTime: 0,
  tags,
});
const newTable = (): Table => ({
  name: 'T',
  columns: [{ name: 'x', type: 'long' }],
  folder: '',
  docString: '',
  extents: [],
  ingestionTimePolicy: true,
});
/** The answer of a plain scan, which the index must always agree with. */
const scan = (t: Table, tags: string[]) => tags.find((tag) => t.extents.some((e) => e.tags.includes(tag)));

test('agrees with a scan after appends, removals, replacements, reorders and a cleared table', () => {
  const t = newTable();
  const check = (...tags: string[]) => expect(findExtentTag(t, tags)).toBe(scan(t, tags));
  check('ingest-by:a');
  t.extents.push(extent('ingest-by:a'), extent('drop-by:x', 'ingest-by:b'));
  check('ingest-by:b');
  check('ingest-by:zzz', 'ingest-by:a');
  t.extents.push(extent('ingest-by:c'));
  check('ingest-by:c');
  // A removal in the middle (a move by id, a purge emptying an extent), then an append.
  t.extents.splice(1, 1);
  t.extents.push(extent('ingest-by:d'));
  check('ingest-by:b');
  check('ingest-by:d');
  // The first extent replaced by one with other tags (as a delete replaces an extent).
  t.extents[0] = extent('ingest-by:e');
  check('ingest-by:a');
  check('ingest-by:e');
  // Reordered without a change of length.
  t.extents.reverse();
  check('ingest-by:c', 'ingest-by:e');
  // `.clear table data` / `.move extents all` replace the array.
  t.extents = [];
  check('ingest-by:c');
  t.extents.push(extent('ingest-by:c'));
  check('ingest-by:c');
  expect(findExtentTag(t, [])).toBeUndefined();
});

test('an append-only table of 100,000 extents is looked up incrementally (no scan per ingestion)', () => {
  const t = newTable();
  let found = 0;
  for (let i = 0; i < 100_000; i++) {
    if (findExtentTag(t, [`ingest-by:k${i}`]) !== undefined) found++;
    t.extents.push(extent(`ingest-by:k${i}`));
  }
  expect(found).toBe(0);
  expect(findExtentTag(t, ['ingest-by:k99999'])).toBe('ingest-by:k99999');
  // A scan per ingestion would make this quadratic: minutes, beyond the test's timeout.
});
