import type { Chunk } from '../../../lib/domain/chunks';
import {
  BASE_POLL_MS,
  BASE_THROTTLE_MS,
  HistoricalExportFailure,
  MAX_CHUNK_ATTEMPTS,
  MAX_POLL_MS,
  applyPoll,
  applyRecorded,
  applyStarts,
  initialProgress,
  isFinished,
  mayStart,
  nextDelayMs,
  type HistoricalProgress,
} from '../../../lib/domain/historicalProgress';

const NOW = new Date('2026-02-01T00:00:00Z');
const LOW_MEMORY =
  'Query execution lacks memory resources to complete (80DA0007): Partial query failure: Low memory condition (E_LOW_MEMORY_CONDITION).';

const range = (from: string, to: string, rows = 100): Chunk => ({
  id: `r-${from}-${to}`,
  kind: 'range',
  from,
  to,
  expectedRows: rows,
});
const DAY1 = range('2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z', 1000);
const DAY2 = range('2026-01-02T00:00:00.000Z', '2026-01-03T00:00:00.000Z');
const NULLS: Chunk = { id: 'null-ingestion-time', kind: 'null-ingestion-time', expectedRows: 7 };

/** Progress with DAY1 running as op-1 and DAY2 queued. */
function running(): HistoricalProgress {
  return applyStarts(
    'T',
    initialProgress([DAY1, DAY2]),
    { started: [{ chunkId: DAY1.id, operationId: 'op-1' }], throttled: [], failed: [] },
    NOW,
  );
}

describe('starting exports', () => {
  it('moves started chunks to running with their operation and counts the attempt', () => {
    const p = running();
    expect(p.running).toEqual([{ chunk: DAY1, attempts: 1, operationId: 'op-1' }]);
    expect(p.queue).toEqual([{ chunk: DAY2, attempts: 0 }]);
    expect(isFinished(p)).toBe(false);
    expect(isFinished(initialProgress([]))).toBe(true);
  });

  it('keeps throttled chunks queued and backs off, doubling per consecutive throttle', () => {
    const once = applyStarts(
      'T',
      initialProgress([DAY1]),
      { started: [], throttled: [DAY1.id], failed: [] },
      NOW,
    );
    expect(once.queue).toEqual([{ chunk: DAY1, attempts: 0 }]);
    expect(once.notBefore).toBe(new Date(NOW.getTime() + BASE_THROTTLE_MS).toISOString());
    expect(mayStart(once, NOW)).toBe(false);
    expect(mayStart(once, new Date(NOW.getTime() + BASE_THROTTLE_MS))).toBe(true);
    const twice = applyStarts('T', once, { started: [], throttled: [DAY1.id], failed: [] }, NOW);
    expect(twice.notBefore).toBe(new Date(NOW.getTime() + 2 * BASE_THROTTLE_MS).toISOString());
    const started = applyStarts(
      'T',
      twice,
      { started: [{ chunkId: DAY1.id, operationId: 'x' }], throttled: [], failed: [] },
      NOW,
    );
    expect([started.throttles, started.notBefore]).toEqual([0, null]);
  });

  it('retries a transiently failed start, and fails on a permanent one naming table and range', () => {
    const p = applyStarts(
      'T',
      initialProgress([DAY1, DAY2]),
      { started: [], throttled: [], failed: [{ chunkId: DAY2.id, error: 'busy', permanent: false }] },
      NOW,
    );
    expect(p.queue).toEqual([
      { chunk: DAY2, attempts: 1 },
      { chunk: DAY1, attempts: 0 },
    ]);
    expect(() =>
      applyStarts(
        'T',
        initialProgress([DAY1]),
        {
          started: [],
          throttled: [],
          failed: [{ chunkId: DAY1.id, error: "External table 'X' was not found.", permanent: true }],
        },
        NOW,
      ),
    ).toThrow(
      "historical export of table 'T' failed: chunk [2026-01-01T00:00:00.000Z, 2026-01-02T00:00:00.000Z) could not be started: External table 'X' was not found.",
    );
  });
});

describe('applyPoll', () => {
  it('hands completed chunks over for recording and keeps running ones', () => {
    const p = applyStarts(
      'T',
      running(),
      { started: [{ chunkId: DAY2.id, operationId: 'op-2' }], throttled: [], failed: [] },
      NOW,
    );
    const out = applyPoll(
      'T',
      p,
      [
        { operationId: 'OP-1', state: 'Completed', status: '', lastUpdatedOn: '2026-02-01T00:00:05.000Z' },
        { operationId: 'op-2', state: 'InProgress', status: '' },
      ],
      NOW,
    );
    expect(out.completed).toEqual([{ task: p.running[0], completedAt: '2026-02-01T00:00:05.000Z' }]);
    expect(out.progress.running.map((t) => t.operationId)).toEqual(['op-2']);
    expect(out.updates).toEqual([]);
  });

  it('re-plans a chunk whose operation is no longer listed (lost)', () => {
    const out = applyPoll('T', running(), [], NOW);
    expect(out.updates).toEqual([
      { task: running().running[0], state: 'lost', detail: 'operation op-1 is no longer listed' },
    ]);
    expect(out.progress.queue[0]).toEqual({ chunk: DAY1, attempts: 1 });
    expect(out.progress.running).toEqual([]);
  });

  it('splits a chunk that failed for memory into two halves, run next', () => {
    const out = applyPoll(
      'T',
      running(),
      [{ operationId: 'op-1', state: 'Failed', status: LOW_MEMORY, shouldRetry: true }],
      NOW,
    );
    expect(out.updates.map((u) => u.state)).toEqual(['split']);
    const [a, b] = out.progress.queue;
    expect([a?.chunk.kind === 'range' && a.chunk.to, b?.chunk.kind === 'range' && b.chunk.from]).toEqual([
      '2026-01-01T12:00:00.000Z',
      '2026-01-01T12:00:00.000Z',
    ]);
    expect(out.progress.queue.map((t) => t.attempts)).toEqual([0, 0, 0]);
    expect(out.progress.queue[2]!.chunk).toBe(DAY2);
  });

  it('fails with the table and range once a chunk cannot be split further', () => {
    const tiny = range('2026-01-01T00:00:00.000Z', '2026-01-01T00:01:00.000Z');
    const p = applyStarts(
      'T',
      initialProgress([tiny]),
      { started: [{ chunkId: tiny.id, operationId: 'op' }], throttled: [], failed: [] },
      NOW,
    );
    const fail = () => applyPoll('T', p, [{ operationId: 'op', state: 'Failed', status: LOW_MEMORY }], NOW);
    expect(fail).toThrow(HistoricalExportFailure);
    expect(fail).toThrow(
      "historical export of table 'T' failed: chunk [2026-01-01T00:00:00.000Z, 2026-01-01T00:01:00.000Z) still fails for memory or time at the smallest chunk size",
    );
    const nulls = applyStarts(
      'T',
      initialProgress([NULLS]),
      { started: [{ chunkId: NULLS.id, operationId: 'op' }], throttled: [], failed: [] },
      NOW,
    );
    expect(() =>
      applyPoll('T', nulls, [{ operationId: 'op', state: 'Failed', status: LOW_MEMORY }], NOW),
    ).toThrow('chunk of rows without ingestion time still fails');
  });

  it('gives up after the attempt limit, and on a permanent failure at once', () => {
    let p = running();
    for (let i = 1; i < MAX_CHUNK_ATTEMPTS; i++) {
      p = applyPoll('T', p, [], NOW).progress;
      p = applyStarts(
        'T',
        p,
        { started: [{ chunkId: DAY1.id, operationId: 'op-1' }], throttled: [], failed: [] },
        NOW,
      );
    }
    expect(p.running[0]!.attempts).toBe(MAX_CHUNK_ATTEMPTS);
    expect(() => applyPoll('T', p, [], NOW)).toThrow(
      `failed ${MAX_CHUNK_ATTEMPTS} times; last: operation lost`,
    );
    expect(() =>
      applyPoll('T', running(), [{ operationId: 'op-1', state: 'BadInput', status: 'bad query' }], NOW),
    ).toThrow('BadInput: bad query');
  });

  it('puts a throttled operation back without counting the attempt, and backs off', () => {
    const out = applyPoll(
      'T',
      running(),
      [{ operationId: 'op-1', state: 'Throttled', status: 'throttled', shouldRetry: true }],
      NOW,
    );
    expect(out.progress.queue[0]).toEqual({ chunk: DAY1, attempts: 0 });
    expect(out.progress.notBefore).toBe(new Date(NOW.getTime() + BASE_THROTTLE_MS).toISOString());
  });
});

describe('recording and pacing', () => {
  it('counts recorded chunks and exports a chunk again when its result could not be read', () => {
    const p = running();
    const completed = [{ task: p.running[0]!, completedAt: null }];
    const ok = applyRecorded('T', { ...p, running: [] }, completed, [
      { chunkId: DAY1.id, rows: 1000, artifacts: 3 },
    ]);
    expect([ok.completedChunks, ok.exportedRows, ok.artifacts]).toEqual([1, 1000, 3]);
    const bad = applyRecorded('T', { ...p, running: [] }, completed, [
      { chunkId: DAY1.id, rows: 0, artifacts: 0, error: 'gone' },
    ]);
    expect(bad.completedChunks).toBe(0);
    expect(bad.queue[0]).toEqual({ chunk: DAY1, attempts: 1 });
  });

  it('backs off polling while nothing changes and resets when something does', () => {
    let p = running();
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      delays.push(nextDelayMs(p, NOW));
      p = applyPoll('T', p, [{ operationId: 'op-1', state: 'InProgress', status: '' }], NOW).progress;
    }
    expect(delays).toEqual([1, 2, 4, 8, 16, 30, 30, 30].map((k) => Math.min(k * BASE_POLL_MS, MAX_POLL_MS)));
    const done = applyPoll('T', p, [{ operationId: 'op-1', state: 'Completed', status: '' }], NOW).progress;
    expect(nextDelayMs(done, NOW)).toBe(BASE_POLL_MS);
  });

  it('waits out a throttling back-off when nothing runs', () => {
    const p = applyStarts(
      'T',
      initialProgress([DAY1]),
      { started: [], throttled: [DAY1.id], failed: [] },
      NOW,
    );
    expect(nextDelayMs(p, NOW)).toBe(BASE_THROTTLE_MS);
  });
});
