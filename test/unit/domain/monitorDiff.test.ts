import { assessDatabase, needsFailures, recordProblems } from '../../../lib/domain/monitorDiff';
import {
  COLS,
  MINUTE,
  NOW,
  POLICY,
  exportOf,
  healthy,
  live,
  record,
  schemaOf,
} from '../../helpers/monitorFixtures';

const states = (s: ReturnType<typeof assessDatabase>) => s.map((a) => [a.table, a.state]);

test('the empty diff: every backed-up table healthy, nothing to read or do', () => {
  const out = assessDatabase(healthy(['A', 'B']));
  expect(states(out)).toEqual([
    ['A', 'healthy'],
    ['B', 'healthy'],
  ]);
  expect(out.map((a) => [a.latenessMs, a.drift, a.externalTableMissing, a.problems])).toEqual([
    [2 * MINUTE, null, false, []],
    [2 * MINUTE, null, false, []],
  ]);
  expect(out.filter(needsFailures)).toEqual([]);
});

test('late, failing, disabled: disabled wins, then failing, then late', () => {
  const old = new Date(NOW.getTime() - 90 * MINUTE);
  const out = assessDatabase(
    healthy(['L', 'F', 'D'], {
      exports: [
        exportOf('L', { exportedTo: old }),
        exportOf('F', { lastRunResult: 'Failed', exportedTo: old }),
        exportOf('D', { isDisabled: true, lastRunResult: 'Failed', exportedTo: old }),
      ],
    }),
  );
  expect(states(out)).toEqual([
    ['D', 'disabled'],
    ['F', 'failing'],
    ['L', 'late'],
  ]);
  expect(out[2]!.latenessMs).toBe(90 * MINUTE);
  expect(out.every(needsFailures)).toBe(true);
});

test('an export that never ran has no lateness and is not late', () => {
  const [a] = assessDatabase(healthy(['A'], { exports: [exportOf('A', { exportedTo: undefined })] }));
  expect([a!.state, a!.latenessMs]).toEqual(['healthy', null]);
});

test('drift: added, removed, retyped and reordered columns against the provisioned ones', () => {
  const tables = ['Added', 'Removed', 'Retyped', 'Reordered'];
  const out = assessDatabase(
    healthy(tables, {
      schema: schemaOf(
        [
          live('Added', [...COLS, { name: 'Region', type: 'string' }]),
          live('Removed', [COLS[0]]),
          live('Retyped', [COLS[0], { name: 'Id', type: 'string' }]),
          live('Reordered', [COLS[1], COLS[0]]),
        ],
        tables,
      ),
    }),
  );
  expect(out.every((a) => a.state === 'drifted')).toBe(true);
  expect(out.map((a) => a.drift)).toEqual([
    { added: ['Region'], removed: [], retyped: [], reordered: false },
    { added: [], removed: ['Id'], retyped: [], reordered: false },
    { added: [], removed: [], retyped: [], reordered: true },
    { added: [], removed: [], retyped: [{ name: 'Id', from: 'long', to: 'string' }], reordered: false },
  ]);
});

test('an external table missing from the schema makes the table failing; an unlisted map proves nothing', () => {
  const listed = assessDatabase(healthy(['A'], { schema: schemaOf([live('A')], []) }));
  expect([listed[0]!.state, listed[0]!.externalTableMissing]).toEqual(['failing', true]);
  const unlisted = assessDatabase(
    healthy(['A'], { schema: { ...schemaOf([live('A')], []), externalTablesListed: false } }),
  );
  expect([unlisted[0]!.state, unlisted[0]!.externalTableMissing]).toEqual(['healthy', false]);
});

test('new tables, per the policy, are missing with what setup provisions; own and excluded tables are not', () => {
  const snapshot = healthy(['A'], {
    policy: { ...POLICY, exclude: ['tmp_*'], partitionColumns: { New: 'Timestamp' } },
    schema: schemaOf([live('A'), live('New'), live('tmp_x'), live('adxbackup_staging')], ['A']),
  });
  const out = assessDatabase(snapshot);
  expect(states(out)).toEqual([
    ['A', 'healthy'],
    ['New', 'missing'],
  ]);
  expect(out[1]!.setup).toEqual({
    name: 'New',
    columns: COLS.map((c) => ({ ...c })),
    partitionColumn: 'Timestamp',
  });
});

test('a table the policy cannot set up is missing without a setup, with the reason', () => {
  const out = assessDatabase(
    healthy([], {
      policy: { ...POLICY, partitionColumns: { New: 'Id', Ghost: 'Timestamp' } },
      schema: schemaOf([live('New')], []),
    }),
  );
  expect(out).toHaveLength(1);
  expect(out[0]).toMatchObject({
    table: 'New',
    state: 'missing',
    problems: [expect.stringContaining('datetime')],
  });
  expect(out[0]!.setup).toBeUndefined();
});

test('a record whose export is gone is missing and set up again (only while the policy selects it)', () => {
  const gone = assessDatabase(healthy(['A'], { exports: [] }));
  expect(gone[0]).toMatchObject({ state: 'missing', setup: { name: 'A' } });
  const excluded = assessDatabase(healthy(['A'], { exports: [], policy: { ...POLICY, exclude: ['A'] } }));
  expect(excluded[0]).toMatchObject({
    state: 'missing',
    problems: [expect.stringMatching(/no longer selects/)],
  });
  expect(excluded[0]!.setup).toBeUndefined();
});

test('a table gone from the source is source-dropped, whatever its export says', () => {
  const out = assessDatabase(
    healthy(['A'], { schema: schemaOf([], ['A']), exports: [exportOf('A', { lastRunResult: 'Failed' })] }),
  );
  expect(states(out)).toEqual([['A', 'source-dropped']]);
  expect(needsFailures(out[0]!)).toBe(false);
});

test('unreadable and invalid records are invalid, with every reason', () => {
  const out = assessDatabase(
    healthy(['A'], {
      records: [
        { table: 'A', error: 'unreadable record: Unexpected token' },
        { table: 'B', record: record('B', { state: 'weird' as never, exportName: 'x', columns: [] }) },
      ],
      schema: schemaOf([live('A'), live('B')], ['A', 'B']),
    }),
  );
  expect(out.map((a) => [a.table, a.state, a.problems])).toEqual([
    ['A', 'invalid', ['unreadable record: Unexpected token']],
    [
      'B',
      'invalid',
      [
        "state 'weird' is not a known state",
        "exportName 'x' is not ours",
        'columns: must list at least one column',
      ],
    ],
  ]);
});

test('recordProblems checks column names, types and the partition column', () => {
  expect(recordProblems(record('A'), 'A')).toEqual([]);
  expect(
    recordProblems(
      record('A', { columns: [{ name: 'Id', type: 'decimalish' }], partitionColumn: 'Timestamp' }),
      'A',
    ),
  ).toEqual([
    expect.stringMatching(/^columns\[0\]\.type: must be one of/),
    "partitionColumn 'Timestamp' is not a datetime column of the record",
  ]);
});
