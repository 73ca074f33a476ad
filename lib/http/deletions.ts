/**
 * The deletion ledger's HTTP API:
 * - `POST /api/deletions`: validate (400 naming the field, 404 for an unknown table), record, run on
 *   the source; 201 with the deletion, or 502 when the command failed or its outcome is unknown (the
 *   entry is kept either way);
 * - `GET /api/deletions?database=&table=`: the deletions of a database or table, with each table's
 *   hash-chain verification (`entries=true` adds the raw chain entries);
 * - `POST /api/deletions/{id}/scrub`: rewrite the backup without the deletion's rows; 200, or 502
 *   when some artifact could not be scrubbed (audited in the ledger either way).
 * Predicates may hold personal data, so they are never logged.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { RestError } from '@azure/data-tables';
import { recordDeletion } from '../deletions/record';
import type { ScrubDeps, ScrubLedger } from '../deletions/scrub';
import { scrubDeletion } from '../deletions/scrub';
import { summarizeDeletions } from '../deletions/status';
import {
  AdxBackupError,
  ConfigError,
  ConflictError,
  NotFoundError,
  PermanentError,
  TransientError,
  ValidationError,
} from '../errors';
import { redactError } from '../kusto/redact';
import type { TableChain } from '../storage/ledger';
import {
  DeletionRequestError,
  parseDeletionId,
  parseDeletionRequest,
  parseListQuery,
} from './deletionRequest';

/** Everything the deletion handlers need. */
export interface DeletionDeps extends ScrubDeps {
  readonly ledger: ScrubLedger & { readDatabase(database: string): Promise<TableChain[]> };
  /** Used when a request names no cluster. */
  readonly defaultClusterUri?: string;
}

type Handler = (req: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

const json = (status: number, body: Record<string, unknown>): HttpResponseInit => ({
  status,
  jsonBody: body,
});

/** Maps a failure to a response; unexpected ones are logged (redacted) and answered without details. */
function failed(error: unknown, context: InvocationContext): HttpResponseInit {
  if (error instanceof ConfigError) return json(500, { error: 'misconfigured', problems: error.problems });
  if (error instanceof ValidationError) {
    const problems =
      error instanceof DeletionRequestError
        ? error.problems
        : [{ field: error.field, message: error.message }];
    return json(400, { error: 'invalid-request', field: error.field, message: error.message, problems });
  }
  if (error instanceof NotFoundError) return json(404, { error: 'not-found', message: error.message });
  if (error instanceof ConflictError) return json(409, { error: 'conflict', message: error.message });
  if (error instanceof TransientError)
    return json(503, { error: 'cluster-unavailable', message: error.message });
  if (error instanceof PermanentError) return json(502, { error: 'cluster-error', message: error.message });
  if (error instanceof RestError) {
    context.error('ledger or catalog storage failed', {
      status: error.statusCode,
      error: redactError(error),
    });
    return json(503, {
      error: 'storage-unavailable',
      message: 'the ledger or catalog storage did not answer; retry',
    });
  }
  context.error('deletion request failed', {
    errorType: error instanceof AdxBackupError ? error.code : 'Error',
    error: redactError(error),
  });
  return json(500, { error: 'internal-error', message: 'the request failed; see the function logs' });
}

async function readJson(req: HttpRequest): Promise<unknown> {
  const text = await req.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ValidationError('body', 'is not valid JSON');
  }
}

/** Builds `POST /api/deletions`. */
export function makeDeletionsCreateHandler(deps: () => DeletionDeps): Handler {
  return async (req, context) => {
    try {
      const d = deps();
      const request = parseDeletionRequest(await readJson(req), {
        principal: req.headers.get('x-ms-client-principal-name'),
        ...(d.defaultClusterUri === undefined ? {} : { defaultClusterUri: d.defaultClusterUri }),
      });
      const deletion = await recordDeletion(
        { gateway: d.gatewayFor(request.clusterUri), ledger: d.ledger, now: d.now, newId: d.newId },
        request,
      );
      context.log(
        `deletion ${deletion.id} (${deletion.kind}) of '${deletion.database}'.'${deletion.table}': ${deletion.status}`,
      );
      if (deletion.status === 'failed' || deletion.status === 'unknown') {
        const error = deletion.status === 'failed' ? 'execution-failed' : 'execution-outcome-unknown';
        return json(502, { error, message: deletion.message, deletion });
      }
      return json(201, { deletion });
    } catch (error) {
      return failed(error, context);
    }
  };
}

/** Builds `GET /api/deletions`. */
export function makeDeletionsListHandler(deps: () => DeletionDeps): Handler {
  return async (req, context) => {
    try {
      const d = deps();
      const { database, table } = parseListQuery(req.query);
      const withEntries = req.query.get('entries') === 'true';
      const chains =
        table === undefined
          ? await d.ledger.readDatabase(database)
          : [await d.ledger.readTable(database, table)];
      return json(200, {
        database,
        table: table ?? null,
        tables: chains.map((c) => ({
          table: c.table,
          chain: c.verification,
          deletions: summarizeDeletions(c.entries),
          ...(withEntries ? { entries: c.entries } : {}),
        })),
      });
    } catch (error) {
      return failed(error, context);
    }
  };
}

/** Builds `POST /api/deletions/{id}/scrub`. */
export function makeDeletionScrubHandler(deps: () => DeletionDeps): Handler {
  return async (req, context) => {
    try {
      const id = parseDeletionId(req.params.id);
      const scrub = await scrubDeletion(deps(), id);
      context.log(`scrub ${scrub.scrubId} of deletion ${id}: ${scrub.outcome}`);
      if (scrub.outcome !== 'succeeded')
        return json(502, { error: 'scrub-incomplete', message: scrub.message, scrub });
      return json(200, { scrub });
    } catch (error) {
      return failed(error, context);
    }
  };
}
