import { footerRowCount, footerRowsByDay } from '../../../lib/verify/footers';
import { writeParquet } from '../../emulator/parquet';
import { FakeBlobs, artifact } from '../../helpers/catalogFakes';

const A = 'https://acct.blob.core.windows.net/backup/db/T';
const parquet = (rows: number) =>
  writeParquet(
    [
      { name: 'Id', type: 'long' },
      { name: 'Text', type: 'string' },
    ],
    Array.from({ length: rows }, (_, i) => [i, `row ${i * 7919}`]),
  );

it('reads the row count from the footer with ranged reads only', async () => {
  const blobs = new FakeBlobs();
  // A file much larger than the 64 KiB first read: only its tail is fetched.
  const big = parquet(30_000);
  expect(big.byteLength).toBeGreaterThan(4 * 65_536);
  blobs.add(`${A}/20260101/big.parquet`, big);
  expect(await footerRowCount(blobs, `${A}/20260101/big.parquet`, big.byteLength)).toBe(30_000);
  expect(blobs.reads).toEqual([
    { url: `${A}/20260101/big.parquet`, offset: big.byteLength - 65_536, count: 65_536 },
  ]);
  // Without a size from the catalog it asks storage for it.
  expect(await footerRowCount(blobs, `${A}/20260101/big.parquet`, null)).toBe(30_000);
});

it('adds rows per day and reports missing, truncated and mis-sized files as unreadable', async () => {
  const blobs = new FakeBlobs();
  const good = parquet(7);
  blobs.add(`${A}/20260101/a.parquet`, good);
  blobs.add(`${A}/20260101/b.parquet`, parquet(5));
  blobs.add(`${A}/20260102/truncated.parquet`, good.slice(0, good.byteLength - 10));
  const byDay = await footerRowsByDay(blobs, [
    artifact(`${A}/20260101/a.parquet`, { sizeInBytes: good.byteLength }),
    artifact(`${A}/20260101/b.parquet`, { sizeInBytes: null }),
    artifact(`${A}/20260102/truncated.parquet`, { sizeInBytes: null }),
    artifact(`${A}/20260102/missing.parquet`, { sizeInBytes: 100 }),
    artifact(`${A}/20260103/wrong-size.parquet`, {
      path: `${A}/20260101/a.parquet`,
      partitionDate: '2026-01-03',
      sizeInBytes: good.byteLength + 5,
    }),
  ]);
  expect(byDay.get('2026-01-01')).toEqual({ rows: 12, unreadable: [] });
  expect(byDay.get('2026-01-02')!.rows).toBe(0);
  expect(byDay.get('2026-01-02')!.unreadable.map((u) => u.path)).toEqual([
    `${A}/20260102/truncated.parquet`,
    `${A}/20260102/missing.parquet`,
  ]);
  expect(byDay.get('2026-01-03')!.unreadable).toHaveLength(1);
});
