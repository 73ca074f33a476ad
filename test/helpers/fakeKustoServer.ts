/**
 * A tiny scripted Kusto endpoint on 127.0.0.1 for driving the real azure-kusto-data client:
 * it answers `/v1/rest/mgmt`, `/v1/rest/query` and `/v2/rest/query` from a queue of scripted
 * replies (real v1 / v2 / OneApi shapes, reference §2), 404s `/v1/rest/auth/metadata` (the client
 * then uses public-cloud defaults), and records every request.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the server saw it. */
export interface FakeKustoRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  /** Parsed JSON body (undefined for GET or non-JSON). */
  readonly body: unknown;
  readonly db?: string;
  readonly csl?: string;
  readonly clientRequestId?: string;
}

/** What to answer one request with: a status and JSON body (200 by default), optionally delayed. */
export type FakeReply =
  | {
      readonly status?: number;
      readonly body: unknown;
      readonly headers?: Record<string, string>;
      readonly delayMs?: number;
    }
  /** Destroys the socket without answering (a connection reset). */
  | { readonly reset: true };

/** Computes a reply from the request. */
export type FakeHandler = (request: FakeKustoRequest) => FakeReply;

/** A running fake server. */
export interface FakeKustoServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Every request, the metadata probe included, in arrival order. */
  readonly requests: FakeKustoRequest[];
  /** Requests to the command/query endpoints only. */
  commandRequests(): FakeKustoRequest[];
  /** Appends replies, consumed one per command/query request in order. */
  enqueue(...replies: (FakeReply | FakeHandler)[]): void;
  /** Answers requests when the queue is empty (default: a permanent 400 "no scripted reply"). */
  setFallback(handler: FakeHandler): void;
  /** Clears the queue, the fallback and the recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

/** A column of a scripted table: name and Kusto type. */
export interface FakeColumn {
  readonly name: string;
  readonly type: string;
}

const DATA_TYPES: Record<string, string> = {
  string: 'String',
  datetime: 'DateTime',
  timespan: 'TimeSpan',
  int: 'Int32',
  long: 'Int64',
  real: 'Double',
  bool: 'Boolean',
  guid: 'Guid',
  dynamic: 'Object',
  decimal: 'SqlDecimal',
};

/** Parses `"A:string, B:long"` into columns. */
export function columns(spec: string): FakeColumn[] {
  return spec.split(',').map((pair) => {
    const [name, type] = pair.split(':').map((s) => s.trim());
    return { name: name ?? '', type: type ?? 'string' };
  });
}

function v1Columns(cols: readonly FakeColumn[]): object[] {
  return cols.map((c) => ({
    ColumnName: c.name,
    DataType: DATA_TYPES[c.type] ?? 'Object',
    ColumnType: c.type,
  }));
}

/** A plain management-command answer: one table `Table_0` (reference §2.3). */
export function v1Body(cols: readonly FakeColumn[], rows: unknown[][]): object {
  return { Tables: [{ TableName: 'Table_0', Columns: v1Columns(cols), Rows: rows }] };
}

/**
 * A command piped into a query: primary result, `@ExtendedProperties`, QueryStatus and the
 * TableOfContents the client relies on when there are more than two tables (reference §2.3).
 */
export function v1QueryShapedBody(cols: readonly FakeColumn[], rows: unknown[][]): object {
  const guid = '6f3c1072-0000-4000-8000-000000000001';
  return {
    Tables: [
      { TableName: 'Table_0', Columns: v1Columns(cols), Rows: rows },
      {
        TableName: 'Table_1',
        Columns: v1Columns(columns('Value:string')),
        Rows: [['{"Visualization":null}']],
      },
      {
        TableName: 'Table_2',
        Columns: v1Columns(
          columns(
            'Timestamp:datetime, Severity:int, SeverityName:string, StatusCode:int, StatusDescription:string, Count:int, RequestId:guid, ActivityId:guid, SubActivityId:guid, ClientActivityId:string',
          ),
        ),
        Rows: [
          [
            '2026-01-05T18:00:00.1234567Z',
            4,
            'Info',
            0,
            'Query completed successfully',
            1,
            guid,
            guid,
            guid,
            'x',
          ],
        ],
      },
      {
        TableName: 'Table_3',
        Columns: v1Columns(columns('Ordinal:long, Kind:string, Name:string, Id:string, PrettyName:string')),
        Rows: [
          [0, 'QueryResult', 'PrimaryResult', guid, ''],
          [1, 'QueryProperties', '@ExtendedProperties', guid, ''],
          [2, 'QueryStatus', 'QueryStatus', '00000000-0000-0000-0000-000000000000', ''],
        ],
      },
    ],
  };
}

/** Options for {@link v2Body}. */
export interface V2Options {
  /** OneApi error objects for `DataSetCompletion` (sets `HasErrors`). */
  readonly oneApiErrors?: readonly object[];
  /** Extra `QueryCompletionInformation` rows: `[level, levelName, payload]`. */
  readonly completionRows?: readonly [number, string, string][];
}

/** A non-progressive v2 frame array with one primary result (reference §2.4). */
export function v2Body(cols: readonly FakeColumn[], rows: unknown[][], options: V2Options = {}): object[] {
  const errors = options.oneApiErrors ?? [];
  return [
    { FrameType: 'DataSetHeader', IsProgressive: false, Version: 'v2.0' },
    {
      FrameType: 'DataTable',
      TableId: 0,
      TableKind: 'QueryProperties',
      TableName: '@ExtendedProperties',
      Columns: [
        { ColumnName: 'TableId', ColumnType: 'int' },
        { ColumnName: 'Key', ColumnType: 'string' },
        { ColumnName: 'Value', ColumnType: 'dynamic' },
      ],
      Rows: [[1, 'Visualization', '{"Visualization":null}']],
    },
    {
      FrameType: 'DataTable',
      TableId: 1,
      TableKind: 'PrimaryResult',
      TableName: 'PrimaryResult',
      Columns: cols.map((c) => ({ ColumnName: c.name, ColumnType: c.type })),
      Rows: rows,
    },
    {
      FrameType: 'DataTable',
      TableId: 2,
      TableKind: 'QueryCompletionInformation',
      TableName: 'QueryCompletionInformation',
      Columns: columns(
        'Timestamp:datetime, ClientRequestId:string, ActivityId:guid, SubActivityId:guid, ParentActivityId:guid, Level:int, LevelName:string, StatusCode:int, StatusCodeName:string, EventType:int, EventTypeName:string, Payload:string',
      ).map((c) => ({ ColumnName: c.name, ColumnType: c.type })),
      Rows: [
        [
          '2026-01-05T18:00:00.1234567Z',
          'x',
          null,
          null,
          null,
          4,
          'Info',
          0,
          'S_OK (0)',
          4,
          'QueryInfo',
          '{"Count":1,"Text":"Query completed successfully"}',
        ],
        ...(options.completionRows ?? []).map(([level, name, payload]) => [
          '2026-01-05T18:00:00.1234567Z',
          'x',
          null,
          null,
          null,
          level,
          name,
          -2133196797,
          name,
          4,
          'QueryInfo',
          payload,
        ]),
      ],
    },
    {
      FrameType: 'DataSetCompletion',
      HasErrors: errors.length > 0,
      Cancelled: false,
      ...(errors.length ? { OneApiErrors: errors } : {}),
    },
  ];
}

/** Fields of a OneApi error (reference §2.5). */
export interface OneApiFields {
  readonly code: string;
  readonly message: string;
  readonly atMessage?: string;
  readonly type?: string;
  readonly permanent?: boolean;
  readonly text?: string;
}

/** A OneApi `{"error": {...}}` object. */
export function oneApiError(fields: OneApiFields): { error: Record<string, unknown> } {
  return {
    error: {
      code: fields.code,
      message: fields.message,
      '@type': fields.type ?? 'Kusto.Data.Exceptions.KustoBadRequestException',
      '@message': fields.atMessage ?? fields.message,
      '@context': { timestamp: '2026-01-05T18:00:00.1234567Z', clientRequestId: 'x' },
      '@permanent': fields.permanent ?? true,
      ...(fields.text !== undefined ? { '@text': fields.text } : {}),
    },
  };
}

/** An HTTP error reply with a OneApi body. */
export function errorReply(
  status: number,
  fields: OneApiFields,
  headers?: Record<string, string>,
): FakeReply {
  return { status, body: oneApiError(fields), ...(headers ? { headers } : {}) };
}

const COMMAND_PATHS = new Set(['/v1/rest/mgmt', '/v1/rest/query', '/v2/rest/query']);

const noScript: FakeHandler = (req) =>
  errorReply(400, {
    code: 'FakeServer_NoScript',
    message: `No scripted reply for ${req.path}: ${req.csl ?? ''}`,
  });

/** Starts a fake server on an OS-assigned loopback port. */
export async function startFakeKustoServer(): Promise<FakeKustoServer> {
  const requests: FakeKustoRequest[] = [];
  const queue: (FakeReply | FakeHandler)[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let fallback: FakeHandler = noScript;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const fields = (body ?? {}) as { db?: unknown; csl?: unknown };
      const header = req.headers['x-ms-client-request-id'];
      const recorded: FakeKustoRequest = {
        method: req.method ?? 'GET',
        path,
        headers: req.headers,
        body,
        ...(typeof fields.db === 'string' ? { db: fields.db } : {}),
        ...(typeof fields.csl === 'string' ? { csl: fields.csl } : {}),
        ...(typeof header === 'string' ? { clientRequestId: header } : {}),
      };
      requests.push(recorded);

      if (!COMMAND_PATHS.has(path)) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
        return;
      }
      const next = queue.shift() ?? fallback;
      const reply = typeof next === 'function' ? next(recorded) : next;
      if ('reset' in reply) {
        req.socket.destroy();
        return;
      }
      const send = (): void => {
        if (res.destroyed) return;
        const payload = JSON.stringify(reply.body);
        res
          .writeHead(reply.status ?? 200, {
            'content-type': 'application/json; charset=utf-8',
            ...reply.headers,
          })
          .end(payload);
      };
      if (reply.delayMs) {
        const t = setTimeout(() => {
          timers.delete(t);
          send();
        }, reply.delayMs);
        timers.add(t);
      } else {
        send();
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    commandRequests: () => requests.filter((r) => COMMAND_PATHS.has(r.path)),
    enqueue: (...replies) => {
      queue.push(...replies);
    },
    setFallback: (handler) => {
      fallback = handler;
    },
    reset: () => {
      queue.length = 0;
      requests.length = 0;
      fallback = noScript;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
