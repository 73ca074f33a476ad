import { planChunks, splitChunk, type Chunk } from '../../../lib/domain/chunks';

const day = (d: string): Date => new Date(`${d}T00:00:00Z`);

test('groups consecutive days up to the target and isolates null ingestion times', () => {
  const chunks = planChunks(
    [
      { day: day('2025-01-01'), count: 40 },
      { day: day('2025-01-02'), count: 50 },
      { day: day('2025-01-03'), count: 30 },
      { day: day('2025-01-05'), count: 10 },
      { day: null, count: 7 },
      { day: day('2025-01-04'), count: 0 },
    ],
    100,
  );
  expect(chunks).toEqual([
    {
      id: 'r-2025-01-01T00:00:00.000Z-2025-01-03T00:00:00.000Z',
      kind: 'range',
      from: '2025-01-01T00:00:00.000Z',
      to: '2025-01-03T00:00:00.000Z',
      expectedRows: 90,
    },
    {
      id: 'r-2025-01-03T00:00:00.000Z-2025-01-04T00:00:00.000Z',
      kind: 'range',
      from: '2025-01-03T00:00:00.000Z',
      to: '2025-01-04T00:00:00.000Z',
      expectedRows: 30,
    },
    {
      id: 'r-2025-01-05T00:00:00.000Z-2025-01-06T00:00:00.000Z',
      kind: 'range',
      from: '2025-01-05T00:00:00.000Z',
      to: '2025-01-06T00:00:00.000Z',
      expectedRows: 10,
    },
    { id: 'null-ingestion-time', kind: 'null-ingestion-time', expectedRows: 7 },
  ]);
});

test('a day larger than the target is a chunk of its own; totals are preserved', () => {
  const counts = [
    { day: day('2025-03-01'), count: 5 },
    { day: day('2025-03-02'), count: 500 },
    { day: day('2025-03-03'), count: 5 },
  ];
  const chunks = planChunks(counts, 100);
  expect(chunks.map((c) => c.expectedRows)).toEqual([5, 500, 5]);
  expect(chunks.reduce((n, c) => n + c.expectedRows, 0)).toBe(510);
});

test('empty input plans nothing; deterministic ids', () => {
  expect(planChunks([], 10)).toEqual([]);
  const a = planChunks([{ day: day('2025-01-01'), count: 1 }], 10);
  expect(planChunks([{ day: day('2025-01-01'), count: 1 }], 10)).toEqual(a);
  expect(() => planChunks([], 0)).toThrow(RangeError);
});

test('splitting halves a range down to the floor; null chunks cannot split', () => {
  const [c] = planChunks([{ day: day('2025-01-01'), count: 11 }], 100) as [Chunk];
  const halves = splitChunk(c);
  expect(halves).not.toBeNull();
  const [l, r] = halves!;
  expect(l.kind === 'range' && l.to).toBe('2025-01-01T12:00:00.000Z');
  expect(r.kind === 'range' && r.from).toBe('2025-01-01T12:00:00.000Z');
  expect(l.expectedRows + r.expectedRows).toBe(11);
  let piece: Chunk = c;
  let splits = 0;
  for (;;) {
    const s = splitChunk(piece);
    if (!s) break;
    piece = s[0];
    splits++;
  }
  expect(splits).toBeGreaterThan(5);
  expect(piece.kind === 'range' && Date.parse(piece.to) - Date.parse(piece.from)).toBeLessThan(2 * 60_000);
  expect(splitChunk({ id: 'null-ingestion-time', kind: 'null-ingestion-time', expectedRows: 3 })).toBeNull();
});
