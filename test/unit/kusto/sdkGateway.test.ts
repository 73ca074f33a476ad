import { inspect } from 'node:util';
import { PermanentError, ThrottledError, TransientError, ValidationError } from '../../../lib/errors';
import type { LogFields, Logger } from '../../../lib/kusto/gateway';
import { SdkKustoGateway } from '../../../lib/kusto/sdkGateway';
import type { SdkGatewayOptions } from '../../../lib/kusto/sdkGateway';
import type { KustoCommand } from '../../../lib/kusto/types';
import type { FakeKustoServer } from '../../helpers/fakeKustoServer';
import { columns, errorReply, startFakeKustoServer, v1Body, v2Body } from '../../helpers/fakeKustoServer';

const showTables: KustoCommand = {
  text: '.show tables',
  operation: 'listTables',
  mutating: false,
  endpoint: 'engine',
};
const countQuery: KustoCommand = {
  text: 'Events | count',
  operation: 'countRows',
  mutating: false,
  endpoint: 'engine',
};
const TABLES = columns('TableName:string, DatabaseName:string, Folder:string, DocString:string');
const LOW_MEMORY_TEXT =
  "Query execution lacks memory resources to complete (80DA0007): Partial query failure: Low memory condition (E_LOW_MEMORY_CONDITION). (message: 'bad allocation (E_LOW_MEMORY_CONDITION)', details: '')";

interface LogLine {
  level: string;
  message: string;
  fields?: LogFields;
}

let server: FakeKustoServer;
let dmServer: FakeKustoServer;
let gateways: SdkKustoGateway[] = [];
let sleeps: number[];
let logs: LogLine[];

const logger: Logger = {
  info: (message, fields) => logs.push({ level: 'info', message, fields }),
  warn: (message, fields) => logs.push({ level: 'warn', message, fields }),
  error: (message, fields) => logs.push({ level: 'error', message, fields }),
};

function gateway(overrides: Partial<SdkGatewayOptions> = {}): SdkKustoGateway {
  const g = new SdkKustoGateway({
    clusterUri: server.url,
    logger,
    retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 5000 },
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
    ...overrides,
  });
  gateways.push(g);
  return g;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  server = await startFakeKustoServer();
  dmServer = await startFakeKustoServer();
});

afterAll(async () => {
  await server.close();
  await dmServer.close();
});

beforeEach(() => {
  sleeps = [];
  logs = [];
});

afterEach(() => {
  for (const g of gateways) g.close();
  gateways = [];
  server.reset();
  dmServer.reset();
});

describe('successful answers', () => {
  it('returns the v1 primary table of a management command with column types and raw cells', async () => {
    server.enqueue({ body: v1Body(TABLES, [['Events', 'db1', '', 'doc']]) });
    const table = await gateway().execute('db1', showTables);
    expect(table).toEqual({
      columns: [
        { name: 'TableName', type: 'string' },
        { name: 'DatabaseName', type: 'string' },
        { name: 'Folder', type: 'string' },
        { name: 'DocString', type: 'string' },
      ],
      rows: [['Events', 'db1', '', 'doc']],
    });
    const [req] = server.commandRequests();
    expect(req).toMatchObject({ method: 'POST', path: '/v1/rest/mgmt', db: 'db1', csl: '.show tables' });
  });

  it('reads v2 frames for queries and keeps 7-digit datetimes and timespans as sent', async () => {
    server.enqueue({
      body: v2Body(columns('Timestamp:datetime, Took:timespan, n:long'), [
        ['2026-01-05T18:00:00.1234567Z', '1.01:02:03.0040005', 42],
      ]),
    });
    const table = await gateway().execute('db1', countQuery);
    expect(table.columns).toEqual([
      { name: 'Timestamp', type: 'datetime' },
      { name: 'Took', type: 'timespan' },
      { name: 'n', type: 'long' },
    ]);
    expect(table.rows).toEqual([['2026-01-05T18:00:00.1234567Z', '1.01:02:03.0040005', 42]]);
    expect(server.commandRequests()[0]?.path).toBe('/v2/rest/query');
  });

  it('sends DM commands to the DM endpoint', async () => {
    dmServer.enqueue({ body: v1Body(columns('ResourceTypeName:string, StorageRoot:string'), []) });
    const g = gateway({ dmUri: dmServer.url });
    await g.execute('NetDefaultDB', { ...showTables, text: '.get ingestion resources', endpoint: 'dm' });
    expect(dmServer.commandRequests()).toHaveLength(1);
    expect(server.commandRequests()).toHaveLength(0);
    expect(g.endpointUri('dm')).toBe(dmServer.url);
  });

  it('uses the engine URI for the DM endpoint of a loopback emulator', () => {
    expect(gateway().endpointUri('dm')).toBe(server.url);
  });
});

describe('request identity and auth', () => {
  it('sets a client request id adx-backup.<operation>;<uuid>, unique per attempt', async () => {
    server.enqueue(errorReply(503, { code: 'ServiceUnavailable', message: 'busy' }), {
      body: v1Body(TABLES, []),
    });
    await gateway().execute('db1', showTables);
    const ids = server.commandRequests().map((r) => r.clientRequestId);
    expect(ids).toHaveLength(2);
    for (const id of ids)
      expect(id).toMatch(
        /^adx-backup\.listTables;[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      );
    expect(new Set(ids).size).toBe(2);
  });

  it('replaces characters in the operation that do not belong in the header', async () => {
    server.enqueue({ body: v1Body(TABLES, []) });
    await gateway({ newId: () => 'fixed' }).execute('db1', { ...showTables, operation: 'list tables;x' });
    expect(server.commandRequests()[0]?.clientRequestId).toBe('adx-backup.list_tables_x;fixed');
  });

  it('sends no Authorization header to a loopback endpoint', async () => {
    server.enqueue({ body: v1Body(TABLES, []) }, { body: v2Body(columns('n:long'), [[1]]) });
    const g = gateway();
    await g.execute('db1', showTables);
    await g.execute('db1', countQuery);
    expect(server.requests.length).toBeGreaterThanOrEqual(2);
    for (const r of server.requests) expect(r.headers.authorization).toBeUndefined();
  });

  it('rejects an http cluster URI that is not loopback', () => {
    expect(() => gateway({ clusterUri: 'http://mycluster.westeurope.kusto.windows.net' })).toThrow(
      ValidationError,
    );
  });
});

describe('throttling and transient failures', () => {
  const throttled = errorReply(429, {
    code: 'TooManyRequests',
    message: 'The management command was aborted due to throttling.',
    type: 'Kusto.DataNode.Exceptions.ControlCommandThrottledException',
    permanent: false,
  });

  it('retries a 429 with jittered exponential back-off, then succeeds', async () => {
    server.enqueue(throttled, throttled, { body: v1Body(TABLES, [['Events', 'db1', '', '']]) });
    const table = await gateway().execute('db1', showTables);
    expect(table.rows).toHaveLength(1);
    expect(server.commandRequests()).toHaveLength(3);
    // random 0.5 → 3/4 of each step: 100 → 75, 200 → 150
    expect(sleeps).toEqual([75, 150]);
    expect(logs.map((l) => l.level)).toEqual(['warn', 'warn']);
    expect(logs[0]?.fields).toMatchObject({
      operation: 'listTables',
      errorType: 'ThrottledError',
      httpStatus: 429,
      attempt: 1,
      attempts: 3,
      delayMs: 75,
    });
    expect(logs[0]?.fields?.clientRequestId).toBe(server.commandRequests()[0]?.clientRequestId);
  });

  it('surfaces ThrottledError when every attempt is throttled', async () => {
    server.setFallback(() => throttled);
    const error = await failure(gateway().execute('db1', showTables));
    expect(error).toBeInstanceOf(ThrottledError);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as ThrottledError).info).toMatchObject({ httpStatus: 429, serverCode: 'TooManyRequests' });
    expect(error.message).toContain('The management command was aborted due to throttling.');
    expect(server.commandRequests()).toHaveLength(3);
    expect(logs.map((l) => l.level)).toEqual(['warn', 'warn', 'error']);
  });

  it('waits at least the server Retry-After, bounded by the cap', async () => {
    server.enqueue(
      { ...throttled, headers: { 'retry-after': '2' } },
      { ...throttled, headers: { 'retry-after': '60' } },
      { body: v1Body(TABLES, []) },
    );
    await gateway().execute('db1', showTables);
    expect(sleeps).toEqual([2000, 5000]);
  });

  it('classifies a low-memory 400 as transient and retries it', async () => {
    server.enqueue(
      errorReply(400, {
        code: 'LowMemoryCondition',
        message: LOW_MEMORY_TEXT,
        type: 'Kusto.Data.Exceptions.KustoServicePartialQueryFailureLowMemoryConditionException',
        permanent: false,
      }),
      { body: v1Body(TABLES, []) },
    );
    await gateway().execute('db1', showTables);
    expect(server.commandRequests()).toHaveLength(2);
  });

  it('recognises low memory by its HRESULT even under a generic code', async () => {
    server.setFallback(() => errorReply(400, { code: 'General_BadRequest', message: 'failed (80DA0007)' }));
    const error = await failure(gateway({ retry: { attempts: 2 } }).execute('db1', showTables));
    expect(error).toBeInstanceOf(TransientError);
    expect(error).not.toBeInstanceOf(ThrottledError);
    expect(server.commandRequests()).toHaveLength(2);
  });

  it('treats an in-band v2 low-memory error as transient', async () => {
    server.setFallback(() => ({
      body: v2Body(columns('n:long'), [], {
        oneApiErrors: [
          {
            error: {
              code: 'LowMemoryCondition',
              message: 'partial failure',
              '@message': LOW_MEMORY_TEXT,
              '@permanent': false,
            },
          },
        ],
      }),
    }));
    const error = await failure(gateway({ retry: { attempts: 2 } }).execute('db1', countQuery));
    expect(error).toBeInstanceOf(TransientError);
    expect((error as TransientError).info).toMatchObject({
      serverCode: 'LowMemoryCondition',
      httpStatus: 200,
    });
    expect(server.commandRequests()).toHaveLength(2);
  });

  it.each([500, 502, 503, 504, 520])('retries HTTP %i and surfaces TransientError', async (status) => {
    server.setFallback(() => errorReply(status, { code: 'ServiceError', message: `boom ${status}` }));
    const error = await failure(gateway().execute('db1', showTables));
    expect(error).toBeInstanceOf(TransientError);
    expect((error as TransientError).info).toMatchObject({
      httpStatus: status,
      serverMessage: `boom ${status}`,
    });
    expect(server.commandRequests()).toHaveLength(3);
  });

  it('treats a connection reset as transient', async () => {
    server.enqueue({ reset: true }, { body: v1Body(TABLES, []) });
    await gateway().execute('db1', showTables);
    expect(server.commandRequests()).toHaveLength(2);
    expect(logs[0]?.fields?.errorType).toBe('TransientError');
  });

  it('treats a client timeout as transient', async () => {
    server.setFallback(() => ({ body: v1Body(TABLES, []), delayMs: 500 }));
    const error = await failure(
      gateway({ clientTimeoutMs: 50, retry: { attempts: 2 } }).execute('db1', showTables),
    );
    expect(error).toBeInstanceOf(TransientError);
    expect(error.message).toMatch(/timeout/i);
  });
});

describe('permanent failures', () => {
  it('keeps the server @message and code of a 400 and does not retry', async () => {
    server.enqueue(
      errorReply(400, {
        code: 'General_BadRequest',
        message: 'Request is invalid and cannot be executed.',
        atMessage:
          "Semantic error: SEM0100: 'table' operator: Failed to resolve table expression named 'aaa'",
      }),
    );
    const error = await failure(gateway().execute('db1', showTables));
    expect(error).toBeInstanceOf(PermanentError);
    const info = (error as PermanentError).info;
    expect(info.serverCode).toBe('General_BadRequest');
    expect(info.serverMessage).toBe(
      "Semantic error: SEM0100: 'table' operator: Failed to resolve table expression named 'aaa'",
    );
    expect(info.httpStatus).toBe(400);
    expect(info.clientRequestId).toBe(server.commandRequests()[0]?.clientRequestId);
    expect(error.message).toContain('HTTP 400 General_BadRequest');
    expect(error.message).toContain('Failed to resolve table expression');
    expect(server.commandRequests()).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect(logs.map((l) => l.level)).toEqual(['error']);
  });

  it('falls back to the OneApi message when @message is absent', async () => {
    server.enqueue({
      status: 403,
      body: { error: { code: 'Forbidden', message: 'Principal is not authorized' } },
    });
    const error = await failure(gateway().execute('db1', showTables));
    expect((error as PermanentError).info).toMatchObject({
      serverCode: 'Forbidden',
      serverMessage: 'Principal is not authorized',
    });
  });

  it('does not retry a 400 the server marks non-permanent (wrong endpoint)', async () => {
    server.enqueue(
      errorReply(400, {
        code: 'BadRequest',
        message: 'Cannot get ingestion resources from this service endpoint.',
        type: 'Kusto.Common.Svc.Exceptions.AdminCommandWrongEndpointException',
        permanent: false,
      }),
    );
    const error = await failure(gateway().execute('db1', showTables));
    expect(error).toBeInstanceOf(PermanentError);
    expect(server.commandRequests()).toHaveLength(1);
  });

  it('classifies an in-band v2 error marked permanent as PermanentError', async () => {
    server.enqueue({
      body: v2Body(columns('n:long'), [], {
        oneApiErrors: [
          {
            error: {
              code: 'SEM0100',
              message: 'x',
              '@message': 'Failed to resolve column',
              '@permanent': true,
            },
          },
        ],
      }),
    });
    const error = await failure(gateway().execute('db1', countQuery));
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).info.serverMessage).toBe('Failed to resolve column');
    expect(server.commandRequests()).toHaveLength(1);
  });

  it('detects an error row in QueryCompletionInformation', async () => {
    server.enqueue({
      body: v2Body(columns('n:long'), [[1]], {
        completionRows: [
          [2, 'Error', '{"Text":"Query result set too large (E_QUERY_RESULT_SET_TOO_LARGE)"}'],
        ],
      }),
    });
    const error = await failure(gateway().execute('db1', countQuery));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toContain('E_QUERY_RESULT_SET_TOO_LARGE');
  });

  it('detects v1 in-band exceptions the SDK would ignore', async () => {
    server.enqueue({
      body: {
        Tables: [
          {
            TableName: 'Table_0',
            Columns: [{ ColumnName: 'n', ColumnType: 'long' }],
            Rows: [[1], { Exceptions: ['Partial query failure: x'] }],
          },
        ],
        Exceptions: ['Partial query failure: x'],
      },
    });
    const error = await failure(gateway().execute('db1', showTables));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toContain('Partial query failure');
  });

  it('rejects a body that is not a Kusto response', async () => {
    server.enqueue({ body: { hello: 'world' } });
    const error = await failure(gateway().execute('db1', showTables));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toContain('Unexpected Kusto response');
  });
});

describe('secrets', () => {
  const SECRETS = ['SECRETSIGVALUE', 'SECRETACCOUNTKEY', 'SECRETBEARERTOKEN'];
  const secretText =
    'https://acct.blob.core.windows.net/c?sv=2024-01-01&sig=SECRETSIGVALUE DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=SECRETACCOUNTKEY; Authorization: Bearer SECRETBEARERTOKEN';
  const command: KustoCommand = {
    text: `.export async to csv (h@'https://acct.blob.core.windows.net/c?sv=1&sig=SECRETSIGVALUE') <| T // AccountKey=SECRETACCOUNTKEY Bearer SECRETBEARERTOKEN`,
    operation: 'exportChunk',
    mutating: true,
    endpoint: 'engine',
  };

  function assertClean(error: Error): void {
    const surfaces = [
      error.message,
      String(error),
      error.stack ?? '',
      inspect(error, { depth: 10 }),
      JSON.stringify((error as PermanentError).info ?? {}),
      JSON.stringify(logs),
    ].join('\n');
    for (const secret of SECRETS) expect(surfaces).not.toContain(secret);
    expect(surfaces).toContain('[REDACTED]');
  }

  it('masks secrets from a permanent server error that echoes the command', async () => {
    server.enqueue((req) =>
      errorReply(400, {
        code: 'General_BadRequest',
        message: `Invalid: ${secretText}`,
        atMessage: `Failed to run '${req.csl ?? ''}': ${secretText}`,
        text: req.csl ?? '',
      }),
    );
    const error = await failure(gateway().execute('db1', command));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toContain('Failed to run');
    assertClean(error);
  });

  it('masks secrets in retried transient failures and their log lines', async () => {
    server.setFallback(() => errorReply(503, { code: 'ServiceUnavailable', message: secretText }));
    const error = await failure(gateway().execute('db1', command));
    expect(error).toBeInstanceOf(TransientError);
    expect(logs).toHaveLength(3);
    assertClean(error);
  });

  it('masks secrets in throttled and in-band failures', async () => {
    server.enqueue(errorReply(429, { code: 'TooManyRequests', message: secretText, permanent: false }), {
      body: v2Body(columns('n:long'), [], {
        oneApiErrors: [
          { error: { code: 'X', message: secretText, '@message': secretText, '@permanent': true } },
        ],
      }),
    });
    const error = await failure(
      gateway().execute('db1', { ...command, text: `T | where x == '${secretText}'` }),
    );
    expect(error).toBeInstanceOf(PermanentError);
    assertClean(error);
  });

  it('masks secrets of a non-OneApi error body', async () => {
    server.enqueue({ status: 401, body: `Unauthorized; token Bearer SECRETBEARERTOKEN sig=SECRETSIGVALUE` });
    const error = await failure(gateway().execute('db1', command));
    expect(error).toBeInstanceOf(PermanentError);
    assertClean(error);
  });
});

describe('cancellation and lifecycle', () => {
  it('stops retrying when the signal aborts during back-off', async () => {
    const controller = new AbortController();
    server.setFallback(() => errorReply(503, { code: 'ServiceUnavailable', message: 'busy' }));
    const g = gateway({
      sleep: () => {
        controller.abort(new Error('shutting down'));
        return Promise.reject(new Error('shutting down'));
      },
    });
    const error = await failure(g.execute('db1', showTables, { signal: controller.signal }));
    expect(error.message).toBe('shutting down');
    expect(server.commandRequests()).toHaveLength(1);
  });

  it('abandons an in-flight request when the signal aborts', async () => {
    server.setFallback(() => ({ body: v1Body(TABLES, []), delayMs: 2000 }));
    const controller = new AbortController();
    const started = Date.now();
    const pending = gateway().execute('db1', showTables, { signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    const error = await failure(pending);
    expect(error.name).toBe('AbortError');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('sends the server timeout when given', async () => {
    server.enqueue({ body: v1Body(TABLES, []) });
    await gateway().execute('db1', showTables, { timeoutMs: 90_000 });
    expect(server.commandRequests()[0]?.body).toMatchObject({
      properties: { Options: { servertimeout: '00:01:30.000' } },
    });
  });

  it('fails after close', async () => {
    const g = gateway();
    g.close();
    await expect(g.execute('db1', showTables)).rejects.toBeInstanceOf(PermanentError);
  });

  it('rejects an empty database name', async () => {
    await expect(gateway().execute(' ', showTables)).rejects.toBeInstanceOf(ValidationError);
  });
});
