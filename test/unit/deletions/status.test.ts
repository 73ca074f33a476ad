import { appliesOnRestore, summarizeDeletions } from '../../../lib/deletions/status';
import type { LedgerDraft, LedgerEntry, LedgerOutcome } from '../../../lib/storage/ledgerChain';
import { sealEntry } from '../../../lib/storage/ledgerChain';

const where = { cluster: 'https://c1.kusto.windows.net', database: 'Sales', table: 'Orders' };

const deletion = (id: string, execute = true): LedgerDraft => ({
  type: 'deletion',
  id,
  ...where,
  time: `2026-01-01T00:00:0${id.length}.000Z`,
  kind: 'delete',
  predicate: `Id == ${id.length}`,
  columns: [{ name: 'Id', type: 'long' }],
  requestedBy: 'me',
  principal: 'me@example.com',
  execute,
});

const outcome = (
  type: 'execution' | 'scrub',
  id: string,
  deletionId: string,
  result: LedgerOutcome,
): LedgerDraft => ({
  type,
  id,
  ...where,
  time: '2026-01-02T00:00:00.000Z',
  deletionId,
  outcome: result,
  message: `${type} ${result}`,
  details: { n: 1 },
});

function chain(drafts: LedgerDraft[]): LedgerEntry[] {
  const out: LedgerEntry[] = [];
  for (const d of drafts) out.push(sealEntry(d, out[out.length - 1]));
  return out;
}

test('derives each deletion status from its execution entry and collects its scrubs', () => {
  const summaries = summarizeDeletions(
    chain([
      deletion('a'),
      outcome('execution', 'x1', 'a', 'succeeded'),
      deletion('bb'),
      outcome('execution', 'x2', 'bb', 'failed'),
      deletion('ccc'),
      deletion('dddd', false),
      deletion('eeeee'),
      outcome('execution', 'x5', 'eeeee', 'unknown'),
      outcome('scrub', 's1', 'a', 'failed'),
      outcome('scrub', 's2', 'a', 'succeeded'),
    ]),
  );
  expect(summaries.map((s) => [s.id, s.status])).toEqual([
    ['a', 'succeeded'],
    ['bb', 'failed'],
    ['ccc', 'pending'],
    ['dddd', 'recorded'],
    ['eeeee', 'unknown'],
  ]);
  const [a, bb, ccc] = summaries;
  expect(a).toMatchObject({
    seq: 1,
    predicate: 'Id == 1',
    requestedAt: '2026-01-01T00:00:01.000Z',
    executedAt: '2026-01-02T00:00:00.000Z',
    message: 'execution succeeded',
    details: { n: 1 },
    principal: 'me@example.com',
  });
  expect(a!.scrubs.map((s) => [s.id, s.outcome])).toEqual([
    ['s1', 'failed'],
    ['s2', 'succeeded'],
  ]);
  expect(bb!.scrubs).toEqual([]);
  expect(ccc).toMatchObject({ executedAt: null, message: null, details: null });
});

test('a restore applies every deletion except those that failed on the source', () => {
  expect(
    ['succeeded', 'recorded', 'pending', 'unknown'].every((status) => appliesOnRestore({ status } as never)),
  ).toBe(true);
  expect(appliesOnRestore({ status: 'failed' })).toBe(false);
});
