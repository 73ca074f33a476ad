/**
 * Calls one of the function app's HTTP handlers in this process, as the host would, so the CLI
 * goes through the same validation, checks and answers as the deployed API.
 */
import { HttpRequest, InvocationContext } from '@azure/functions';
import type { HttpResponse, HttpResponseInit } from '@azure/functions';

type Handler = (req: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit | HttpResponse>;

/** A handler's answer: status and JSON body. */
export interface HandlerAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** Sends a request to `handler` and reads its JSON answer. */
export async function callHandler(
  handler: Handler,
  request: { method: 'GET' | 'POST'; path: string; params?: Record<string, string>; body?: unknown },
  log: (level: string, text: string) => void = () => undefined,
): Promise<HandlerAnswer> {
  const req = new HttpRequest({
    url: `http://localhost/api/${request.path}`,
    method: request.method,
    params: request.params ?? {},
    ...(request.body === undefined ? {} : { body: { string: JSON.stringify(request.body) } }),
  });
  const context = new InvocationContext({
    functionName: 'adx-backup-cli',
    logHandler: (level, ...args) => log(level, args.map(String).join(' ')),
  });
  const res = await handler(req, context);
  if ('json' in res && typeof res.json === 'function') {
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }
  const init = res as HttpResponseInit;
  return { status: init.status ?? 200, body: (init.jsonBody ?? {}) as Record<string, unknown> };
}
