import { applyLedgerToTable, ledgerEntriesFor, ledgerPredicatesFor } from '../../../lib/deletions/restore';
import type { DeletionSummary } from '../../../lib/deletions/status';
import { ConflictError, ValidationError } from '../../../lib/errors';
import { isSimplePredicate } from '../../../lib/kusto/predicate';
import type { LedgerEntry } from '../../../lib/storage/ledgerChain';
import { memoryLedger, type MemoryLedger } from '../../helpers/memoryLedger';
import { table } from '../../helpers/resultTables';
import { scriptedGateway } from '../../helpers/scriptedGateway';
import { schemaAnswer } from '../../helpers/schemaAnswers';

const where = { cluster: 'https://c1.kusto.windows.net', database: 'Sales', table: 'Orders' };
let n = 0;

async function addDeletion(
  ledger: MemoryLedger,
  predicate: string,
  outcome: 'succeeded' | 'failed' | 'unknown' | null,
  columns = [{ name: 'Customer', type: 'string' }],
): Promise<string> {
  const id = `d${++n}`;
  const time = `2026-01-0${n}T00:00:00.000Z`;
  await ledger.append({
    type: 'deletion',
    id,
    ...where,
    time,
    kind: 'purge',
    predicate,
    columns,
    requestedBy: 'x',
    principal: null,
    execute: true,
  });
  if (outcome) {
    await ledger.append({
      type: 'execution',
      id: `x${n}`,
      ...where,
      time,
      deletionId: id,
      outcome,
      message: '',
      details: {},
    });
  }
  return id;
}

test('entries come with time and status; predicates of the ones that apply are re-validated', async () => {
  const ledger = memoryLedger();
  const a = await addDeletion(ledger, "Customer == 'alice'", 'succeeded');
  const b = await addDeletion(ledger, "Customer == 'bob'", 'failed');
  const c = await addDeletion(ledger, "Customer startswith 'c'", null);
  await ledger.append({
    ...where,
    table: 'Other',
    type: 'deletion',
    id: 'o1',
    time: 't',
    kind: 'delete',
    predicate: 'Id == 1',
    columns: [{ name: 'Id', type: 'long' }],
    requestedBy: 'x',
    principal: null,
    execute: true,
  });

  const entries = await ledgerEntriesFor(ledger, 'Sales', 'Orders');
  expect(entries.map((e) => [e.id, e.status, e.requestedAt])).toEqual([
    [a, 'succeeded', '2026-01-01T00:00:00.000Z'],
    [b, 'failed', '2026-01-02T00:00:00.000Z'],
    [c, 'pending', '2026-01-03T00:00:00.000Z'],
  ]);
  const predicates = await ledgerPredicatesFor(ledger, 'Sales', 'Orders');
  expect(predicates.map((p) => p.text)).toEqual(["Customer == 'alice'", "Customer startswith 'c'"]);
  expect(predicates.every((p) => isSimplePredicate(p) && p.table === 'Orders')).toBe(true);
});

test('a ledger whose chain fails verification is not used', async () => {
  const ledger = memoryLedger();
  await addDeletion(ledger, "Customer == 'alice'", 'succeeded');
  ledger.entries[0] = { ...ledger.entries[0]!, predicate: "Customer == 'nobody'" } as LedgerEntry;
  await expect(ledgerEntriesFor(ledger, 'Sales', 'Orders')).rejects.toThrow(ConflictError);
  await expect(ledgerPredicatesFor(ledger, 'Sales', 'Orders')).rejects.toThrow(
    /fails verification \(seq 1: content/,
  );
});

test('a stored predicate that is no longer simple is refused on re-validation', async () => {
  const ledger = memoryLedger();
  await addDeletion(ledger, "Customer == 'a' | take 1", 'succeeded');
  await expect(ledgerPredicatesFor(ledger, 'Sales', 'Orders')).rejects.toBeInstanceOf(ValidationError);
});

describe('applyLedgerToTable', () => {
  const deleted = (count: number) =>
    table('OriginalExtentId:string, RecordsMatchPredicate:long', [['e', count]]);
  const STAGING = schemaAnswer('Orders_staging', { Id: 'long', Customer: 'string' });

  it('soft-deletes every applicable deletion from the staging table, skipping failed ones', async () => {
    const ledger = memoryLedger();
    await addDeletion(ledger, "Customer == 'alice'", 'succeeded');
    await addDeletion(ledger, "Customer == 'bob'", 'failed');
    await addDeletion(ledger, "Customer in ('c', 'd')", 'unknown');
    const entries = await ledgerEntriesFor(ledger, 'Sales', 'Orders');
    const gateway = scriptedGateway({
      'show-table-schema': STAGING,
      'delete-records': [deleted(2), deleted(0)],
    });

    const result = await applyLedgerToTable(gateway, 'Restored', 'Orders_staging', entries);
    expect(gateway.mutating()).toEqual([
      ".delete table ['Orders_staging'] records <| ['Orders_staging'] | where Customer == 'alice'",
      ".delete table ['Orders_staging'] records <| ['Orders_staging'] | where Customer in ('c', 'd')",
    ]);
    expect(result.applied.map((a) => [a.deletionId, a.recordsDeleted])).toEqual([
      [entries[0]!.id, 2],
      [entries[2]!.id, 0],
    ]);
    expect(result.skipped).toEqual([{ deletionId: entries[1]!.id, status: 'failed' }]);
  });

  it('sends nothing when there is nothing to apply', async () => {
    const gateway = scriptedGateway({});
    expect(await applyLedgerToTable(gateway, 'Restored', 'Orders_staging', [])).toEqual({
      applied: [],
      skipped: [],
    });
    expect(gateway.sent).toEqual([]);
  });

  it('checks every predicate against the staging table before deleting anything', async () => {
    const ledger = memoryLedger();
    await addDeletion(ledger, "Customer == 'alice'", 'succeeded');
    await addDeletion(ledger, 'Amount > 5', 'succeeded', [{ name: 'Amount', type: 'real' }]);
    const entries: DeletionSummary[] = await ledgerEntriesFor(ledger, 'Sales', 'Orders');
    const gateway = scriptedGateway({ 'show-table-schema': STAGING });
    const error = await applyLedgerToTable(gateway, 'Restored', 'Orders_staging', entries).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('entries');
    expect((error as Error).message).toContain(entries[1]!.id);
    expect(gateway.mutating()).toEqual([]);
  });
});
