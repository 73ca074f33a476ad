import { gunzipSync } from 'node:zlib';
import { decodeArtifact, encodeArtifact, estimateRowBytes, exportFormat, extensionOf } from './formats';
import type { Column, KValue } from '../values';

const columns: Column[] = [
  { name: 'ts', type: 'datetime' },
  { name: 's', type: 'string' },
  { name: 'n', type: 'long' },
  { name: 'd', type: 'dynamic' },
  { name: 't', type: 'timespan' },
];
const rows: KValue[][] = [
  [Date.UTC(2025, 0, 2, 3, 4, 5, 600), 'plain', 1, { a: 1 }, 90_000],
  [null, 'with, comma and "quote"\nline', null, null, null],
];

describe('artifact formats', () => {
  it('writes csv the way Kusto renders values, with an optional header', () => {
    const text = Buffer.from(
      encodeArtifact('csv', columns, rows, { header: true, compressed: false }),
    ).toString();
    expect(text).toBe(
      'ts,s,n,d,t\n2025-01-02T03:04:05.6000000Z,plain,1,"{""a"":1}",00:01:30\n,"with, comma and ""quote""\nline",,,\n',
    );
  });

  it('round-trips every text format and parquet, gzip included', async () => {
    for (const format of ['csv', 'tsv', 'json', 'parquet'] as const) {
      for (const compressed of [false, true]) {
        const bytes = encodeArtifact(format, columns, rows, { header: format !== 'json', compressed });
        const back = await decodeArtifact(format, bytes, columns, format !== 'json', 'f');
        // Text formats cannot tell an empty string from null; everything else comes back exactly.
        expect(back[0]).toEqual(rows[0]);
        expect(back[1]![1]).toBe(rows[1]![1]);
      }
    }
    expect(
      Buffer.from(
        gunzipSync(encodeArtifact('json', columns, rows.slice(0, 1), { header: false, compressed: true })),
      ).toString(),
    ).toBe('{"ts":"2025-01-02T03:04:05.6000000Z","s":"plain","n":1,"d":{"a":1},"t":"00:01:30"}\n');
  });

  it('names extensions and rejects formats export does not support', () => {
    expect(extensionOf('csv', true)).toBe('csv.gz');
    expect(extensionOf('parquet', true)).toBe('parquet');
    expect(() => exportFormat('avro')).toThrow(/not supported for export/);
    expect(estimateRowBytes(['abc', 1, null])).toBeGreaterThan(10);
  });

  it('reports a corrupt artifact', async () => {
    await expect(
      decodeArtifact(
        'parquet',
        new Uint8Array([0x50, 0x41, 0x52, 0x31, 1, 2, 3]),
        columns,
        false,
        'x.parquet',
      ),
    ).rejects.toThrow(/Failed to read external data artifact 'x.parquet'/);
  });
});
