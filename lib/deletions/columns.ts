/**
 * The live columns a predicate is validated against: a table's (`.show table T schema as json`) or an
 * external table's. A table or database the cluster does not know becomes a `NotFoundError`.
 */
import { NotFoundError, PermanentError } from '../errors';
import { showExternalTableSchema, showTableSchema } from '../kusto/commands';
import type { KustoGateway } from '../kusto/gateway';
import type { SchemaColumn } from '../kusto/language';
import { parseTableSchemas } from '../kusto/results/schema';
import type { KustoCommand } from '../kusto/types';

/** Server codes for a missing entity (reference §4; `EntityNotFound` is what `.show table` sends). */
const MISSING_TABLE = new Set([
  'BadRequest_TableNotExist',
  'BadRequest_EntityNotFound',
  'BadRequest_ExternalTableNotExist',
]);
const MISSING_DATABASE = 'BadRequest_DatabaseNotExist';

/** The `NotFoundError` a failed schema read stands for, or undefined when it is another failure. */
export function notFoundFrom(error: unknown, database: string, what: string): NotFoundError | undefined {
  if (!(error instanceof PermanentError)) return undefined;
  const code = error.info.serverCode ?? '';
  if (code === MISSING_DATABASE) return new NotFoundError(`database '${database}' was not found`);
  if (MISSING_TABLE.has(code)) return new NotFoundError(`${what} was not found in database '${database}'`);
  return undefined;
}

async function readColumns(
  gateway: KustoGateway,
  database: string,
  command: KustoCommand,
  what: string,
): Promise<SchemaColumn[]> {
  let schemas;
  try {
    schemas = parseTableSchemas(await gateway.execute(database, command));
  } catch (error) {
    throw notFoundFrom(error, database, what) ?? error;
  }
  const [schema] = schemas;
  if (!schema) throw new NotFoundError(`${what} was not found in database '${database}'`);
  return schema.columns.map((c) => ({ name: c.name, type: c.cslType }));
}

/** The columns of `table` as the cluster has them now. */
export function readTableColumns(
  gateway: KustoGateway,
  database: string,
  table: string,
): Promise<SchemaColumn[]> {
  return readColumns(gateway, database, showTableSchema(table), `table '${table}'`);
}

/** The columns of external table `name` (what the backup's artifacts are written with). */
export function readExternalTableColumns(
  gateway: KustoGateway,
  database: string,
  name: string,
): Promise<SchemaColumn[]> {
  return readColumns(gateway, database, showExternalTableSchema(name), `external table '${name}'`);
}
