import { collectArtifacts } from '../../../lib/restore/artifacts';
import { fakeBlobs } from '../../helpers/restoreFakes';
import { MemoryCatalog } from '../../helpers/setupHarness';
import { CONTAINER, artifact } from './fixtures';

const spec = { database: 'Sales', table: 'Orders', containers: [CONTAINER], asOf: null, partitions: null };

async function catalogWith(...records: ReturnType<typeof artifact>[]): Promise<MemoryCatalog> {
  const catalog = new MemoryCatalog();
  await catalog.putArtifacts(records);
  return catalog;
}

describe('collectArtifacts', () => {
  it('takes committed catalog artifacts only, sorted by day then path', async () => {
    const catalog = await catalogWith(
      artifact('b.parquet', '2025-01-02'),
      artifact('a.parquet', '2025-01-02'),
      artifact('c.parquet', '2025-01-01', { numRecords: 3 }),
      artifact('pending.parquet', '2025-01-01', { state: 'pending' }),
      artifact('orphan.parquet', '2025-01-02', { state: 'orphan' }),
    );
    const blobs = fakeBlobs([]);
    const { artifacts, excluded } = await collectArtifacts({ catalog, blobs }, spec);
    expect(artifacts.map((a) => [a.path.split('/').slice(-2).join('/'), a.rows, a.origin])).toEqual([
      ['20250101/c.parquet', 3, 'catalog'],
      ['20250102/a.parquet', 10, 'catalog'],
      ['20250102/b.parquet', 10, 'catalog'],
    ]);
    expect(excluded).toEqual({ pending: 1, orphan: 1 });
  });

  it('leaves out artifacts committed after asOf (or with no commit time) and outside the partition range', async () => {
    const catalog = await catalogWith(
      artifact('early.parquet', '2025-01-01', { committedAt: '2025-03-01T00:00:00Z' }),
      artifact('late.parquet', '2025-01-01', { committedAt: '2025-03-01T00:00:01Z' }),
      artifact('unknown.parquet', '2025-01-01', { committedAt: null }),
      artifact('outside.parquet', '2025-02-01', { committedAt: '2025-02-02T00:00:00Z' }),
      artifact('nodate.parquet', null, { committedAt: '2025-02-02T00:00:00Z' }),
    );
    const { artifacts, excluded } = await collectArtifacts(
      { catalog, blobs: fakeBlobs([]) },
      {
        ...spec,
        asOf: new Date('2025-03-01T00:00:00Z'),
        partitions: { from: '2025-01-01', to: '2025-01-31' },
      },
    );
    expect(artifacts.map((a) => a.path.split('/').pop())).toEqual(['early.parquet']);
    expect(excluded).toEqual({ 'after-asOf': 1, 'no-commit-time': 1, 'outside-partitions': 2 });
  });

  it('lists a folder the catalog lacks, leaves out files it knows as orphans, and counts rows from footers', async () => {
    const catalog = await catalogWith(
      artifact('known.parquet', '2025-01-01'),
      // An orphan in a folder the catalog otherwise lacks: never restored.
      { ...artifact('dup.parquet', '2025-01-03'), state: 'orphan' },
    );
    const files = [
      { containerUrl: CONTAINER, name: 'Sales/Orders/20250101/known.parquet', rows: 10 },
      { containerUrl: CONTAINER, name: 'Sales/Orders/20250101/stray.parquet', rows: 99 },
      { containerUrl: CONTAINER, name: 'Sales/Orders/20250102/x.parquet', rows: 4 },
      { containerUrl: CONTAINER, name: 'Sales/Orders/20250102/notes.txt' },
      {
        containerUrl: CONTAINER,
        name: 'Sales/Orders/20250102/late.parquet',
        rows: 5,
        lastModified: new Date('2025-09-01T00:00:00Z'),
      },
      { containerUrl: CONTAINER, name: 'Sales/Orders/20250103/dup.parquet', rows: 10 },
      { containerUrl: CONTAINER, name: 'Sales/Orders/_tmp/y.parquet', rows: 1 },
      { containerUrl: CONTAINER, name: 'Sales/Other/20250102/z.parquet', rows: 1 },
    ];
    const blobs = fakeBlobs(files);
    const { artifacts, excluded } = await collectArtifacts(
      { catalog, blobs },
      { ...spec, asOf: new Date('2025-06-01T00:00:00Z') },
    );
    expect(
      artifacts.map((a) => [a.path.split('/').slice(-2).join('/'), a.rows, a.origin, a.partitionDate]),
    ).toEqual([
      ['20250101/known.parquet', 10, 'catalog', '2025-01-01'],
      ['20250102/x.parquet', 4, 'listing', '2025-01-02'],
    ]);
    expect(excluded).toEqual({ orphan: 1, 'after-asOf': 1 });
    expect(blobs.footersRead).toEqual([`${CONTAINER}/Sales/Orders/20250102/x.parquet`]);
    // Folders the catalog knows (20250101, and 20250103 through its orphan) are not listed.
    expect(blobs.listed).toEqual(['Sales/Orders/20250102/']);
  });

  it('lists the whole table when the catalog knows nothing of it', async () => {
    const blobs = fakeBlobs([
      { containerUrl: CONTAINER, name: 'Sales/Orders/20250101/a.parquet', rows: 2 },
      { containerUrl: CONTAINER, name: 'Sales/Orders/b.parquet', rows: 3 },
    ]);
    const { artifacts } = await collectArtifacts({ catalog: new MemoryCatalog(), blobs }, spec);
    expect(artifacts.map((a) => [a.partitionDate, a.rows])).toEqual([
      [null, 3],
      ['2025-01-01', 2],
    ]);
  });
});
