import { ConflictError } from '../../../lib/errors';
import { ledgerMatchesByDay } from '../../../lib/verify/ledgerMatches';
import { artifact } from '../../helpers/catalogFakes';
import { memoryLedger } from '../../helpers/memoryLedger';
import { table } from '../../helpers/resultTables';
import { scriptedGateway } from '../../helpers/scriptedGateway';

const A = 'https://acct.blob.core.windows.net/backup/db/T';

async function ledgerWith(deletions: { predicate: string; outcome: 'succeeded' | 'failed' }[]) {
  const ledger = memoryLedger();
  for (const [i, d] of deletions.entries()) {
    const id = `d${i}`;
    const base = {
      cluster: 'https://c1.kusto.windows.net',
      database: 'db',
      table: 'T',
      time: '2026-01-02T00:00:00Z',
    };
    await ledger.append({
      ...base,
      id,
      type: 'deletion',
      kind: 'delete',
      predicate: d.predicate,
      columns: [
        { name: 'Customer', type: 'string' },
        { name: 'Amount', type: 'long' },
      ],
      requestedBy: 'test',
      principal: null,
      execute: true,
    });
    await ledger.append({
      ...base,
      id: `${id}-x`,
      type: 'execution',
      deletionId: id,
      outcome: d.outcome,
      message: '',
      details: {},
    });
  }
  return ledger;
}

const counts = table('Timestamp:datetime, count_:long', [
  ['2026-01-01T00:00:00Z', 2],
  ['2026-01-02T00:00:00Z', 1],
]);

it('counts the applying deletions over exactly the given files, 500 per command', async () => {
  const ledger = await ledgerWith([
    { predicate: "Customer == 'c-1'", outcome: 'succeeded' },
    { predicate: 'Amount > 900', outcome: 'succeeded' },
    { predicate: "Customer == 'never'", outcome: 'failed' },
  ]);
  const gateway = scriptedGateway({ 'count-ledger-matches': counts });
  const files = Array.from({ length: 501 }, (_, i) => artifact(`${A}/20260101/f${i}.parquet`));
  const result = await ledgerMatchesByDay(
    { gateway, database: 'db', ledger, storageAuth: { kind: 'managedIdentity', identity: 'system' } },
    { table: 'T', partitionColumn: 'Timestamp' },
    files,
  );
  expect(result).toEqual({
    deletions: 2,
    byDay: new Map([
      ['2026-01-01', 4],
      ['2026-01-02', 2],
    ]),
  });
  expect(gateway.sent).toHaveLength(2);
  const [first, second] = gateway.sent.map((c) => c.text);
  expect(first).toMatch(
    /^externaldata \(\['Timestamp'\]:datetime, \['Customer'\]:string, \['Amount'\]:long\) \[/,
  );
  expect(first!.match(/\.parquet;managed_identity=system'/g)).toHaveLength(500);
  expect(first).toContain(
    "| where (Customer == 'c-1') or (Amount > 900) | summarize count() by bin(['Timestamp'], 1d)",
  );
  expect(first).not.toContain('never');
  expect(second!.match(/\.parquet;/g)).toHaveLength(1);
});

it('sends nothing without applying deletions, and refuses a ledger that fails verification', async () => {
  const gateway = scriptedGateway({});
  const ctx = { gateway, database: 'db', storageAuth: { kind: 'impersonate' as const } };
  const file = [artifact(`${A}/20260101/f.parquet`)];
  const none = await ledgerWith([{ predicate: "Customer == 'x'", outcome: 'failed' }]);
  expect(
    await ledgerMatchesByDay({ ...ctx, ledger: none }, { table: 'T', partitionColumn: null }, file),
  ).toEqual({
    deletions: 0,
    byDay: new Map(),
  });
  const tampered = await ledgerWith([{ predicate: "Customer == 'x'", outcome: 'succeeded' }]);
  tampered.entries.splice(1, 1);
  tampered.entries[0] = { ...tampered.entries[0]!, time: '2020-01-01T00:00:00Z' };
  await expect(
    ledgerMatchesByDay({ ...ctx, ledger: tampered }, { table: 'T', partitionColumn: null }, file),
  ).rejects.toBeInstanceOf(ConflictError);
  expect(gateway.sent).toEqual([]);
});
