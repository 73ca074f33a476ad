import { TableClient } from '@azure/data-tables';
import { ValidationError } from '../../../lib/errors';
import { LEDGER_TABLE, LedgerStore, MAX_LEDGER_ENTRY_BYTES } from '../../../lib/storage/ledger';
import type { LedgerDraft } from '../../../lib/storage/ledgerChain';
import { startAzurite, type AzuriteHandle } from '../../helpers/azurite';

let az: AzuriteHandle;
let store: LedgerStore;
let raw: TableClient;
beforeAll(async () => {
  az = await startAzurite();
  store = LedgerStore.fromConnectionString(az.connectionString);
  raw = TableClient.fromConnectionString(az.connectionString, LEDGER_TABLE, {
    allowInsecureConnection: true,
  });
});
afterAll(() => az.stop());

let n = 0;
const deletion = (database: string, table: string, predicate = "Name == 'alice'"): LedgerDraft => ({
  type: 'deletion',
  id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  cluster: 'https://c1.kusto.windows.net',
  database,
  table,
  time: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  kind: 'delete',
  predicate,
  columns: [{ name: 'Name', type: 'string' }],
  requestedBy: 'someone',
  principal: null,
  execute: true,
});

test('appends chain per table; reads by table and by database; finds by id', async () => {
  const a1 = await store.append(deletion('Sales db', "O'Brien|x"));
  const a2 = await store.append({
    type: 'execution',
    id: 'e-1',
    cluster: a1.cluster,
    database: 'Sales db',
    table: "O'Brien|x",
    time: a1.time,
    deletionId: a1.id,
    outcome: 'failed',
    message: 'boom',
    details: { recordsDeleted: null },
  });
  const b1 = await store.append(deletion('Sales db', 'Other'));
  await store.append(deletion('Sales', 'Orders')); // a database whose name prefixes the other

  expect([a1.seq, a2.seq, b1.seq]).toEqual([1, 2, 1]);
  expect(a2.prevHash).toBe(a1.hash);

  const chain = await store.readTable('Sales db', "O'Brien|x");
  expect(chain.entries).toEqual([a1, a2]);
  expect(chain.verification).toMatchObject({ valid: true, length: 2, headHash: a2.hash });

  const all = await store.readDatabase('Sales db');
  expect(all.map((c) => c.table).sort()).toEqual(["O'Brien|x", 'Other']);
  expect(all.every((c) => c.database === 'Sales db' && c.verification.valid)).toBe(true);

  expect(await store.findEntry(a1.id)).toEqual(a1);
  expect(await store.findEntry('no-such-id')).toBeUndefined();
  expect((await store.readTable('Sales db', 'Nothing')).entries).toEqual([]);
});

test('concurrent appends to one table produce one unbroken chain', async () => {
  const entries = await Promise.all(Array.from({ length: 6 }, () => store.append(deletion('Race', 'T'))));
  expect(entries.map((e) => e.seq).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
  const chain = await store.readTable('Race', 'T');
  expect(chain.verification.valid).toBe(true);
  expect(chain.entries.map((e) => e.id).sort()).toEqual(entries.map((e) => e.id).sort());
});

test('stores entries larger than one property (a 200 KB predicate) and refuses oversize ones', async () => {
  const big = `Name in (${Array.from({ length: 20_000 }, (_, i) => `'n${i}'`).join(', ')})`;
  expect(big.length).toBeGreaterThan(150_000);
  const entry = await store.append(deletion('Big', 'T', big));
  const chain = await store.readTable('Big', 'T');
  expect(chain.entries[0]).toEqual(entry);
  expect(chain.verification.valid).toBe(true);

  const huge = 'x'.repeat(MAX_LEDGER_ENTRY_BYTES);
  await expect(store.append(deletion('Big', 'T', huge))).rejects.toThrow(ValidationError);
  expect((await store.readTable('Big', 'T')).entries).toHaveLength(1);
});

test('an entity edited in storage breaks verification at that entry', async () => {
  const first = await store.append(deletion('Tamper', 'T', "Name == 'alice'"));
  await store.append(deletion('Tamper', 'T', "Name == 'bob'"));
  const entity = await raw.getEntity<Record<string, unknown>>(`Tamper|T`, String(9_999_999_999 - 1));
  const body = Buffer.from(entity.b0 as Uint8Array).toString('utf8');
  expect(body).toContain("Name == 'alice'");
  await raw.updateEntity(
    {
      partitionKey: 'Tamper|T',
      rowKey: entity.rowKey!,
      b0: new Uint8Array(Buffer.from(body.replace('alice', 'nobody'))),
    },
    'Merge',
  );
  const chain = await store.readTable('Tamper', 'T');
  expect(chain.verification.valid).toBe(false);
  expect(chain.verification.problems).toEqual([
    { seq: 1, id: first.id, problem: 'content does not match its hash' },
  ]);

  // A body that is no longer an entry is reported, not trusted.
  await raw.updateEntity(
    { partitionKey: 'Tamper|T', rowKey: entity.rowKey!, b0: new Uint8Array([1, 2]) },
    'Merge',
  );
  const broken = await store.readTable('Tamper', 'T');
  expect(broken.entries).toHaveLength(1);
  expect(broken.verification.problems.map((p) => [p.seq, p.problem])).toEqual([
    [1, 'stored body is not JSON'],
    [2, 'expected seq 1 (an entry is missing or repeated)'],
    [2, 'prevHash does not match the previous entry'],
  ]);
});
