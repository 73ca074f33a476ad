/**
 * `POST /api/monitor/run`: runs one monitor tick now (the same reconcile as the timer) and answers
 * with its report. The body is optional: `{ "clusterUri": ..., "databases": [...] }`, defaulting to
 * `ADX_BACKUP_CLUSTER_URI` / `ADX_BACKUP_DATABASES`. A bad body is refused naming the field before
 * anything is read or sent.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { z } from 'zod';
import type { Config } from '../config';
import { ConfigError, ValidationError } from '../errors';
import { normalizeClusterUri } from '../kusto/auth';
import { validateName } from '../kusto/quote';
import type { MonitorDeps, MonitorTickRequest } from '../monitor/tick';
import { runMonitorTick } from '../monitor/tick';

/** Dependencies of the handler; `tickDeps` is built per invocation (logger, durable client). */
export interface MonitorRunHandlerDeps {
  readonly config: () => Config;
  readonly tickDeps: (context: InvocationContext) => MonitorDeps;
}

const bodySchema = z
  .object({ clusterUri: z.string().optional(), databases: z.array(z.string()).min(1).optional() })
  .strict();

/** The tick a request asks for, with the configuration's defaults. @throws ValidationError */
export function parseMonitorRequest(body: unknown, config: Config): MonitorTickRequest {
  const parsed = bodySchema.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field =
      issue?.code === 'unrecognized_keys'
        ? issue.keys.join(', ')
        : issue?.path.map(String).join('.') || 'body';
    throw new ValidationError(
      field,
      issue?.code === 'unrecognized_keys' ? 'is not a known setting' : (issue?.message ?? 'is invalid'),
    );
  }
  const rawCluster = parsed.data.clusterUri ?? config.clusterUri;
  if (rawCluster === undefined) {
    throw new ValidationError('clusterUri', 'is required (no ADX_BACKUP_CLUSTER_URI configured)');
  }
  const clusterUri = normalizeClusterUri(rawCluster, 'clusterUri');
  const databases = parsed.data.databases ?? config.databases;
  if (databases.length === 0) {
    throw new ValidationError('databases', 'is required (no ADX_BACKUP_DATABASES configured)');
  }
  databases.forEach((d, i) =>
    validateName(d, parsed.data.databases ? `databases[${i}]` : 'ADX_BACKUP_DATABASES'),
  );
  return { clusterUri, databases: [...new Set(databases)] };
}

async function readBody(req: HttpRequest): Promise<unknown> {
  const text = await req.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ValidationError('body', 'is not valid JSON');
  }
}

/** Builds the handler: 200 with the tick's report, 400 naming a bad field, 500 on bad settings. */
export function makeMonitorRunHandler(
  deps: MonitorRunHandlerDeps,
): (req: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit> {
  return async (req, context) => {
    let request: MonitorTickRequest;
    try {
      request = parseMonitorRequest(await readBody(req), deps.config());
    } catch (error) {
      if (error instanceof ConfigError) {
        return { status: 500, jsonBody: { error: 'misconfigured', problems: error.problems } };
      }
      if (error instanceof ValidationError) {
        return {
          status: 400,
          jsonBody: { error: 'invalid-request', field: error.field, message: error.message },
        };
      }
      throw error;
    }
    return { status: 200, jsonBody: await runMonitorTick(deps.tickDeps(context), request) };
  };
}
