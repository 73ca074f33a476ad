import { choosePartitionColumn } from '../../../lib/domain/partitioning';
import { ValidationError } from '../../../lib/errors';

const cols = [
  { name: 'Id', type: 'long' },
  { name: 'Created', type: 'datetime' },
  { name: 'EventTimestamp', type: 'datetime' },
  { name: 'Name', type: 'string' },
];

test('prefers a column named like Timestamp, then the first datetime', () => {
  expect(choosePartitionColumn('T', cols, undefined)).toBe('EventTimestamp');
  expect(choosePartitionColumn('T', [...cols, { name: 'timestamp', type: 'datetime' }], undefined)).toBe(
    'timestamp',
  );
  expect(
    choosePartitionColumn(
      'T',
      cols.filter((c) => c.name !== 'EventTimestamp'),
      undefined,
    ),
  ).toBe('Created');
});

test('no datetime column means unpartitioned', () => {
  expect(choosePartitionColumn('T', [{ name: 'Id', type: 'long' }], undefined)).toBeNull();
});

test('an override wins and must be an existing datetime column', () => {
  expect(choosePartitionColumn('T', cols, 'Created')).toBe('Created');
  expect(() => choosePartitionColumn('T', cols, 'Name')).toThrow(/must be a datetime/);
  expect(() => choosePartitionColumn('T', cols, 'Nope')).toThrow(ValidationError);
  try {
    choosePartitionColumn('T', cols, 'Nope');
  } catch (e) {
    expect((e as ValidationError).field).toBe('partitionColumns.T');
  }
});
