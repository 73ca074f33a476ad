/**
 * Ingestion commands. Data-management side (reference §3.1–§3.3): `.get ingestion resources` and
 * `.get kusto identity token`, sent with db `NetDefaultDB`. Engine side: `.show ingestion failures
 * [with (OperationId = guid)]` (§1.13) and `.ingest [async] into table T (h'url', ...) [with (...)]`,
 * which runs the same pipeline as queued ingestion, synchronously.
 */
import type { CommandInvocation, CommandRegistry, CommandResult } from '../commands/registry';
import { literalValue, isLiteral, nameOf } from '../kql/literals';
import { kindOf, type SyntaxElement } from '../kql/syntax';
import { KustoError } from '../kustoError';
import { IDENTITY_TOKEN, INGESTION_FAILURES, INGESTION_RESOURCES, OPERATION_ID } from '../schemas';
import type { Operation } from '../state';
import type { Column, KValue } from '../values';
import { childrenOf } from '../../../lib/kusto/language';
import { failureRows } from './failures';
import { runIngestion } from './ingest';
import type { IngestionOutcome } from './ingest';
import { withoutSecrets } from './message';
import { ensureIngestionResources, identityToken, ingestionResources } from './resources';
import { asText } from './text';

/** Result of `.ingest into` (KQL `IngestIntoTable`): one row per source loaded. */
export const INGEST_RESULT: Column[] = [
  { name: 'ExtentId', type: 'guid' },
  { name: 'ItemLoaded', type: 'string' },
  { name: 'Duration', type: 'timespan' },
  { name: 'HasErrors', type: 'bool' },
  { name: 'OperationId', type: 'guid' },
];

/**
 * `name = literal` pairs anywhere under a node: the flat form of `with (OperationId = x)` and the
 * listed form of `.ingest ... with (format='csv', ...)` alike. Names keep their spelling; values
 * are decoded literals (datetimes as epoch ms, guids as text).
 */
export function propertyPairs(node: SyntaxElement): Map<string, KValue> {
  const pairs = new Map<string, KValue>();
  const visit = (n: SyntaxElement): void => {
    const children = childrenOf(n);
    children.forEach((child, i) => {
      const eq = children[i + 1];
      const value = children[i + 2];
      // Names the grammar knows (format, tags...) are tokens; any other name is a NameDeclaration.
      const isName =
        child.IsToken || kindOf(child) === 'NameDeclaration' || kindOf(child) === 'NameReference';
      if (isName && eq && kindOf(eq) === 'EqualToken' && value && isLiteral(value)) {
        pairs.set(nameOf(child), literalValue(value).value);
      }
      if (!child.IsToken) visit(child);
    });
  };
  visit(node);
  return pairs;
}

/** Direct child nodes of the command body that open with the given token kind. */
function clause(body: SyntaxElement, firstTokenKind: string): SyntaxElement | undefined {
  return childrenOf(body).find(
    (c) => !c.IsToken && c.GetChild(0) && kindOf(c.GetChild(0)!) === firstTokenKind,
  );
}

/** String literals under a node, in order (the source list of `.ingest`). */
function stringLiterals(node: SyntaxElement): string[] {
  const out: string[] = [];
  const visit = (n: SyntaxElement): void => {
    if (kindOf(n) === 'StringLiteralExpression' || kindOf(n) === 'CompoundStringLiteralExpression') {
      out.push(asText(literalValue(n).value));
      return;
    }
    for (const c of childrenOf(n)) if (!c.IsToken) visit(c);
  };
  visit(node);
  return out;
}

async function getIngestionResources(inv: CommandInvocation): Promise<CommandResult> {
  await ensureIngestionResources(inv.core.state.storage);
  const rows = ingestionResources(inv.core.state).map((r) => [r.resourceTypeName, r.storageRoot]);
  return { columns: INGESTION_RESOURCES, rows };
}

function getIdentityToken(inv: CommandInvocation): CommandResult {
  return { columns: IDENTITY_TOKEN, rows: [[identityToken(inv.core.state)]] };
}

function showIngestionFailures(inv: CommandInvocation): CommandResult {
  const withClause = clause(inv.body, 'WithKeyword');
  let operationId: string | undefined;
  if (withClause) {
    const props = propertyPairs(withClause);
    for (const [name, value] of props) {
      if (name.toLowerCase() !== 'operationid') throw KustoError.badRequest(`Unknown property '${name}'.`);
      operationId = asText(value);
    }
  }
  return { columns: INGESTION_FAILURES, rows: failureRows(inv.core.state, inv.database, operationId) };
}

/** The error a failed `.ingest` command answers with; transient failures as 5xx so clients retry. */
function ingestError(outcome: Extract<IngestionOutcome, { status: 'Failed' }>): KustoError {
  const { error } = outcome;
  return new KustoError(
    error.permanent ? 400 : 500,
    error.code,
    `Ingestion failed (OperationId ${outcome.operationId}): ${error.details}`,
    error.permanent
      ? 'Kusto.Data.Exceptions.KustoBadRequestException'
      : 'Kusto.Data.Exceptions.KustoServiceException',
    error.permanent,
  );
}

async function ingestInto(inv: CommandInvocation, async: boolean): Promise<CommandResult> {
  const { core, body } = inv;
  const tableNode = childrenOf(body).find((c) => kindOf(c) === 'NameReference');
  const sourcesNode = clause(body, 'OpenParenToken');
  if (!tableNode || !sourcesNode)
    throw KustoError.badRequest('Syntax error: expected .ingest into table T (sources).');
  const withClause = clause(body, 'WithKeyword');
  const properties = Object.fromEntries(withClause ? propertyPairs(withClause) : []);
  const sources = stringLiterals(sourcesNode);
  const started = core.state.clock.now();
  const outcome = await runIngestion(core, {
    database: inv.database,
    table: nameOf(tableNode),
    sources,
    properties,
    requireAuthorizationContext: false,
  });
  const result: CommandResult = {
    columns: INGEST_RESULT,
    rows:
      outcome.status === 'Succeeded'
        ? sources.map((s) => [
            outcome.extent.id,
            withoutSecrets(s),
            core.state.clock.now() - started,
            false,
            outcome.operationId,
          ])
        : [],
  };
  if (!async) {
    if (outcome.status === 'Failed') throw ingestError(outcome);
    return result;
  }
  // The ingestion has already finished; the operation records its outcome for `.show operations`.
  const now = core.state.clock.now();
  const failed = outcome.status === 'Failed';
  const operation: Operation = {
    id: outcome.operationId,
    operation: 'DataIngestPull',
    database: inv.database,
    rootActivityId: outcome.rootActivityId,
    startedOn: started,
    lastUpdatedOn: now,
    state: failed ? 'Failed' : 'Completed',
    status: failed ? outcome.error.details : '',
    shouldRetry: failed && !outcome.error.permanent,
    details: result,
    log: [
      { lastUpdatedOn: started, state: 'InProgress', status: '', shouldRetry: false },
      {
        lastUpdatedOn: now,
        state: failed ? 'Failed' : 'Completed',
        status: failed ? outcome.error.details : '',
        shouldRetry: failed && !outcome.error.permanent,
      },
    ],
    lost: false,
  };
  core.state.operations.set(operation.id, operation);
  return { columns: OPERATION_ID, rows: [[operation.id]] };
}

/** Registers the ingestion commands. */
export function registerIngestionCommands(registry: CommandRegistry): void {
  registry.add(
    {
      pattern: ['get', 'ingestion', 'resources'],
      mutating: false,
      dataManagement: true,
      needsDatabase: false,
      run: getIngestionResources,
    },
    {
      pattern: ['get', 'kusto', 'identity', 'token'],
      mutating: false,
      dataManagement: true,
      needsDatabase: false,
      run: getIdentityToken,
    },
    { pattern: ['show', 'ingestion', 'failures'], mutating: false, run: showIngestionFailures },
    { pattern: ['ingest', 'into', 'table', '$name'], mutating: true, run: (inv) => ingestInto(inv, false) },
    {
      pattern: ['ingest', 'async', 'into', 'table', '$name'],
      mutating: true,
      run: (inv) => ingestInto(inv, true),
    },
  );
}
