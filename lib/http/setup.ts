/**
 * `POST /api/backups/{database}/setup`: validates the request, checks with one read command that the
 * database exists (and that partition overrides fit its tables), and starts the singleton setup
 * orchestration of that cluster + database. 202 with the durable status URLs; 409 (with the running
 * instance's URLs) while a setup of the same database runs; 400 naming the bad field; 404 for an
 * unknown database. Nothing is started on any rejection.
 */
import type { HttpRequest, HttpResponse, HttpResponseInit, InvocationContext } from '@azure/functions';
import { tablesToBackUp } from '../activities/listTables';
import type { Config } from '../config';
import { ConfigError, PermanentError, TransientError, ValidationError } from '../errors';
import { selectTables } from '../domain/tableSelection';
import { showDatabaseSchemaJson } from '../kusto/commands';
import type { KustoGateway } from '../kusto/gateway';
import { redactError } from '../kusto/redact';
import { parseDatabaseSchema } from '../kusto/results';
import type { DatabaseSchema } from '../kusto/results';
import { OrchestratorNames, setupInstanceId } from '../names';
import type { SetupDatabaseInput, SetupInput } from '../orchestrations/setupDatabase';
import { RequestValidationError, parseSetupRequest } from './setupRequest';

/** The part of the durable client the handler uses (the real `DurableClient` fits it). */
export interface SetupDurableClient {
  /** Status of an instance; the real client throws for an unknown instance (HTTP 404). */
  getStatus(instanceId: string): Promise<{ readonly runtimeStatus: string } | undefined>;
  startNew(name: string, options: { instanceId: string; input: unknown }): Promise<string>;
  createCheckStatusResponse(request: HttpRequest | undefined, instanceId: string): HttpResponse;
  createHttpManagementPayload(instanceId: string): unknown;
}

/** Dependencies of the handler. */
export interface SetupHandlerDeps {
  readonly config: () => Config;
  readonly gatewayFor: (clusterUri: string) => KustoGateway;
  readonly durableClient: (context: InvocationContext) => SetupDurableClient;
}

/** Runtime statuses of an instance that is still going (a second start must not happen). */
export const ACTIVE = new Set(['Running', 'Pending', 'ContinuedAsNew', 'Suspended']);

const json = (status: number, body: Record<string, unknown>): HttpResponseInit => ({
  status,
  jsonBody: body,
});

function invalid(error: ValidationError): HttpResponseInit {
  const problems =
    error instanceof RequestValidationError
      ? error.problems
      : [{ field: error.field, message: error.message }];
  return json(400, { error: 'invalid-request', field: error.field, message: error.message, problems });
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

/** The status of an instance, or undefined when it never ran. */
export async function statusOf(
  client: Pick<SetupDurableClient, 'getStatus'>,
  instanceId: string,
): Promise<string | undefined> {
  try {
    return (await client.getStatus(instanceId))?.runtimeStatus;
  } catch (error) {
    if (/\b404\b/.test(String((error as Error)?.message))) return undefined;
    throw error;
  }
}

function conflict(
  client: SetupDurableClient,
  instanceId: string,
  status: string,
  database: string,
): HttpResponseInit {
  return json(409, {
    error: 'setup-running',
    message: `a backup setup of database '${database}' is already ${status.toLowerCase()}`,
    instanceId,
    runtimeStatus: status,
    statusUrls: client.createHttpManagementPayload(instanceId),
  });
}

function isDatabaseMissing(error: unknown): boolean {
  return (
    error instanceof PermanentError &&
    (/DatabaseNotExist|DatabaseNotFound/i.test(error.info.serverCode ?? '') ||
      /database '.*' (was not found|does not exist)/i.test(error.info.serverMessage ?? error.message))
  );
}

/** Reads the schema; maps "no such database" to 404 and other cluster failures to 502/503. */
async function readSchema(
  gateway: KustoGateway,
  input: SetupInput,
): Promise<{ schema: DatabaseSchema } | { response: HttpResponseInit }> {
  try {
    const answer = await gateway.execute(input.database, showDatabaseSchemaJson());
    return { schema: parseDatabaseSchema(answer, input.database) };
  } catch (error) {
    if (isDatabaseMissing(error)) {
      return {
        response: json(404, {
          error: 'database-not-found',
          message: `database '${input.database}' does not exist on cluster ${input.clusterUri}`,
        }),
      };
    }
    const message = `cluster ${input.clusterUri} could not be read: ${redactError(error)}`;
    return {
      response: json(error instanceof TransientError ? 503 : 502, { error: 'cluster-unavailable', message }),
    };
  }
}

/** Checks the request against the database's tables; a 400 when they do not fit. */
function checkTables(input: SetupInput, schema: DatabaseSchema): HttpResponseInit | undefined {
  const names = schema.tables.map((t) => t.name);
  if (input.include.length > 0 && selectTables(names, input.include, []).length === 0) {
    return invalid(new ValidationError('include', `matches no table of database '${input.database}'`));
  }
  const [problem] = tablesToBackUp(schema.tables, input).problems;
  return problem
    ? invalid(new ValidationError(problem.field, problem.error.replace(/^[^:]*: /, '')))
    : undefined;
}

/** Builds the handler. */
export function makeSetupHandler(
  deps: SetupHandlerDeps,
): (req: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit | HttpResponse> {
  return async (req, context) => {
    let config: Config;
    try {
      config = deps.config();
    } catch (error) {
      if (error instanceof ConfigError)
        return json(500, { error: 'misconfigured', problems: error.problems });
      throw error;
    }
    let input: SetupInput;
    try {
      input = parseSetupRequest(req.params.database, await readBody(req), config);
    } catch (error) {
      if (error instanceof ValidationError) return invalid(error);
      throw error;
    }
    const client = deps.durableClient(context);
    const instanceId = setupInstanceId(input.clusterUri, input.database);
    const running = await statusOf(client, instanceId);
    if (running !== undefined && ACTIVE.has(running))
      return conflict(client, instanceId, running, input.database);
    const read = await readSchema(deps.gatewayFor(input.clusterUri), input);
    if ('response' in read) return read.response;
    const rejected = checkTables(input, read.schema);
    if (rejected) return rejected;
    try {
      await client.startNew(OrchestratorNames.setupDatabase, {
        instanceId,
        input: input satisfies SetupDatabaseInput,
      });
    } catch (error) {
      // Two requests raced past the status check: the loser is told who won.
      const now = await statusOf(client, instanceId);
      if (now !== undefined && ACTIVE.has(now)) return conflict(client, instanceId, now, input.database);
      throw error;
    }
    context.log(`backup setup of '${input.database}' started as ${instanceId}`);
    return client.createCheckStatusResponse(req, instanceId);
  };
}
