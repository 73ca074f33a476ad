import {
  canonicalJson,
  entryHash,
  sealEntry,
  verifyChain,
  type LedgerDraft,
  type LedgerEntry,
} from '../../../lib/storage/ledgerChain';

const deletion = (id: string, predicate = "Name == 'alice'"): LedgerDraft => ({
  type: 'deletion',
  id,
  cluster: 'https://c1.kusto.windows.net',
  database: 'Sales',
  table: 'Orders',
  time: '2026-01-01T00:00:00.000Z',
  kind: 'purge',
  predicate,
  columns: [{ name: 'Name', type: 'string' }],
  requestedBy: 'dpo@example.com',
  principal: null,
  execute: true,
});

const execution = (id: string, deletionId: string): LedgerDraft => ({
  type: 'execution',
  id,
  cluster: 'https://c1.kusto.windows.net',
  database: 'Sales',
  table: 'Orders',
  time: '2026-01-01T00:00:01.000Z',
  deletionId,
  outcome: 'succeeded',
  message: 'purge accepted',
  details: { operationId: 'op-1', state: 'Completed', nested: { b: 2, a: [1, null] } },
});

/** Seals drafts one after the other, as the store does. */
function chain(drafts: LedgerDraft[]): LedgerEntry[] {
  const out: LedgerEntry[] = [];
  for (const d of drafts) out.push(sealEntry(d, out[out.length - 1]));
  return out;
}

const sample = (): LedgerEntry[] => chain([deletion('d1'), execution('e1', 'd1'), deletion('d2', 'Id == 7')]);

describe('canonicalJson', () => {
  it('is independent of key order, at every level, and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: 'x' }, u: undefined })).toBe(
      '{"a":{"c":"x","d":[2,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });
});

describe('sealEntry', () => {
  it('numbers from 1 and links each entry to the previous hash', () => {
    const [a, b, c] = sample();
    expect([a!.seq, b!.seq, c!.seq]).toEqual([1, 2, 3]);
    expect(a!.prevHash).toBe('');
    expect(b!.prevHash).toBe(a!.hash);
    expect(c!.prevHash).toBe(b!.hash);
    expect(a!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(entryHash(a!)).toBe(a!.hash);
  });

  it('hashes differently when anything differs, including the previous hash', () => {
    const one = sealEntry(deletion('d1'), undefined);
    expect(sealEntry(deletion('d1', "Name == 'bob'"), undefined).hash).not.toBe(one.hash);
    expect(sealEntry(deletion('d1'), { seq: 0, hash: 'x' }).hash).not.toBe(one.hash);
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain in any order and reports its head', () => {
    const entries = sample();
    const result = verifyChain([...entries].reverse());
    expect(result).toEqual({ valid: true, length: 3, headHash: entries[2]!.hash, problems: [] });
    expect(verifyChain([])).toEqual({ valid: true, length: 0, headHash: '', problems: [] });
  });

  it('detects a changed field', () => {
    const entries = sample();
    const tampered = entries.map((e) => (e.seq === 1 ? ({ ...e, predicate: 'Id == 0' } as LedgerEntry) : e));
    const result = verifyChain(tampered);
    expect(result.valid).toBe(false);
    expect(result.problems).toEqual([{ seq: 1, id: 'd1', problem: 'content does not match its hash' }]);
  });

  it('detects a changed entry whose hash was recomputed: the next link breaks', () => {
    const entries = sample();
    const changed = { ...entries[0]!, predicate: 'Id == 0' } as LedgerEntry;
    const rehashed = { ...changed, hash: entryHash(changed) } as LedgerEntry;
    const result = verifyChain([rehashed, entries[1]!, entries[2]!]);
    expect(result.problems).toEqual([
      { seq: 2, id: 'e1', problem: 'prevHash does not match the previous entry' },
    ]);
  });

  it('detects a removed middle entry', () => {
    const [a, , c] = sample();
    const problems = verifyChain([a!, c!]).problems.map((p) => [p.seq, p.problem]);
    expect(problems).toEqual([
      [3, 'expected seq 2 (an entry is missing or repeated)'],
      [3, 'prevHash does not match the previous entry'],
    ]);
  });

  it('detects an entry copied in from another table and passes unreadable positions through', () => {
    const entries = sample();
    const foreign = chain([
      { ...deletion('x1'), table: 'Other' },
      { ...deletion('x2'), table: 'Other' },
    ])[1]!;
    const result = verifyChain([entries[0]!, foreign], [{ seq: 3, problem: 'stored body is not JSON' }]);
    expect(result.valid).toBe(false);
    expect(result.length).toBe(3);
    expect(result.problems.map((p) => p.problem)).toEqual(
      expect.arrayContaining(['belongs to another table', 'stored body is not JSON']),
    );
  });
});
