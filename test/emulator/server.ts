/**
 * The emulator's HTTP front end (node:http, loopback): the Kusto REST endpoints the clients call
 * (reference §2.1) and a few admin routes tests and the demo use to inject faults, move the clock,
 * create databases, read the command log and drain ingestion. Every Kusto request is planned first
 * (parse, shape, verb), then checked for auth, endpoint and throttling, run, answered and logged.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { CommandRegistry, CommandResult } from './commands/registry';
import type { EmulatorCore } from './core';
import { executePlan, planRequest, type Plan } from './dispatch';
import { loseOperation } from './exports';
import { KustoError } from './kustoError';
import type { CommandLogEntry } from './state';
import { formatDatetime, parseDatetime } from './values';
import { oneApiError, v1QueryResponse, v1Response, v2Response, type WireContext } from './wire';

/** What the admin routes need from the emulator beyond the core. */
export interface AdminHooks {
  /** Advances the virtual clock and runs what became due (continuous exports). */
  advanceClock(ms: number): Promise<void>;
  /** Sets the virtual clock (epoch ms). */
  setClock(ms: number): void;
  createDatabase(name: string): void;
  /** Resolves when every queued ingestion message has been processed. */
  drainIngestion(): Promise<void>;
}

/** Options of `startServer`. */
export interface ServerOptions {
  readonly core: EmulatorCore;
  readonly registry: CommandRegistry;
  readonly admin: AdminHooks;
  /** Port on 127.0.0.1; 0 (default) lets the OS choose. */
  readonly port?: number;
}

/** A running server. */
export interface EmulatorServer {
  /** `http://127.0.0.1:<port>`: engine and data-management endpoint at once. */
  readonly url: string;
  close(): Promise<void>;
}

type Endpoint = CommandLogEntry['endpoint'];

/** The three Kusto endpoints by path. */
const KUSTO_PATHS: Readonly<Record<string, Endpoint>> = {
  '/v1/rest/mgmt': 'mgmt',
  '/v1/rest/query': 'query-v1',
  '/v2/rest/query': 'query-v2',
};

/** Reference §1.0 / §2.1 texts for commands sent to a query endpoint. */
const V1_QUERY_NOT_SHOW =
  "Control commands (starting with a dot '.') cannot be served from the query endpoint unless they are .show control commands.";
const V2_COMMAND = "Control commands (starting with a dot '.') do not support api_version=v2";

const MAX_BODY = 64 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY) throw new KustoError(413, 'PayloadTooLarge', 'Request body is too large.');
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type':
      typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text).toString(),
    ...headers,
  });
  res.end(text);
}

/** A Kusto request body: `{db, csl, properties}` (properties as an object or a JSON string). */
interface KustoRequest {
  readonly db: string;
  readonly csl: string;
}

function parseKustoRequest(raw: string, query: URLSearchParams): KustoRequest {
  if (raw.trim() === '') {
    // GET /v1|v2/rest/query?db=..&csl=..
    return { db: query.get('db') ?? 'NetDefaultDB', csl: query.get('csl') ?? '' };
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw KustoError.badRequest('Request body is not valid JSON.');
  }
  if (!body || typeof body !== 'object') throw KustoError.badRequest('Request body must be a JSON object.');
  const { db, csl, properties } = body as { db?: unknown; csl?: unknown; properties?: unknown };
  if (typeof csl !== 'string' || csl.trim() === '')
    throw KustoError.badRequest("Request body has no 'csl' text.");
  if (typeof properties === 'string' && properties.trim() !== '') {
    try {
      JSON.parse(properties);
    } catch {
      throw KustoError.badRequest("Request 'properties' is not valid JSON.");
    }
  }
  return { db: typeof db === 'string' && db !== '' ? db : 'NetDefaultDB', csl };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Wraps anything thrown by a handler as a KustoError (internal failures become 500s). */
function asKustoError(error: unknown): KustoError {
  if (error instanceof KustoError) return error;
  const message = error instanceof Error ? `${error.message}` : String(error);
  return new KustoError(
    500,
    'Internal_Error',
    `Emulator internal error: ${message}`,
    'Kusto.Data.Exceptions.KustoServiceException',
    false,
  );
}

/** Routing rules of reference §1.0: which request kinds each endpoint serves. */
function routingError(endpoint: Endpoint, plan: Plan): KustoError | undefined {
  if (plan.kind !== 'command') return undefined;
  if (endpoint === 'query-v2') return KustoError.badRequest(V2_COMMAND);
  if (endpoint === 'query-v1' && !plan.isShow) return KustoError.badRequest(V1_QUERY_NOT_SHOW);
  return undefined;
}

/** The answer body for a successful request, by endpoint and kind. */
function answer(endpoint: Endpoint, plan: Plan, result: CommandResult, ctx: WireContext): unknown {
  if (endpoint === 'query-v2') return v2Response(result, ctx);
  if (endpoint === 'mgmt' && plan.kind === 'command' && !plan.piped) return v1Response(result);
  return v1QueryResponse(result, ctx);
}

class Handler {
  constructor(private readonly opts: ServerOptions) {}

  private get core(): EmulatorCore {
    return this.opts.core;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = (req.method ?? 'GET').toUpperCase();
    const endpoint = KUSTO_PATHS[path];
    if (endpoint && (method === 'POST' || (method === 'GET' && endpoint !== 'mgmt'))) {
      await this.kusto(req, res, endpoint, url.searchParams);
      return;
    }
    if (path.startsWith('/admin/')) {
      await this.admin(req, res, method, path);
      return;
    }
    // `/v1/rest/auth/metadata` included: a 404 makes the clients fall back to public-cloud defaults.
    send(res, 404, undefined);
  }

  private async kusto(
    req: IncomingMessage,
    res: ServerResponse,
    endpoint: Endpoint,
    query: URLSearchParams,
  ): Promise<void> {
    const { state, faults } = this.core;
    const sentRequestId = header(req, 'x-ms-client-request-id');
    const ctx: WireContext = {
      clientRequestId: sentRequestId ?? `Emulator;${randomUUID()}`,
      activityId: randomUUID(),
      now: state.clock.now(),
    };
    const headers = { 'x-ms-client-request-id': ctx.clientRequestId, 'x-ms-activity-id': ctx.activityId };
    let request: KustoRequest = { db: query.get('db') ?? 'NetDefaultDB', csl: '' };
    let plan: Plan | undefined;
    const log = (ok: boolean): void => {
      state.commandLog.push({
        at: ctx.now,
        database: request.db,
        text: request.csl,
        endpoint,
        clientRequestId: sentRequestId,
        verb: plan?.verb ?? 'unknown',
        mutating: plan?.mutating ?? false,
        ok,
      });
    };
    try {
      request = parseKustoRequest(await readBody(req), query);
      plan = planRequest(this.opts.registry, request.csl);
      if (faults.refuseAuth) {
        log(false);
        // Without credentials the service answers 401 (not a OneApi body); with them, 403.
        if (header(req, 'authorization') === undefined) send(res, 401, 'Unauthorized', headers);
        else
          send(
            res,
            403,
            oneApiError(KustoError.forbidden('Principal is not authorized to perform this operation.'), ctx),
            headers,
          );
        return;
      }
      const misrouted = routingError(endpoint, plan);
      if (misrouted) throw misrouted;
      if (faults.consumeThrottle(plan.verb)) throw KustoError.throttled(plan.verb);
      const result = await executePlan(this.core, plan, {
        database: request.db,
        clientRequestId: sentRequestId,
      });
      // Serialised before logging: a result that cannot be rendered is logged (and answered) as a failure.
      send(res, 200, answer(endpoint, plan, result, ctx), headers);
      log(true);
    } catch (error) {
      const kustoError = asKustoError(error);
      log(false);
      const body = oneApiError(kustoError, {
        ...ctx,
        database: request.db,
        text: request.csl,
        activityType: endpoint === 'mgmt' ? 'DN.FE.ExecuteControlCommand' : 'DN.FE.ExecuteQuery',
      });
      send(res, kustoError.httpStatus, body, headers);
    }
  }

  private async admin(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    path: string,
  ): Promise<void> {
    try {
      const raw = method === 'POST' ? await readBody(req) : '';
      const body = raw.trim() === '' ? {} : (JSON.parse(raw) as Record<string, unknown>);
      const route = `${method} ${path}`;
      switch (route) {
        case 'POST /admin/faults':
          send(res, 200, this.setFaults(body));
          return;
        case 'POST /admin/clock':
          send(res, 200, await this.setClock(body));
          return;
        case 'POST /admin/databases': {
          const name = body.name;
          if (typeof name !== 'string' || name === '') throw new Error("'name' is required");
          this.opts.admin.createDatabase(name);
          send(res, 200, { name });
          return;
        }
        case 'GET /admin/commands':
          send(
            res,
            200,
            this.core.state.commandLog.map((e) => ({ ...e, at: formatDatetime(e.at) })),
          );
          return;
        case 'POST /admin/ingestion/drain':
          await this.opts.admin.drainIngestion();
          send(res, 200, { drained: true });
          return;
        default:
          send(res, 404, { error: `No admin route ${route}` });
      }
    } catch (error) {
      send(res, 400, { error: error instanceof Error ? error.message : String(error) });
    }
  }

  /** `{reset}`, `{throttle: {family, times}}`, `{loseOperation: id}` and any scalar Faults field by name. */
  private setFaults(body: Record<string, unknown>): Record<string, unknown> {
    const faults = this.core.faults;
    if (body.reset === true) faults.reset();
    for (const [key, value] of Object.entries(body)) {
      if (key === 'reset') continue;
      if (key === 'throttle') {
        const { family, times } = (value ?? {}) as { family?: unknown; times?: unknown };
        if (typeof family !== 'string' || typeof times !== 'number')
          throw new Error("'throttle' needs {family, times}");
        faults.throttle(family, times);
        continue;
      }
      if (key === 'loseOperation') {
        // By-id `.show operations` lookups stop finding it, as real ones do after ~6 hours.
        if (typeof value !== 'string' || !loseOperation(this.core, value))
          throw new Error(`'loseOperation' needs the id of a known operation`);
        continue;
      }
      if (key === 'inaccessibleContainers') {
        if (!Array.isArray(value))
          throw new Error("'inaccessibleContainers' must be an array of container names");
        faults.inaccessibleContainers.clear();
        for (const c of value) faults.inaccessibleContainers.add(String(c));
        continue;
      }
      // Only the scalar switches (booleans, counters, the nullable row limit) are settable by name.
      const current = (faults as unknown as Record<string, unknown>)[key];
      const scalar = typeof current === 'boolean' || typeof current === 'number' || key === 'exportRowLimit';
      if (!scalar) throw new Error(`Unknown fault '${key}'`);
      const compatible =
        key === 'exportRowLimit'
          ? value === null || typeof value === 'number'
          : typeof value === typeof current;
      if (!compatible) throw new Error(`Fault '${key}' cannot be set to ${JSON.stringify(value)}`);
      (faults as unknown as Record<string, unknown>)[key] = value;
    }
    return { ok: true };
  }

  private async setClock(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { set, advanceMs } = body;
    if (set !== undefined) {
      const ms = typeof set === 'number' ? set : typeof set === 'string' ? parseDatetime(set) : undefined;
      if (ms === undefined) throw new Error("'set' must be an ISO datetime or epoch milliseconds");
      this.opts.admin.setClock(ms);
    }
    if (advanceMs !== undefined) {
      if (typeof advanceMs !== 'number' || advanceMs < 0)
        throw new Error("'advanceMs' must be a non-negative number");
      await this.opts.admin.advanceClock(advanceMs);
    }
    return { now: formatDatetime(this.core.state.clock.now()) };
  }
}

/** Starts the HTTP server on 127.0.0.1. */
export async function startServer(opts: ServerOptions): Promise<EmulatorServer> {
  const handler = new Handler(opts);
  const server: Server = createServer((req, res) => {
    handler.handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { error: error instanceof Error ? error.message : String(error) });
      else res.destroy();
    });
  });
  // Clients keep connections alive; idle sockets must not hold the process open after close().
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
