import { parquetMetadata } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { KUSTO_SCHEMA_KEY, readParquet, readParquetRowCount, writeParquet } from './parquet';
import { ALL_TYPES } from './values';
import type { Column, KValue } from './values';

const columns: Column[] = ALL_TYPES.map((type) => ({ name: `c_${type}`, type }));

/** One row per interesting value set, plus an all-null row. */
const rows: KValue[][] = [
  [
    true,
    42,
    9_007_199_254_740_000,
    3.25,
    12.5,
    'hello',
    Date.UTC(2025, 0, 2, 3, 4, 5, 678) + 0.9,
    90_061_004.5,
    '0e3f6c7e-6b39-4a4e-9f0b-1e2d3c4b5a69',
    { a: [1, 'x'], b: null },
  ],
  [
    false,
    -2_147_483_648,
    -1,
    -0.5,
    0,
    'ünïcødé, "quoted"\nnewline',
    0,
    -1_000,
    'ffffffff-0000-4000-a000-000000000000',
    [1, 2, 3],
  ],
  ALL_TYPES.map(() => null),
  [null, 7, null, Number.MAX_VALUE, null, '', Date.UTC(1970, 0, 1), 0, null, 'a string'],
];

describe('parquet', () => {
  it('round-trips every Kusto type, including nulls, exactly', async () => {
    const bytes = writeParquet(columns, rows);
    expect(Buffer.from(bytes.subarray(0, 4)).toString()).toBe('PAR1');
    const back = await readParquet(bytes);
    expect(back.columns).toEqual(columns);
    expect(back.rows).toEqual(rows);
  });

  it('writes standard physical/logical types, all OPTIONAL and SNAPPY, with the Kusto schema in the footer', () => {
    const meta = parquetMetadata(writeParquet(columns, rows.slice(0, 1)).slice().buffer);
    const byName = new Map(meta.schema.slice(1).map((e) => [e.name, e]));
    expect(byName.get('c_int')?.type).toBe('INT32');
    expect(byName.get('c_long')?.type).toBe('INT64');
    expect(byName.get('c_real')?.type).toBe('DOUBLE');
    expect(byName.get('c_bool')?.type).toBe('BOOLEAN');
    expect(byName.get('c_string')).toMatchObject({ type: 'BYTE_ARRAY', converted_type: 'UTF8' });
    expect(byName.get('c_datetime')).toMatchObject({
      type: 'INT64',
      logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' },
    });
    expect(meta.schema.slice(1).every((e) => e.repetition_type === 'OPTIONAL')).toBe(true);
    expect(meta.row_groups[0]?.columns.every((c) => c.meta_data?.codec === 'SNAPPY')).toBe(true);
    expect(meta.key_value_metadata?.find((kv) => kv.key === KUSTO_SCHEMA_KEY)?.value).toBe(
      'c_bool:bool,c_int:int,c_long:long,c_real:real,c_decimal:decimal,c_string:string,c_datetime:datetime,c_timespan:timespan,c_guid:guid,c_dynamic:dynamic',
    );
  });

  it('reads files written by another tool from their parquet types (no Kusto schema in the footer)', async () => {
    const foreign = parquetWriteBuffer({
      columnData: [
        { name: 'ts', data: [new Date('2025-03-01T00:00:00Z'), null], type: 'TIMESTAMP', nullable: true },
        { name: 'n', data: [1n, 2n], type: 'INT64', nullable: true },
        { name: 'i', data: [1, null], type: 'INT32', nullable: true },
        { name: 's', data: ['x', null], type: 'STRING', nullable: true },
        { name: 'j', data: [{ k: 1 }, null], type: 'JSON', nullable: true },
        { name: 'd', data: [0.5, 1.5], type: 'DOUBLE' },
        { name: 'b', data: [true, false], type: 'BOOLEAN' },
      ],
    });
    const back = await readParquet(new Uint8Array(foreign));
    expect(back.columns).toEqual([
      { name: 'ts', type: 'datetime' },
      { name: 'n', type: 'long' },
      { name: 'i', type: 'int' },
      { name: 's', type: 'string' },
      { name: 'j', type: 'dynamic' },
      { name: 'd', type: 'real' },
      { name: 'b', type: 'bool' },
    ]);
    expect(back.rows).toEqual([
      [Date.UTC(2025, 2, 1), 1, 1, 'x', { k: 1 }, 0.5, true],
      [null, 2, null, null, null, 1.5, false],
    ]);
  });

  it('handles empty files and counts rows from the footer', async () => {
    const empty = writeParquet(columns, []);
    expect(readParquetRowCount(empty)).toBe(0);
    expect((await readParquet(empty)).rows).toEqual([]);
    expect(readParquetRowCount(writeParquet(columns, rows))).toBe(rows.length);
  });

  it('writes several row groups and reads them back in order', async () => {
    const cols: Column[] = [
      { name: 'k', type: 'long' },
      { name: 's', type: 'string' },
    ];
    const many: KValue[][] = Array.from({ length: 2_500 }, (_, k) => [k, k % 3 === 0 ? null : `v${k}`]);
    const bytes = writeParquet(cols, many, { rowGroupSize: 1_000 });
    expect(parquetMetadata(bytes.slice().buffer).row_groups).toHaveLength(3);
    expect((await readParquet(bytes)).rows).toEqual(many);
  });

  it('writes and reads 50k rows of five columns quickly', async () => {
    const cols: Column[] = [
      { name: 'i', type: 'int' },
      { name: 'l', type: 'long' },
      { name: 's', type: 'string' },
      { name: 'r', type: 'real' },
      { name: 't', type: 'datetime' },
    ];
    const n = 50_000;
    const base = Date.UTC(2025, 0, 1);
    const data: KValue[][] = Array.from({ length: n }, (_, k) => [
      k,
      k * 1000,
      `name-${k % 1000}-${k}`,
      k / 7,
      base + k,
    ]);
    const bytes = writeParquet(cols, data);
    const back = await readParquet(bytes);
    expect(back.rows.length).toBe(n);
    expect(back.rows[n - 1]).toEqual(data[n - 1]);
  });
});
