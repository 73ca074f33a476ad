import type { ArtifactLocation } from '../../../lib/deletions/artifactLocation';
import { scrubArtifacts, type ArtifactScrubContext } from '../../../lib/deletions/scrubArtifacts';
import type { ArtifactRecord } from '../../../lib/storage/catalog';

/**
 * A model of backup storage seen through the scrub reader: files are lists of customer names and the
 * predicate is `Customer == 'alice'`. Pointing, counting and exporting behave like the ADX commands.
 */
function storage(files: Record<string, string[] | 'corrupt'>) {
  const blobs = new Map(Object.entries(files));
  const calls: string[] = [];
  let selection: { folder: string; prefix: string | undefined } = { folder: '', prefix: undefined };
  let written = 0;
  let exportShortBy = 0;
  const selected = () =>
    [...blobs].filter(([url]) => {
      const folder = url.slice(0, url.lastIndexOf('/'));
      const name = url.slice(url.lastIndexOf('/') + 1);
      return (
        folder === selection.folder && (selection.prefix === undefined || name.startsWith(selection.prefix))
      );
    });
  const reader: ArtifactScrubContext['reader'] = {
    point(location: ArtifactLocation, fileName?: string) {
      calls.push(`point ${location.folderUrl.split('/').pop()}${fileName ? `/${fileName}` : ''}`);
      selection = { folder: location.folderUrl, prefix: fileName };
      return Promise.resolve();
    },
    count() {
      const files = selected();
      if (files.some(([, rows]) => rows === 'corrupt')) return Promise.reject(new Error('corrupt parquet'));
      const rows = files.flatMap(([, r]) => r as string[]);
      return Promise.resolve({ total: rows.length, matching: rows.filter((r) => r === 'alice').length });
    },
    exportKept(location: ArtifactLocation, namePrefix: string) {
      const kept = selected()
        .flatMap(([, r]) => r as string[])
        .filter((r) => r !== 'alice')
        .slice(exportShortBy);
      if (kept.length === 0) return Promise.resolve([]);
      const url = `${location.folderUrl}/${namePrefix}_${++written}.parquet`;
      blobs.set(url, kept);
      return Promise.resolve([{ path: url, numRecords: kept.length, sizeInBytes: 100 }]);
    },
  };
  return {
    blobs,
    calls,
    reader,
    shortExports: (n: number) => (exportShortBy = n),
    remover: {
      deleteIfExists: (url: string) => {
        blobs.delete(url);
        return Promise.resolve();
      },
    },
  };
}

const BASE = 'https://acct1.blob.core.windows.net/backup/Sales/Orders';
const artifact = (
  path: string,
  state: ArtifactRecord['state'],
  numRecords: number | null = null,
): ArtifactRecord => ({
  database: 'Sales',
  table: 'Orders',
  path,
  partitionDate: path.includes('/2026') ? `2026-01-0${path.split('/20260')[1]!.charAt(2)}` : null,
  numRecords,
  sizeInBytes: 1,
  source: 'continuous',
  state,
  committedAt: '2026-01-01T00:00:00.000Z',
  chunkId: null,
});

function context(model: ReturnType<typeof storage>) {
  const puts: ArtifactRecord[][] = [];
  const ctx: ArtifactScrubContext = {
    reader: model.reader,
    catalog: { putArtifacts: (a) => Promise.resolve(void puts.push([...a])) },
    blobs: model.remover,
    namePrefix: 'scrub_t1',
    now: () => new Date('2026-02-01T00:00:00Z'),
  };
  return { ctx, puts };
}

test('rewrites committed files holding matches, drops fully matching ones, deletes matching orphans, counts pending', async () => {
  const model = storage({
    [`${BASE}/20260101/c1.parquet`]: ['alice', 'bob', 'alice'],
    [`${BASE}/20260101/c2.parquet`]: ['bob', 'bob'],
    [`${BASE}/20260101/o1.parquet`]: ['alice'],
    [`${BASE}/20260101/p1.parquet`]: ['alice'],
    [`${BASE}/20260102/c3.parquet`]: ['carol', 'carol'],
    [`${BASE}/20260103/c4.parquet`]: ['alice', 'alice'],
  });
  const { ctx, puts } = context(model);
  const tally = await scrubArtifacts(ctx, [
    artifact(`${BASE}/20260101/c1.parquet`, 'committed', 3),
    artifact(`${BASE}/20260101/c2.parquet`, 'committed', 2),
    artifact(`${BASE}/20260101/o1.parquet`, 'orphan'),
    artifact(`${BASE}/20260101/p1.parquet`, 'pending'),
    artifact(`${BASE}/20260102/c3.parquet`, 'committed', 2),
    artifact(`${BASE}/20260103/c4.parquet`, 'committed', 2),
  ]);

  expect(tally).toMatchObject({
    examined: 3,
    rewritten: 1,
    removed: 1,
    rowsRemoved: 4,
    orphansDeleted: 1,
    pendingWithMatches: 1,
    failures: [],
    unverified: [],
  });
  // What storage holds now: no committed file with a match; the pending file is untouched.
  expect([...model.blobs].map(([url, rows]) => [url.replace(`${BASE}/`, ''), rows])).toEqual([
    ['20260101/c2.parquet', ['bob', 'bob']],
    ['20260101/p1.parquet', ['alice']],
    ['20260102/c3.parquet', ['carol', 'carol']],
    ['20260101/scrub_t1_1.parquet', ['bob']],
  ]);
  // The folder without matches was looked at once, as a whole.
  expect(model.calls.filter((c) => c.startsWith('point 20260102'))).toEqual(['point 20260102']);
  // Each swap is one catalog write: the new file committed (same partition day), the old one orphaned.
  expect(puts).toEqual([
    [
      expect.objectContaining({
        path: `${BASE}/20260101/scrub_t1_1.parquet`,
        state: 'committed',
        source: 'scrub',
        numRecords: 1,
        partitionDate: '2026-01-01',
        committedAt: '2026-02-01T00:00:00.000Z',
      }),
      expect.objectContaining({ path: `${BASE}/20260101/c1.parquet`, state: 'orphan', source: 'continuous' }),
    ],
    [expect.objectContaining({ path: `${BASE}/20260103/c4.parquet`, state: 'orphan' })],
  ]);
  expect(tally.replacements).toEqual([
    { from: `${BASE}/20260101/c1.parquet`, to: [`${BASE}/20260101/scrub_t1_1.parquet`] },
    { from: `${BASE}/20260103/c4.parquet`, to: [] },
  ]);
});

test('a file that disagrees with the catalog, or a rewrite that lost rows, is a failure and nothing is swapped', async () => {
  const model = storage({
    [`${BASE}/20260101/c1.parquet`]: ['alice', 'bob'],
    [`${BASE}/20260102/c2.parquet`]: ['alice', 'bob', 'bob'],
    [`${BASE}/20260103/gone.parquet`]: ['alice'],
  });
  model.shortExports(1);
  const { ctx, puts } = context(model);
  const tally = await scrubArtifacts(ctx, [
    artifact(`${BASE}/20260101/c1.parquet`, 'committed', 5),
    artifact(`${BASE}/20260102/c2.parquet`, 'committed', 3),
    artifact(`${BASE}/20260103/missing.parquet`, 'committed'),
    artifact('https://acct1.blob.core.windows.net/backup?sig=x', 'committed'),
    artifact('not a url', 'orphan'),
  ]);
  expect(tally.failures.map((f) => [f.path.replace(`${BASE}/`, ''), f.error])).toEqual([
    [
      'https://acct1.blob.core.windows.net/backup?sig=x',
      'path: must not contain credentials, a query (SAS) or a fragment',
    ],
    ['20260101/c1.parquet', 'the artifact holds 2 rows but the catalog records 5'],
    ['20260102/c2.parquet', 'the rewrite holds 1 rows, expected 2; nothing was swapped'],
    ['20260103/missing.parquet', 'the artifact is missing or holds no readable rows'],
  ]);
  expect(tally.unverified.map((u) => u.path)).toEqual(['not a url']);
  expect(puts).toEqual([]);
  // The short rewrite was cleaned up; the originals are intact.
  expect([...model.blobs.keys()].map((u) => u.replace(`${BASE}/`, '')).sort()).toEqual([
    '20260101/c1.parquet',
    '20260102/c2.parquet',
    '20260103/gone.parquet',
  ]);
});

test('a folder that cannot be read as a whole is scrubbed file by file', async () => {
  const model = storage({
    [`${BASE}/20260101/c1.parquet`]: ['alice', 'bob'],
    [`${BASE}/20260101/partial.parquet`]: 'corrupt',
  });
  const { ctx } = context(model);
  const tally = await scrubArtifacts(ctx, [
    artifact(`${BASE}/20260101/c1.parquet`, 'committed', 2),
    artifact(`${BASE}/20260101/partial.parquet`, 'orphan'),
  ]);
  expect(tally).toMatchObject({ rewritten: 1, rowsRemoved: 1, failures: [] });
  expect(tally.unverified).toEqual([{ path: `${BASE}/20260101/partial.parquet`, error: 'corrupt parquet' }]);
  expect(model.blobs.has(`${BASE}/20260101/c1.parquet`)).toBe(false);
});
