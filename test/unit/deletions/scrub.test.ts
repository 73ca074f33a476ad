import { scrubDeletion, type ScrubCatalog, type ScrubDeps } from '../../../lib/deletions/scrub';
import { ConflictError, NotFoundError } from '../../../lib/errors';
import type { ArtifactRecord, TableBackupRecord } from '../../../lib/storage/catalog';
import { memoryLedger, type MemoryLedger } from '../../helpers/memoryLedger';
import { table } from '../../helpers/resultTables';
import { scriptedGateway, type Answer } from '../../helpers/scriptedGateway';
import { schemaAnswer } from '../../helpers/schemaAnswers';

const CLUSTER = 'https://c1.kusto.windows.net';
const where = { cluster: CLUSTER, database: 'Sales', table: 'Orders' };
const PATH = 'https://acct1.blob.core.windows.net/backup/Sales/Orders/20260101/c1.parquet';
const NEW_PATH = 'https://acct1.blob.core.windows.net/backup/Sales/Orders/20260101/scrub_x_1.parquet';

const RECORD = { externalTableName: 'adxbackup_Orders' } as TableBackupRecord;
const ARTIFACT: ArtifactRecord = {
  database: 'Sales',
  table: 'Orders',
  path: PATH,
  partitionDate: '2026-01-01',
  numRecords: 3,
  sizeInBytes: 10,
  source: 'historical',
  state: 'committed',
  committedAt: '2026-01-01T00:00:00.000Z',
  chunkId: 'c',
};

async function addDeletion(
  ledger: MemoryLedger,
  id: string,
  outcome: 'succeeded' | 'failed' | null,
  execute = true,
) {
  await ledger.append({
    type: 'deletion',
    id,
    ...where,
    time: '2026-01-02T00:00:00.000Z',
    kind: 'purge',
    predicate: "Customer == 'alice'",
    columns: [{ name: 'Customer', type: 'string' }],
    requestedBy: 'x',
    principal: null,
    execute,
  });
  if (outcome) {
    await ledger.append({
      type: 'execution',
      id: `${id}-x`,
      ...where,
      time: 't',
      deletionId: id,
      outcome,
      message: '',
      details: {},
    });
  }
}

const SCRIPT: Record<string, Answer | Answer[]> = {
  'show-external-table-schema': schemaAnswer('adxbackup_Orders', { Id: 'long', Customer: 'string' }),
  'create-or-alter-external-table': table('TableName:string', [['t']]),
  'count-matching-rows': table('Total:long, Matching:long', [[3, 1]]),
  'export-rows-not-matching': table('Path:string, NumRecords:long', [[NEW_PATH, 2]]),
  'drop-external-table': table('TableName:string', [['t']]),
};

function setup(
  script: Record<string, Answer | Answer[]> = SCRIPT,
  record: TableBackupRecord | null = RECORD,
) {
  const ledger = memoryLedger();
  const gateway = scriptedGateway(script);
  const puts: ArtifactRecord[][] = [];
  const deleted: string[] = [];
  const catalog: ScrubCatalog = {
    getTable: (cluster, database, t) =>
      Promise.resolve(
        cluster === CLUSTER && database === 'Sales' && t === 'Orders' ? (record ?? undefined) : undefined,
      ),
    listArtifacts: () => Promise.resolve([ARTIFACT]),
    putArtifacts: (a) => Promise.resolve(void puts.push([...a])),
  };
  const deps: ScrubDeps = {
    gatewayFor: () => gateway,
    ledger,
    catalog,
    blobs: { deleteIfExists: (url) => Promise.resolve(void deleted.push(url)) },
    storageAuth: { kind: 'impersonate' },
    now: () => new Date('2026-02-01T00:00:00Z'),
    newId: () => 'abcdef01-2345-4678-9abc-def012345678',
  };
  return { deps, ledger, gateway, puts, deleted };
}

test('scrubs the committed artifacts through a temporary external table and audits the result', async () => {
  const s = setup();
  await addDeletion(s.ledger, 'd1', 'succeeded');
  const summary = await scrubDeletion(s.deps, 'd1');
  expect(summary).toMatchObject({
    deletionId: 'd1',
    scrubId: 'abcdef01-2345-4678-9abc-def012345678',
    outcome: 'succeeded',
    message: 'removed 1 rows: 1 artifact(s) rewritten, 0 dropped',
    details: { examined: 1, rewritten: 1, rowsRemoved: 1, replacements: [{ from: PATH, to: [NEW_PATH] }] },
  });
  expect(s.gateway.sent.map((c) => c.operation)).toEqual([
    'show-external-table-schema',
    'create-or-alter-external-table',
    'count-matching-rows',
    'create-or-alter-external-table',
    'count-matching-rows',
    'export-rows-not-matching',
    'drop-external-table',
  ]);
  const exportText = s.gateway.sent[5]!.text;
  expect(exportText).toContain("namePrefix='scrub_abcdef0123454678'");
  expect(exportText).toContain("external_table('adxbackup_scrub_abcdef0123454678')");
  expect(s.deleted).toEqual([PATH]);
  expect(s.puts[0]!.map((a) => [a.path, a.state])).toEqual([
    [NEW_PATH, 'committed'],
    [PATH, 'orphan'],
  ]);
  const last = s.ledger.entries[s.ledger.entries.length - 1]!;
  expect(last).toMatchObject({ type: 'scrub', deletionId: 'd1', outcome: 'succeeded', id: summary.scrubId });
  expect((await s.ledger.readTable('Sales', 'Orders')).verification.valid).toBe(true);
});

test('an artifact that cannot be scrubbed makes a failed, audited scrub; the temporary table is still dropped', async () => {
  const s = setup({ ...SCRIPT, 'count-matching-rows': [table('Total:long, Matching:long', [[9, 1]])] });
  await addDeletion(s.ledger, 'd1', null, false);
  const summary = await scrubDeletion(s.deps, 'd1');
  expect(summary.outcome).toBe('failed');
  expect(summary.message).toContain('holds 9 rows but the catalog records 3');
  expect(s.gateway.sent[s.gateway.sent.length - 1]!.operation).toBe('drop-external-table');
  expect(s.puts).toEqual([]);
  expect(s.ledger.entries[s.ledger.entries.length - 1]).toMatchObject({ type: 'scrub', outcome: 'failed' });
});

test('refuses, without touching anything, what cannot or must not be scrubbed', async () => {
  const s = setup();
  await addDeletion(s.ledger, 'failed', 'failed');
  await addDeletion(s.ledger, 'pending', null);
  await expect(scrubDeletion(s.deps, 'nope')).rejects.toThrow(
    new NotFoundError("deletion 'nope' was not found"),
  );
  await expect(scrubDeletion(s.deps, 'failed-x')).rejects.toBeInstanceOf(NotFoundError); // an execution entry
  await expect(scrubDeletion(s.deps, 'failed')).rejects.toThrow(/is failed on the source/);
  await expect(scrubDeletion(s.deps, 'pending')).rejects.toBeInstanceOf(ConflictError);

  const noBackup = setup(SCRIPT, null);
  await addDeletion(noBackup.ledger, 'd1', 'succeeded');
  await expect(scrubDeletion(noBackup.deps, 'd1')).rejects.toThrow(/no backup of 'Sales'.'Orders'/);

  const drifted = setup({
    ...SCRIPT,
    'show-external-table-schema': schemaAnswer('adxbackup_Orders', { Id: 'long' }),
  });
  await addDeletion(drifted.ledger, 'd1', 'succeeded');
  await expect(scrubDeletion(drifted.deps, 'd1')).rejects.toThrow(/does not fit the backup's columns/);

  for (const x of [s, noBackup, drifted]) expect(x.gateway.mutating()).toEqual([]);
  expect(s.ledger.entries.every((e) => e.type !== 'scrub')).toBe(true);
});

test('one scrub of a table at a time', async () => {
  const s = setup();
  await addDeletion(s.ledger, 'd1', 'succeeded');
  const [first, second] = await Promise.allSettled([
    scrubDeletion(s.deps, 'd1'),
    scrubDeletion(s.deps, 'd1'),
  ]);
  expect(first.status).toBe('fulfilled');
  expect(second.status === 'rejected' && second.reason instanceof ConflictError).toBe(true);
  // Once done, the table can be scrubbed again (nothing left to do then is still a success).
  expect((await scrubDeletion(s.deps, 'd1')).outcome).toBe('succeeded');
});
