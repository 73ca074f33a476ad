import type { PartitionSpec, PathFormatPart } from '../state';
import {
  formatPathDatetime,
  partitionValue,
  renderPartitionPath,
  renderPathFormatText,
  stableHash,
} from './partitions';
import type { Column } from '../values';

const columns: Column[] = [
  { name: 'Timestamp', type: 'datetime' },
  { name: 'Customer', type: 'string' },
];
const ts = Date.UTC(2025, 1, 3, 14, 25, 7); // Monday 2025-02-03 14:25:07

describe('partitions', () => {
  it('computes partition values from the row', () => {
    const row = [ts, 'contoso'];
    const value = (spec: PartitionSpec): unknown => partitionValue(spec, columns, row);
    expect(value({ name: 'D', type: 'datetime', column: 'Timestamp', fn: 'startofday' })).toBe(
      Date.UTC(2025, 1, 3),
    );
    expect(value({ name: 'W', type: 'datetime', column: 'Timestamp', fn: 'startofweek' })).toBe(
      Date.UTC(2025, 1, 2),
    );
    expect(value({ name: 'M', type: 'datetime', column: 'Timestamp', fn: 'startofmonth' })).toBe(
      Date.UTC(2025, 1, 1),
    );
    expect(value({ name: 'Y', type: 'datetime', column: 'Timestamp', fn: 'startofyear' })).toBe(
      Date.UTC(2025, 0, 1),
    );
    expect(value({ name: 'H', type: 'datetime', column: 'Timestamp', fn: 'bin', arg: 3_600_000 })).toBe(
      Date.UTC(2025, 1, 3, 14),
    );
    expect(value({ name: 'C', type: 'string', column: 'Customer', fn: 'identity' })).toBe('contoso');
    const hash = value({ name: 'K', type: 'long', column: 'Customer', fn: 'hash', arg: 10 });
    expect(hash).toBe(stableHash('contoso', 10));
    expect(hash).toBeGreaterThanOrEqual(0);
    expect(hash).toBeLessThan(10);
    expect(
      partitionValue({ name: 'D', type: 'datetime', column: 'Timestamp', fn: 'startofday' }, columns, [
        null,
        'x',
      ]),
    ).toBeNull();
  });

  it('formats datetime_pattern in quoted and braced forms', () => {
    expect(formatPathDatetime(ts, 'yyyyMMdd')).toBe('20250203');
    expect(formatPathDatetime(ts, "'year='yyyy'/month='MM")).toBe('year=2025/month=02');
    expect(formatPathDatetime(ts, 'year={yyyy}/month={MM}/day={dd}')).toBe('year=2025/month=02/day=03');
    expect(formatPathDatetime(ts, 'yyyy/MM/dd/HH')).toBe('2025/02/03/14');
  });

  it('renders paths with pathformat, defaults and __DEFAULT_PARTITION__ for nulls', () => {
    const partitions: PartitionSpec[] = [
      { name: 'C', type: 'string', column: 'Customer', fn: 'identity' },
      { name: 'D', type: 'datetime', column: 'Timestamp', fn: 'startofday' },
    ];
    const pathFormat: PathFormatPart[] = [
      { kind: 'literal', text: 'customer=' },
      { kind: 'partition', partition: 'C' },
      { kind: 'literal', text: '/' },
      { kind: 'partition', partition: 'D', datetimePattern: 'yyyyMMdd' },
    ];
    const values = new Map<string, unknown>([
      ['C', 'contoso'],
      ['D', Date.UTC(2025, 1, 3)],
    ]) as Map<string, never>;
    expect(renderPartitionPath({ partitions, pathFormat }, values)).toBe('customer=contoso/20250203');
    expect(renderPartitionPath({ partitions, pathFormat: null }, values)).toBe('contoso/2025/02/03');
    expect(renderPartitionPath({ partitions, pathFormat }, new Map([['C', null]]))).toBe(
      'customer=__DEFAULT_PARTITION__/__DEFAULT_PARTITION__',
    );
    expect(renderPathFormatText(pathFormat)).toBe('"customer=" C "/" datetime_pattern("yyyyMMdd",D)');
    const monthly: PartitionSpec[] = [
      { name: 'M', type: 'datetime', column: 'Timestamp', fn: 'startofmonth' },
    ];
    expect(
      renderPartitionPath({ partitions: monthly, pathFormat: null }, new Map([['M', Date.UTC(2025, 1, 1)]])),
    ).toBe('2025/02');
    const hourly: PartitionSpec[] = [
      { name: 'H', type: 'datetime', column: 'Timestamp', fn: 'bin', arg: 3_600_000 },
    ];
    expect(
      renderPartitionPath(
        { partitions: hourly, pathFormat: null },
        new Map([['H', Date.UTC(2025, 1, 1, 5)]]),
      ),
    ).toBe('2025/02/01/05');
  });
});
