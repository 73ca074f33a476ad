import { ValidationError } from '../../../lib/errors';
import {
  DeletionRequestError,
  MAX_LEDGER_PREDICATE_BYTES,
  parseDeletionId,
  parseDeletionRequest,
  parseListQuery,
} from '../../../lib/http/deletionRequest';

const body = {
  clusterUri: 'https://C1.westeurope.kusto.windows.net/',
  database: 'Sales',
  table: 'Orders',
  predicate: "Customer == 'alice'",
  kind: 'purge',
};

function problemsOf(fn: () => unknown): { field: string; message: string }[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DeletionRequestError);
    return [...(error as DeletionRequestError).problems];
  }
  throw new Error('expected a rejection');
}

test('applies defaults: execute true, who asked from the principal header', () => {
  expect(parseDeletionRequest(body, { principal: ' dpo@example.com ' })).toEqual({
    clusterUri: 'https://c1.westeurope.kusto.windows.net',
    database: 'Sales',
    table: 'Orders',
    predicate: "Customer == 'alice'",
    kind: 'purge',
    execute: true,
    requestedBy: 'dpo@example.com',
    principal: 'dpo@example.com',
  });
  const named = parseDeletionRequest(
    { ...body, execute: false, requestedBy: 'ticket 42' },
    { principal: null },
  );
  expect(named).toMatchObject({ execute: false, requestedBy: 'ticket 42', principal: null });
  expect(parseDeletionRequest(body, {}).requestedBy).toBe('unknown');
});

test('uses the configured cluster when the body names none, and requires one', () => {
  const { clusterUri: _omit, ...rest } = body;
  expect(parseDeletionRequest(rest, { defaultClusterUri: 'http://127.0.0.1:8080' }).clusterUri).toBe(
    'http://127.0.0.1:8080',
  );
  expect(problemsOf(() => parseDeletionRequest(rest, {}))).toEqual([
    { field: 'clusterUri', message: 'is required (no ADX_BACKUP_CLUSTER_URI configured)' },
  ]);
});

test('names every bad field at once', () => {
  const problems = problemsOf(() =>
    parseDeletionRequest(
      {
        clusterUri: 'http://evil.example.com',
        database: "Sales'; .drop",
        table: '',
        predicate: '   ',
        kind: 'delete',
        requestedBy: 'a\u0000b',
      },
      { principal: 'x'.repeat(300) },
    ),
  );
  expect(problems.map((p) => p.field)).toEqual([
    'clusterUri',
    'database',
    'table',
    'predicate',
    'requestedBy',
    'x-ms-client-principal-name',
  ]);
  expect(problems[0]!.message).toMatch(/http is only allowed for loopback/);
});

test('rejects schema problems: unknown fields (a typo must not turn "record only" into a purge), types, kind', () => {
  expect(problemsOf(() => parseDeletionRequest({ ...body, excute: false }, {}))).toEqual([
    { field: 'excute', message: 'is not a known field' },
  ]);
  const fields = problemsOf(() =>
    parseDeletionRequest({ ...body, kind: 'drop', execute: 'false', predicate: 7 }, {}),
  ).map((p) => p.field);
  expect(fields.sort()).toEqual(['execute', 'kind', 'predicate']);
  expect(problemsOf(() => parseDeletionRequest(null, {}))[0]!.field).toBe('body');
  expect(
    problemsOf(() => parseDeletionRequest({}, {}))
      .map((p) => p.field)
      .sort(),
  ).toEqual(['database', 'kind', 'predicate', 'table']);
});

test('caps the predicate so its ledger entry always fits (bytes, not characters)', () => {
  const justFits = `Id == 1 or Customer == '${'x'.repeat(MAX_LEDGER_PREDICATE_BYTES - 30)}'`;
  expect(Buffer.byteLength(justFits)).toBeLessThanOrEqual(MAX_LEDGER_PREDICATE_BYTES);
  expect(parseDeletionRequest({ ...body, predicate: justFits }, {}).predicate).toBe(justFits);
  const wide = `Customer == '${'é'.repeat(MAX_LEDGER_PREDICATE_BYTES / 2)}'`;
  expect(problemsOf(() => parseDeletionRequest({ ...body, predicate: wide }, {}))[0]!.field).toBe(
    'predicate',
  );
});

test('list query: database required, table optional, both validated', () => {
  expect(parseListQuery(new URLSearchParams('database=Sales'))).toEqual({
    database: 'Sales',
    table: undefined,
  });
  expect(parseListQuery(new URLSearchParams('database=Sales&table=Orders'))).toEqual({
    database: 'Sales',
    table: 'Orders',
  });
  expect(problemsOf(() => parseListQuery(new URLSearchParams('table=a|b'))).map((p) => p.field)).toEqual([
    'database',
    'table',
  ]);
});

test('deletion ids are guids', () => {
  expect(parseDeletionId('0D1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D')).toBe(
    '0d1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  );
  for (const bad of [undefined, '', 'x', "0d1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' or 1 eq 1"]) {
    expect(() => parseDeletionId(bad)).toThrow(ValidationError);
  }
});
