import type { ContinuousExport } from '../../../lib/kusto/results';
import { coverageOf, isArtifactCovered, isDayCovered } from '../../../lib/verify/coverage';
import { artifact } from '../../helpers/catalogFakes';

const exp = (over: Partial<ContinuousExport>): ContinuousExport => ({
  name: 'adxbackup_T',
  externalTableName: 'adxbackup_T',
  query: 'T',
  cursorScopedTables: [],
  exportProperties: {},
  startCursor: '1',
  isDisabled: false,
  lastRunResult: 'Completed',
  isRunning: false,
  intervalBetweenRunsMs: 300_000,
  lastRunTime: new Date('2026-01-02T00:10:00Z'),
  exportedTo: new Date('2026-01-02T00:09:00Z'),
  ...over,
});

it('bounds days by ExportedTo and continuous artifacts by the next possible run', () => {
  expect(coverageOf(undefined)).toEqual({ reason: 'its continuous export does not exist' });
  expect(coverageOf(exp({ exportedTo: undefined }))).toEqual({
    reason: 'its continuous export has not exported anything yet',
  });
  const idle = coverageOf(exp({}));
  expect(idle).toEqual({
    exportedTo: new Date('2026-01-02T00:09:00Z'),
    artifactCutoff: new Date('2026-01-02T00:15:00Z'),
  });
  expect(coverageOf(exp({ isRunning: true }))).toMatchObject({
    artifactCutoff: new Date('2026-01-02T00:10:00Z'),
  });
  expect(coverageOf(exp({ lastRunTime: undefined }))).toMatchObject({ artifactCutoff: null });

  const to = new Date('2026-01-02T00:00:00Z');
  expect(isDayCovered('2026-01-01', to)).toBe(true);
  expect(isDayCovered('2026-01-02', to)).toBe(false);
  expect(isDayCovered(null, to)).toBe(true);

  if ('reason' in idle) throw new Error('expected coverage');
  const c = (committedAt: string, source: 'continuous' | 'historical' = 'continuous') =>
    isArtifactCovered(artifact('x', { source, committedAt }), idle);
  expect(c('2026-01-02T00:14:59Z')).toBe(true);
  expect(c('2026-01-02T00:15:00Z')).toBe(false);
  expect(c('2026-01-03T00:00:00Z', 'historical')).toBe(true);
});
