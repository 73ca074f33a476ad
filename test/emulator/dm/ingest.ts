/**
 * One ingestion, start to finish, shared by the queue consumer and the `.ingest into` command:
 * validate properties and identity, resolve the table, honour `ingestIfNotExists`, download and
 * parse every source, and append one extent. Failures are recorded for `.show ingestion failures`
 * and returned as data; callers decide how to report them.
 */
import type { EmulatorCore } from '../core';
import type { Extent, IngestionFailure, Table } from '../state';
import { appendExtent } from '../tables';
import { findExtentTag } from '../extentTags';
import { downloadSource } from './download';
import { asIngestionError, permanent } from './errors';
import type { IngestionError } from './errors';
import { recordFailure } from './failures';
import { withoutSecrets } from './message';
import { formatDisplayName, parseIngestionOptions } from './properties';
import type { IngestionOptions } from './properties';
import { projectRows } from './project';
import { identityToken } from './resources';
import { readSource } from './source';

/** What to ingest, where, and how. */
export interface IngestionRequest {
  readonly database: string;
  readonly table: string;
  /** Blob URLs (with SAS or a Kusto credential suffix). */
  readonly sources: readonly string[];
  /** Ingestion properties as sent (`AdditionalProperties` or the `with (...)` clause). */
  readonly properties: Readonly<Record<string, unknown>>;
  /** Queued messages must carry the identity token; `.ingest` commands are authenticated by their request. */
  readonly requireAuthorizationContext: boolean;
}

interface Ids {
  readonly operationId: string;
  readonly rootActivityId: string;
}

/** The result of one ingestion. */
export type IngestionOutcome =
  | (Ids & { readonly status: 'Succeeded'; readonly extent: Extent })
  | (Ids & { readonly status: 'Skipped'; readonly details: string })
  | (Ids & { readonly status: 'Failed'; readonly error: IngestionError; readonly failure: IngestionFailure });

function resolveTable(core: EmulatorCore, database: string, table: string): Table {
  if (database === '') throw permanent('BadRequest_EmptyDatabaseName', 'Database name is empty.');
  if (table === '') throw permanent('BadRequest_InvalidOrEmptyTableName', 'Table name is empty or invalid.');
  const db = core.state.database(database);
  if (!db) throw permanent('BadRequest_DatabaseNotExist', `Database '${database}' does not exist.`);
  const t = db.tables.get(table);
  if (!t)
    throw permanent('BadRequest_TableNotExist', `Table '${table}' does not exist in database '${database}'.`);
  return t;
}

/** The `ingest-by:` value already present on the table, if any of the wanted ones is. */
function existingIngestBy(table: Table, values: readonly string[]): string | undefined {
  return findExtentTag(
    table,
    values.map((v) => `ingest-by:${v}`),
  );
}

/** `IngestionProperties` as `.show ingestion failures` shows them (`Format=Csv, ...`). */
function describeProperties(
  options: IngestionOptions | undefined,
  raw: Readonly<Record<string, unknown>>,
): string {
  if (!options) {
    const format = Object.entries(raw).find(([k]) => k.toLowerCase() === 'format')?.[1];
    return typeof format === 'string' ? `Format=${formatDisplayName(format.toLowerCase())}` : '';
  }
  const parts = [`Format=${formatDisplayName(options.format)}`];
  if (options.ignoreFirstRecord) parts.push('IgnoreFirstRecord=True');
  if (options.creationTime !== undefined)
    parts.push(`CreationTime=${new Date(options.creationTime).toISOString()}`);
  if (options.tags.length > 0) parts.push(`Tags=${JSON.stringify(options.tags)}`);
  if (options.ingestIfNotExists.length > 0)
    parts.push(`IngestIfNotExists=${JSON.stringify(options.ingestIfNotExists)}`);
  return parts.join(', ');
}

/** Runs one ingestion. Never throws: failures come back as a `Failed` outcome (and are recorded). */
export async function runIngestion(core: EmulatorCore, request: IngestionRequest): Promise<IngestionOutcome> {
  const { state, faults } = core;
  const ids: Ids = { operationId: state.newId(), rootActivityId: state.newId() };
  let options: IngestionOptions | undefined;
  let failingSource = request.sources[0] ?? '';
  try {
    if (faults.ingestionFailNext > 0) {
      faults.ingestionFailNext -= 1;
      throw permanent('BadRequest_InvalidBlob', 'Blob is invalid (injected fault: ingestionFailNext).');
    }
    const opts = parseIngestionOptions(request.properties);
    options = opts;
    if (request.requireAuthorizationContext) {
      if (!opts.authorizationContext) {
        throw permanent(
          'BadRequest_InvalidKustoIdentityToken',
          'Invalid Kusto identity token: none was given.',
        );
      }
      if (opts.authorizationContext !== identityToken(state)) {
        throw permanent('BadRequest_InvalidKustoIdentityToken', 'Invalid Kusto identity token.');
      }
    }
    if (request.sources.length === 0) throw permanent('BadRequest_EmptyBlobUri', 'Blob Uri is empty.');
    const skipped = (table: Table): IngestionOutcome | undefined => {
      const tag = existingIngestBy(table, opts.ingestIfNotExists);
      return tag === undefined
        ? undefined
        : {
            ...ids,
            status: 'Skipped',
            details: `Skipped_IngestByTagAlreadyExists: an extent with tag '${tag}' exists.`,
          };
    };
    // Checked before downloading to save the work, and again right before writing: the table may
    // have changed meanwhile, and the check-then-append below runs without yielding.
    const early = skipped(resolveTable(core, request.database, request.table));
    if (early) return early;
    const data = await Promise.all(
      request.sources.map(async (source) => {
        try {
          return await readSource(await downloadSource(core, source), opts);
        } catch (error) {
          failingSource = source;
          throw error;
        }
      }),
    );
    const table = resolveTable(core, request.database, request.table);
    const late = skipped(table);
    if (late) return late;
    const rows = data.flatMap((d) => projectRows(d, table.columns, opts.mapping));
    const extent = appendExtent(core, request.database, request.table, rows, {
      ...(opts.creationTime !== undefined ? { creationTime: opts.creationTime } : {}),
      tags: [...opts.tags],
    });
    return { ...ids, status: 'Succeeded', extent };
  } catch (thrown) {
    const error = asIngestionError(thrown);
    const failure = recordFailure(state, {
      ...ids,
      database: request.database,
      table: request.table,
      sourcePath: withoutSecrets(failingSource),
      error,
      ingestionProperties: describeProperties(options, request.properties),
    });
    return { ...ids, status: 'Failed', error, failure };
  }
}
