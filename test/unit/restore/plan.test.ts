import { folderCreationTime, folderEntries, folderKey, planBatches } from '../../../lib/restore/plan';
import type { PlannedArtifact } from '../../../lib/restore/types';

const artifact = (
  path: string,
  partitionDate: string | null,
  rows = 2,
  origin: PlannedArtifact['origin'] = 'catalog',
): PlannedArtifact => ({
  path,
  sizeInBytes: 10,
  rows,
  partitionDate,
  origin,
});

describe('planBatches', () => {
  const list = [
    artifact('a/20250102/1', '2025-01-02'),
    artifact('a/20250101/1', '2025-01-01', 5),
    artifact('a/20250101/2', '2025-01-01', 1, 'listing'),
    artifact('a/20250101/3', '2025-01-01'),
    artifact('a/none/1', null, 7),
  ];

  it('groups by folder, cuts batches of at most the batch size and sums each folder', () => {
    const { folders, batches } = planBatches(list, 2);
    expect(folders).toEqual([
      { key: '20250101', date: '2025-01-01', blobs: 3, bytes: 30, rows: 8, batches: 2, listed: 1 },
      { key: '20250102', date: '2025-01-02', blobs: 1, bytes: 10, rows: 2, batches: 1, listed: 0 },
      { key: 'none', date: null, blobs: 1, bytes: 10, rows: 7, batches: 1, listed: 0 },
    ]);
    expect(batches.map((b) => [b.folder, b.index, b.artifacts.map((a) => a.path)])).toEqual([
      ['20250101', 0, ['a/20250101/1', 'a/20250101/2']],
      ['20250101', 1, ['a/20250101/3']],
      ['20250102', 0, ['a/20250102/1']],
      ['none', 0, ['a/none/1']],
    ]);
    expect(folderEntries(folders)).toEqual([
      ['20250101', 2, 3],
      ['20250102', 1, 1],
      ['none', 1, 1],
    ]);
  });

  it('is deterministic and refuses a batch size below 1', () => {
    expect(planBatches(list, 500)).toEqual(planBatches([...list], 500));
    expect(() => planBatches(list, 0)).toThrow(RangeError);
    expect(planBatches([], 3)).toEqual({ folders: [], batches: [] });
  });
});

describe('folder keys and creation times', () => {
  it('maps a day to yyyyMMdd and back to midnight UTC; no creation time without a day', () => {
    expect(folderKey('2025-03-09')).toBe('20250309');
    expect(folderKey(null)).toBe('none');
    expect(folderCreationTime('20250309')).toBe('2025-03-09T00:00:00.000Z');
    expect(folderCreationTime('none')).toBeUndefined();
  });
});
