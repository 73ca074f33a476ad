import { DM_DATABASE, recordDeletion, type DeletionRequest } from '../../../lib/deletions/record';
import {
  NotFoundError,
  PermanentError,
  ThrottledError,
  TransientError,
  ValidationError,
} from '../../../lib/errors';
import type { KustoGateway } from '../../../lib/kusto/gateway';
import { memoryLedger } from '../../helpers/memoryLedger';
import { table } from '../../helpers/resultTables';
import { notFound, scriptedGateway, type Answer } from '../../helpers/scriptedGateway';
import { schemaAnswer } from '../../helpers/schemaAnswers';

const SCHEMA = schemaAnswer('Orders', { Id: 'long', Customer: 'string', Amount: 'real', Ts: 'datetime' });
const DELETED = table('OriginalExtentId:string, ResultExtentId:string, RecordsMatchPredicate:long', [
  ['e1', 'e2', 2],
  ['e3', 'e4', 1],
]);
const purgeRow = (state: string) =>
  table('OperationId:guid, DatabaseName:string, TableName:string, State:string, StateDetails:string', [
    [
      'c9651d74-3b80-4183-90bb-bbe9e42eadc4',
      'Sales',
      'Orders',
      state,
      state === 'Failed' ? 'disk on fire' : '',
    ],
  ]);

const request = (over: Partial<DeletionRequest> = {}): DeletionRequest => ({
  clusterUri: 'https://c1.kusto.windows.net',
  database: 'Sales',
  table: 'Orders',
  predicate: "Customer  ==  'alice' // a comment\n and Amount > 10",
  kind: 'delete',
  execute: true,
  requestedBy: 'dpo',
  principal: 'dpo@example.com',
  ...over,
});

/** A scripted gateway that also records the database of each call. */
function gatewayWith(script: Record<string, Answer | Answer[]>) {
  const inner = scriptedGateway({ 'show-table-schema': SCHEMA, ...script });
  const databases: string[] = [];
  const gateway: KustoGateway = {
    execute: (database, command, options) => {
      databases.push(database);
      return inner.execute(database, command, options);
    },
    close: () => undefined,
  };
  return { gateway, sent: inner.sent, mutating: () => inner.mutating(), databases };
}

let ids = 0;
const deps = (gateway: KustoGateway, ledger = memoryLedger()) => ({
  gateway,
  ledger,
  now: () => new Date('2026-03-01T12:00:00Z'),
  newId: () => `id-${++ids}`,
});

test('a soft delete: validated, recorded first, run on the engine, outcome recorded as a second entry', async () => {
  const g = gatewayWith({ 'delete-records': DELETED });
  const ledger = memoryLedger();
  const summary = await recordDeletion(deps(g.gateway, ledger), request());

  expect(g.sent.map((c) => c.operation)).toEqual(['show-table-schema', 'delete-records']);
  // The stored predicate is the normalised one: no comment, single spaces.
  expect(g.mutating()).toEqual([
    ".delete table ['Orders'] records <| ['Orders'] | where Customer == 'alice' and Amount > 10",
  ]);
  expect(g.databases).toEqual(['Sales', 'Sales']);
  expect(ledger.entries.map((e) => e.type)).toEqual(['deletion', 'execution']);
  expect(ledger.entries[0]).toMatchObject({
    kind: 'delete',
    predicate: "Customer == 'alice' and Amount > 10",
    columns: [
      { name: 'Amount', type: 'real' },
      { name: 'Customer', type: 'string' },
    ],
    requestedBy: 'dpo',
    principal: 'dpo@example.com',
    time: '2026-03-01T12:00:00.000Z',
  });
  expect(summary).toMatchObject({
    status: 'succeeded',
    message: 'soft delete completed (3 records)',
    details: { recordsDeleted: 3, extentsReplaced: 2 },
    executedAt: '2026-03-01T12:00:00.000Z',
  });
  expect((await ledger.readTable('Sales', 'Orders')).verification.valid).toBe(true);
});

test('a purge goes to the data-management endpoint; a failed purge state is a failed outcome', async () => {
  const ok = gatewayWith({ 'purge-records': purgeRow('Scheduled') });
  const summary = await recordDeletion(deps(ok.gateway), request({ kind: 'purge' }));
  expect(ok.sent[1]).toMatchObject({ operation: 'purge-records', endpoint: 'dm' });
  expect(ok.sent[1]!.text).toBe(
    ".purge table ['Orders'] records in database ['Sales'] with (noregrets='true') <| where Customer == 'alice' and Amount > 10",
  );
  expect(ok.databases[1]).toBe(DM_DATABASE);
  expect(summary).toMatchObject({
    status: 'succeeded',
    details: { operationId: 'c9651d74-3b80-4183-90bb-bbe9e42eadc4', state: 'Scheduled' },
  });

  const bad = gatewayWith({ 'purge-records': purgeRow('Failed') });
  expect(await recordDeletion(deps(bad.gateway), request({ kind: 'purge' }))).toMatchObject({
    status: 'failed',
    message: 'purge Failed: disk on fire',
  });
});

test.each([
  [
    'a server error',
    new PermanentError('HTTP 400', {
      serverCode: 'General_BadRequest',
      serverMessage: 'Nope.',
      httpStatus: 400,
    }),
    'failed',
    'Nope.',
  ],
  ['throttling (not run)', new ThrottledError('throttled', { httpStatus: 429 }), 'failed', 'throttled'],
  ['a lost answer (may have run)', new TransientError('timeout', { httpStatus: 504 }), 'unknown', 'timeout'],
  ['anything else', new Error('socket hang up'), 'unknown', 'socket hang up'],
])('%s is recorded honestly', async (_label, error, status, message) => {
  const g = gatewayWith({ 'delete-records': error });
  const ledger = memoryLedger();
  const summary = await recordDeletion(deps(g.gateway, ledger), request());
  expect(summary).toMatchObject({ status, message });
  expect(ledger.entries.map((e) => e.type)).toEqual(['deletion', 'execution']);
});

test('record only: nothing runs', async () => {
  const g = gatewayWith({});
  const ledger = memoryLedger();
  const summary = await recordDeletion(deps(g.gateway, ledger), request({ execute: false, kind: 'purge' }));
  expect(g.mutating()).toEqual([]);
  expect(summary).toMatchObject({ status: 'recorded', executedAt: null, execute: false });
  expect(ledger.entries).toHaveLength(1);
});

test.each([
  ['another table', 'Id in (Other | project Id)'],
  ['a pipe', "Customer == 'a' | take 1"],
  ['an unknown column', 'Nope == 1'],
  ['ingestion_time()', 'ingestion_time() > ago(1d)'],
])('a predicate with %s is rejected before anything is recorded or run', async (_label, predicate) => {
  const g = gatewayWith({});
  const ledger = memoryLedger();
  const error = await recordDeletion(deps(g.gateway, ledger), request({ predicate })).catch(
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).field).toBe('predicate');
  expect(ledger.entries).toEqual([]);
  expect(g.mutating()).toEqual([]);
});

test('an unknown table is a NotFoundError and nothing is recorded', async () => {
  const g = gatewayWith({ 'show-table-schema': notFound('Table', 'Orders') });
  const ledger = memoryLedger();
  await expect(recordDeletion(deps(g.gateway, ledger), request())).rejects.toBeInstanceOf(NotFoundError);
  expect(ledger.entries).toEqual([]);
});
