import { sweepTable } from '../../../lib/catalog/sweep';
import { indexArtifacts } from '../../../lib/catalog/tableIndex';
import { FakeBlobs, FakeCatalog, artifact } from '../../helpers/catalogFakes';

const C1 = 'https://acct.blob.core.windows.net/backup';
const C2 = 'https://other.blob.core.windows.net/backup2';

it('catalogues unknown artifacts of the table in configured and catalogued containers, and nothing else', async () => {
  const blobs = new FakeBlobs();
  const catalog = new FakeCatalog();
  const known = artifact(`${C1}/db/T/20260101/known.parquet`);
  await catalog.putArtifacts([known, artifact(`${C2}/db/T/20260101/elsewhere.parquet`)]);
  blobs.add(known.path);
  blobs.add(`${C1}/db/T/20260102/lost.parquet`, new Uint8Array(42));
  blobs.add(`${C2}/db/T/20260103/lost2.parquet`);
  blobs.add(`${C1}/db/T/20260102/notes.txt`);
  blobs.add(`${C1}/db/Tx/20260102/other-table.parquet`);
  const index = indexArtifacts(await catalog.listArtifacts('db', 'T'));
  const result = await sweepTable(
    { blobs, catalog, containers: [`${C1}/`] },
    { database: 'db', table: 'T' },
    index,
  );
  expect(result.containers).toEqual([C1, C2]);
  expect(result.swept.map((a) => [a.path, a.state, a.source, a.partitionDate, a.sizeInBytes])).toEqual([
    [`${C1}/db/T/20260102/lost.parquet`, 'pending', 'sweep', '2026-01-02', 42],
    [`${C2}/db/T/20260103/lost2.parquet`, 'pending', 'sweep', '2026-01-03', 10],
  ]);
  expect([...result.listing.keys()].sort()).toEqual([
    `${C1}/db/T/20260101/known.parquet`,
    `${C1}/db/T/20260102/lost.parquet`,
    `${C2}/db/T/20260103/lost2.parquet`,
  ]);
  expect(index.has(`${C1}/db/T/20260102/lost.parquet`)).toBe(true);
  // Nothing new: an empty sweep.
  expect(
    (await sweepTable({ blobs, catalog, containers: [C1] }, { database: 'db', table: 'T' }, index)).swept,
  ).toEqual([]);
});
