/**
 * The verification's HTTP API:
 * - `POST /api/verification/run` `{ clusterUri?, database, tables? }`: verifies now and answers 200
 *   with the report (whatever its verdicts), 400 naming the field, 404 when the catalog holds no
 *   backup of the database, 502/503 when the cluster or storage fails;
 * - `GET /api/verification/latest?database=X[&format=html]`: the newest stored report (JSON, or the
 *   HTML page), 404 when there is none.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { RestError as BlobRestError } from '@azure/storage-blob';
import { RestError as TableRestError } from '@azure/data-tables';
import { z } from 'zod';
import { ConfigError, NotFoundError, PermanentError, TransientError, ValidationError } from '../errors';
import { normalizeClusterUri } from '../kusto/auth';
import type { Logger } from '../kusto/gateway';
import { validateName } from '../kusto/quote';
import { redactError } from '../kusto/redact';
import { canonicalBlobUrl } from '../catalog/artifactPath';
import type { VerifyDeps } from '../verify/run';
import { runVerification } from '../verify/run';

/** The handlers' dependencies: the verification's, with logger and alerts per invocation. */
export interface VerificationHttpDeps extends Omit<VerifyDeps, 'logger' | 'alerts'> {
  readonly alertsFor: (logger: Logger) => VerifyDeps['alerts'];
  /** Used when a request names no cluster. */
  readonly defaultClusterUri?: string;
}

type Handler = (req: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

const json = (status: number, body: unknown): HttpResponseInit => ({ status, jsonBody: body });

const runSchema = z.strictObject({
  clusterUri: z.string().optional(),
  database: z.string(),
  tables: z.array(z.string()).min(1).optional(),
});

function invalid(field: string, message: string): HttpResponseInit {
  return json(400, { error: 'invalid-request', field, message, problems: [{ field, message }] });
}

function failed(error: unknown, logger: Logger): HttpResponseInit {
  if (error instanceof ConfigError) return json(500, { error: 'misconfigured', problems: error.problems });
  if (error instanceof ValidationError) {
    const prefix = `${error.field}: `;
    return invalid(
      error.field,
      error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message,
    );
  }
  if (error instanceof NotFoundError) return json(404, { error: 'not-found', message: error.message });
  if (error instanceof TransientError)
    return json(503, { error: 'cluster-unavailable', message: error.message });
  if (error instanceof PermanentError) return json(502, { error: 'cluster-error', message: error.message });
  if (error instanceof BlobRestError || error instanceof TableRestError) {
    logger.error('catalog or report storage failed', { error: redactError(error) });
    return json(503, {
      error: 'storage-unavailable',
      message: 'the catalog or report storage did not answer; retry',
    });
  }
  logger.error('verification request failed', { error: redactError(error) });
  return json(500, { error: 'internal-error', message: 'the request failed; see the function logs' });
}

/** Builds `POST /api/verification/run`. */
export function makeVerificationRunHandler(
  deps: () => VerificationHttpDeps,
  loggerFor: (context: InvocationContext) => Logger,
): Handler {
  return async (req, context) => {
    const logger = loggerFor(context);
    try {
      let body: unknown;
      try {
        body = JSON.parse(await req.text()) as unknown;
      } catch {
        return invalid('body', 'is not valid JSON');
      }
      const parsed = runSchema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        if (issue.code === 'unrecognized_keys')
          return invalid(issue.keys[0] ?? 'body', 'is not a known field');
        return invalid(issue.path.join('.') || 'body', issue.message);
      }
      const d = deps();
      const clusterUri = parsed.data.clusterUri ?? d.defaultClusterUri;
      if (clusterUri === undefined)
        return invalid('clusterUri', 'is required (no ADX_BACKUP_CLUSTER_URI configured)');
      const report = await runVerification(
        { ...d, logger, alerts: d.alertsFor(logger) },
        {
          clusterUri: normalizeClusterUri(clusterUri),
          database: parsed.data.database,
          ...(parsed.data.tables === undefined ? {} : { tables: parsed.data.tables }),
        },
      );
      return json(200, { report });
    } catch (error) {
      return failed(error, logger);
    }
  };
}

/** Builds `GET /api/verification/latest`. */
export function makeVerificationLatestHandler(
  deps: () => VerificationHttpDeps,
  loggerFor: (context: InvocationContext) => Logger,
): Handler {
  return async (req, context) => {
    const logger = loggerFor(context);
    try {
      const database = validateName(req.query.get('database') ?? undefined, 'database');
      const format = req.query.get('format') ?? 'json';
      if (format !== 'json' && format !== 'html') return invalid('format', 'must be json or html');
      const d = deps();
      for (const container of d.containers) {
        const found = await d.reports.latest(
          canonicalBlobUrl(container.replace(/\/+$/, ''), 'containers'),
          database,
          format,
        );
        if (!found) continue;
        return format === 'html'
          ? { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: found.text }
          : { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: found.text };
      }
      return json(404, {
        error: 'not-found',
        message: `no verification report of database '${database}' yet`,
      });
    } catch (error) {
      return failed(error, logger);
    }
  };
}
