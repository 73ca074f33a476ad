import { orphanStale } from '../../../lib/catalog/orphans';
import { indexArtifacts } from '../../../lib/catalog/tableIndex';
import type { ListedBlob } from '../../../lib/storage/artifactBlobs';
import { FakeBlobs, FakeCatalog, artifact } from '../../helpers/catalogFakes';
import { silentLogger } from '../../helpers/setupHarness';

const C = 'https://acct.blob.core.windows.net/backup';
const HOUR = 3_600_000;
const NOW = new Date('2026-01-03T00:00:00Z');

async function scenario() {
  const catalog = new FakeCatalog();
  const blobs = new FakeBlobs();
  const old = new Date(NOW.getTime() - 25 * HOUR);
  const recent = new Date(NOW.getTime() - HOUR);
  const stale = artifact(`${C}/db/T/20260101/stale.parquet`, {
    state: 'pending',
    source: 'event',
    numRecords: null,
  });
  const fresh = artifact(`${C}/db/T/20260101/fresh.parquet`, {
    state: 'pending',
    source: 'event',
    numRecords: null,
  });
  const gone = artifact(`${C}/db/T/20260101/gone.parquet`, {
    state: 'pending',
    source: 'event',
    numRecords: null,
  });
  const committed = artifact(`${C}/db/T/20260101/c.parquet`);
  // The same file as `committed`, spelled as an ADLS event would.
  const alias = artifact('https://acct.dfs.core.windows.net/backup/db/T/20260101/c.parquet', {
    state: 'pending',
  });
  blobs.add(stale.path, undefined, old);
  blobs.add(fresh.path, undefined, recent);
  blobs.add(committed.path, undefined, old);
  await catalog.putArtifacts([stale, fresh, gone, committed, alias]);
  catalog.writes.length = 0;
  const index = indexArtifacts(await catalog.listArtifacts('db', 'T'));
  const listing = new Map<string, ListedBlob>((await blobs.list(C, 'db/T/')).map((b) => [b.url, b]));
  return { catalog, blobs, index, listing, stale, gone };
}

it('orphans files pending past the horizon or gone, never fresh ones or aliases of committed files', async () => {
  const { catalog, blobs, index, listing, stale, gone } = await scenario();
  const ctx = { catalog, blobs, horizonMs: 24 * HOUR, quarantine: false, now: NOW, logger: silentLogger };
  const result = await orphanStale(ctx, index, listing);
  expect(result).toEqual({ orphaned: [stale.path, gone.path], quarantined: [], aliases: 1 });
  expect(catalog.writes).toEqual([
    [
      { ...stale, state: 'orphan' },
      { ...gone, state: 'orphan' },
    ],
  ]);
  expect(blobs.moves).toEqual([]);
  // Empty diff: a second run writes nothing.
  expect(await orphanStale(ctx, index, listing)).toEqual({ orphaned: [], quarantined: [], aliases: 1 });
  expect(catalog.writes).toHaveLength(1);
});

it('quarantines orphans still in the folder under _orphans, and survives a failed move', async () => {
  const { catalog, blobs, index, listing, stale } = await scenario();
  const lines: string[] = [];
  const logger = { ...silentLogger, warn: (m: string) => void lines.push(m) };
  const ctx = { catalog, blobs, horizonMs: 24 * HOUR, quarantine: true, now: NOW, logger };
  const result = await orphanStale(ctx, index, listing);
  expect(result.quarantined).toEqual([`${C}/_orphans/db/T/20260101/stale.parquet`]);
  expect(blobs.blobs.has(stale.path)).toBe(false);
  // A move that fails (here: a stale listing still showing the moved file) is only logged.
  blobs.move = () => Promise.reject(new Error('copy failed'));
  const again = await orphanStale(ctx, index, listing);
  expect(again.quarantined).toEqual([]);
  expect(lines).toEqual(['orphan could not be quarantined']);
});
