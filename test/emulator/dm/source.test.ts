import { gzipSync } from 'node:zlib';
import { writeParquet } from '../parquet';
import { parseIngestionOptions } from './properties';
import { readSource, recordCount } from './source';

const opts = (bag: Record<string, unknown>): ReturnType<typeof parseIngestionOptions> =>
  parseIngestionOptions(bag);

describe('readSource', () => {
  it('reads delimited text, dropping the first record when asked', async () => {
    const data = await readSource(gzipSync('h1,h2\n1,2\n'), opts({ format: 'csv', ignoreFirstRecord: true }));
    expect(data).toEqual({ kind: 'fields', records: [['1', '2']] });
    expect(await readSource(Buffer.from('1\t2\n'), opts({ format: 'tsv' }))).toEqual({
      kind: 'fields',
      records: [['1', '2']],
    });
    expect(await readSource(Buffer.from('x,y\nz'), opts({ format: 'txt' }))).toEqual({
      kind: 'fields',
      records: [['x,y'], ['z']],
    });
    expect(await readSource(Buffer.from('x\ny'), opts({ format: 'raw' }))).toEqual({
      kind: 'fields',
      records: [['x\ny']],
    });
  });

  it('reads json records and typed parquet columns', async () => {
    expect(await readSource(Buffer.from('{"a":1}'), opts({ format: 'multijson' }))).toEqual({
      kind: 'objects',
      records: [{ a: 1 }],
    });
    const parquet = writeParquet(
      [
        { name: 'n', type: 'long' },
        { name: 's', type: 'string' },
      ],
      [[1, 'x']],
    );
    const data = await readSource(parquet, opts({ format: 'parquet' }));
    expect(data).toEqual({
      kind: 'typed',
      columns: [
        { name: 'n', type: 'long' },
        { name: 's', type: 'string' },
      ],
      rows: [[1, 'x']],
    });
    expect(recordCount(data)).toBe(1);
  });

  it('fails data with no records and files that are not parquet', async () => {
    await expect(
      readSource(Buffer.from('header\n'), opts({ ignoreFirstRecord: true })),
    ).rejects.toMatchObject({
      code: 'Stream_NoDataToIngest',
    });
    await expect(readSource(Buffer.from('\n\n'), opts({ format: 'json' }))).rejects.toMatchObject({
      code: 'Stream_NoDataToIngest',
    });
    await expect(readSource(Buffer.from('a,b\n'), opts({ format: 'parquet' }))).rejects.toMatchObject({
      code: 'BadRequest_InvalidBlob',
      permanent: true,
    });
  });
});
