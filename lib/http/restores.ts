/**
 * `POST /api/restores` and `GET /api/restores/{id}`.
 *
 * POST validates the body (400, every problem with its field), then reads (never writes) the backup
 * and the target: no schema snapshot, an unknown source table or target database is a 404; a target
 * table that exists (mode `new-tables`), cannot receive the backup's columns, or is exported without
 * `allowExportedTarget` is a 409. Nothing is created anywhere on a rejection. A dry run answers 200
 * with the plan; otherwise the restore is recorded and its orchestration started: 202 with the id
 * and the status URL. The same `restoreId` again re-runs a restore that failed (with the same
 * request), and is refused while it runs or once it completed.
 */
import type { HttpRequest, HttpResponse, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { Config } from '../config';
import type { LedgerReader } from '../deletions/restore';
import { ConfigError, PermanentError, TransientError, ValidationError } from '../errors';
import { redactError } from '../kusto/redact';
import { OrchestratorNames, restoreInstanceId } from '../names';
import type { RestoreInput } from '../orchestrations/restore';
import { dryRunPlan } from '../restore/dryRun';
import type { PlanDeps } from '../restore/prepare';
import { planTables } from '../restore/prepare';
import { restoreStatusView } from '../restore/report';
import { resolveRestore } from '../restore/resolve';
import type { Rejection } from '../restore/resolve';
import type { RestoreState } from '../restore/state';
import type { RestoreRequest, RestoreSettings } from '../restore/types';
import { parseRestoreRequest } from './restoreRequest';
import type { SetupDurableClient } from './setup';
import { ACTIVE, statusOf } from './setup';
import { RequestValidationError } from './setupRequest';

/** Dependencies of the handlers (built on each invocation, so production can build them lazily). */
export interface RestoreHttpDeps extends PlanDeps {
  readonly config: Config;
  readonly ledger: LedgerReader;
  readonly state: RestoreState;
  readonly newId: () => string;
  readonly durableClient: (context: InvocationContext) => SetupDurableClient;
}

type Handler = (req: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit | HttpResponse>;

const json = (status: number, body: unknown): HttpResponseInit => ({ status, jsonBody: body });

function invalid(error: ValidationError): HttpResponseInit {
  const problems =
    error instanceof RequestValidationError
      ? error.problems
      : [{ field: error.field, message: error.message }];
  const [first] = problems;
  return json(400, {
    error: 'invalid-request',
    field: first?.field ?? error.field,
    message: error.message,
    problems,
  });
}

function refused(rejection: Rejection): HttpResponseInit {
  const [first] = rejection.problems;
  return json(rejection.status, {
    error: rejection.error,
    field: first?.field,
    message: first?.message,
    problems: rejection.problems,
  });
}

/** Cluster or storage failures while reading: 503 when worth retrying, else 502. */
function unavailable(error: unknown): HttpResponseInit {
  return json(error instanceof TransientError ? 503 : 502, {
    error: 'backend-unavailable',
    message: `the backup or the target could not be read: ${redactError(error)}`,
  });
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

/** The part of a request that must match for a re-run (a dry run may differ in nothing else). */
const sameRestore = (a: RestoreRequest, b: RestoreRequest): boolean =>
  JSON.stringify({ ...a, dryRun: false }) === JSON.stringify({ ...b, dryRun: false });

const statusUrl = (req: HttpRequest, restoreId: string): string =>
  `${new URL(req.url).origin}/api/restores/${encodeURIComponent(restoreId)}`;

/** `POST /api/restores`. */
export function makeRestoreStartHandler(deps: () => RestoreHttpDeps): Handler {
  return async (req, context) => {
    let d: RestoreHttpDeps;
    try {
      d = deps();
    } catch (error) {
      if (error instanceof ConfigError)
        return json(500, { error: 'misconfigured', problems: error.problems });
      throw error;
    }
    let request: RestoreRequest;
    try {
      request = parseRestoreRequest(await readBody(req), d.config, d.newId);
    } catch (error) {
      if (error instanceof ValidationError) return invalid(error);
      throw error;
    }
    const client = d.durableClient(context);
    const instanceId = restoreInstanceId(request.restoreId);
    const existing = await d.state.getRestore(request.restoreId);
    if (!request.dryRun) {
      const runtime = await statusOf(client, instanceId);
      if (runtime !== undefined && ACTIVE.has(runtime))
        return json(409, {
          error: 'restore-running',
          restoreId: request.restoreId,
          runtimeStatus: runtime,
          statusUrl: statusUrl(req, request.restoreId),
        });
      if (existing?.status === 'completed')
        return json(409, {
          error: 'restore-completed',
          restoreId: request.restoreId,
          statusUrl: statusUrl(req, request.restoreId),
        });
      if (existing && !sameRestore(existing.request, request))
        return json(409, {
          error: 'restore-id-conflict',
          restoreId: request.restoreId,
          message:
            'a restore with this id and a different request exists; re-runs must repeat the request exactly',
        });
    }
    const created = new Set(
      (await d.state.listTables(request.restoreId)).filter((t) => t.targetCreated).map((t) => t.plan.target),
    );
    let resolved;
    try {
      const outcome = await resolveRestore(d, request, created);
      if ('rejection' in outcome) return refused(outcome.rejection);
      resolved = outcome.resolved;
      if (request.dryRun) {
        const plans = await planTables(d, request, resolved, d.config.restoreBatchSize);
        const plan = await dryRunPlan(
          d.ledger,
          request,
          resolved,
          plans.map((p) => p.plan),
        );
        return json(200, { dryRun: true, plan });
      }
    } catch (error) {
      if (error instanceof TransientError || error instanceof PermanentError) return unavailable(error);
      throw error;
    }
    const settings: RestoreSettings = {
      batchSize: d.config.restoreBatchSize,
      stallTimeoutMs: d.config.restoreStallTimeoutMs,
    };
    const now = new Date().toISOString();
    if (existing)
      await d.state.patchRestore(request.restoreId, { status: 'started', error: null, updatedAt: now });
    else
      await d.state.putRestore(request.restoreId, {
        request,
        settings,
        status: 'started',
        createdAt: now,
        updatedAt: now,
        error: null,
        planned: false,
        warnings: resolved.warnings,
        report: null,
      });
    const input: RestoreInput = { request, settings: existing?.settings ?? settings };
    await client.startNew(OrchestratorNames.restore, { instanceId, input });
    context.log(`restore '${request.restoreId}' started as ${instanceId}`);
    return json(202, {
      restoreId: request.restoreId,
      statusUrl: statusUrl(req, request.restoreId),
      rerun: existing !== undefined,
      warnings: resolved.warnings,
      durable: client.createHttpManagementPayload(instanceId),
    });
  };
}

const RESTORE_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/;

/** `GET /api/restores/{id}`. */
export function makeRestoreStatusHandler(deps: () => RestoreHttpDeps): Handler {
  return async (req, context) => {
    const id = req.params.id ?? '';
    if (!RESTORE_ID.test(id))
      return json(400, {
        error: 'invalid-request',
        field: 'id',
        message: 'is not a restore id',
        problems: [{ field: 'id', message: 'is not a restore id' }],
      });
    const d = deps();
    const record = await d.state.getRestore(id);
    if (!record) return json(404, { error: 'restore-not-found', message: `no restore '${id}'` });
    const [tables, batches] = await Promise.all([d.state.listTables(id), d.state.listBatchStatus(id)]);
    let runtime: string | null = null;
    try {
      runtime = (await statusOf(d.durableClient(context), restoreInstanceId(id))) ?? null;
    } catch {
      // The stored state answers on its own when the task hub cannot be read.
    }
    return json(200, restoreStatusView(id, record, tables, batches, runtime));
  };
}
