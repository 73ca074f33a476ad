/**
 * `listTables`: the tables of the database selected by the include/exclude patterns, each with its
 * columns (in order) and the datetime column its backup is partitioned by.
 */
import { ValidationError } from '../errors';
import { choosePartitionColumn } from '../domain/partitioning';
import { selectTables } from '../domain/tableSelection';
import { showDatabaseSchemaJson } from '../kusto/commands';
import { parseDatabaseSchema } from '../kusto/results';
import type { DatabaseTable } from '../kusto/results';
import type { ActivityDeps, ListTablesInput, ListTablesOutput, TableToBackUp } from './contracts';

/** Selection and partition columns for a schema; also used by the HTTP handler to reject bad requests. */
export function tablesToBackUp(
  tables: readonly DatabaseTable[],
  input: Pick<ListTablesInput, 'include' | 'exclude' | 'partitionColumns'>,
): ListTablesOutput {
  const byName = new Map(tables.map((t) => [t.name, t] as const));
  const selected = selectTables([...byName.keys()], input.include, input.exclude);
  const problems: { table: string; field: string; error: string }[] = [];
  const problem = (table: string, error: ValidationError): void => {
    problems.push({ table, field: error.field, error: error.message });
  };
  for (const name of Object.keys(input.partitionColumns)) {
    if (!selected.includes(name)) {
      const why = byName.has(name)
        ? `table '${name}' is not selected for backup`
        : `no table '${name}' in the database`;
      problem(name, new ValidationError(`partitionColumns.${name}`, why));
    }
  }
  const out: TableToBackUp[] = [];
  for (const name of selected) {
    const table = byName.get(name)!;
    const columns = table.columns.map((c) => ({ name: c.name, type: c.cslType }));
    try {
      // Own keys only: a table named like an Object.prototype member must not pick up a function.
      const override = Object.hasOwn(input.partitionColumns, name) ? input.partitionColumns[name] : undefined;
      out.push({ name, columns, partitionColumn: choosePartitionColumn(name, columns, override) });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      problem(name, error);
    }
  }
  return { tables: out, problems };
}

/** Builds the activity handler. */
export function createListTablesActivity(
  deps: Pick<ActivityDeps, 'gatewayFor'>,
): (input: ListTablesInput) => Promise<ListTablesOutput> {
  return async (input) => {
    const answer = await deps.gatewayFor(input.clusterUri).execute(input.database, showDatabaseSchemaJson());
    return tablesToBackUp(parseDatabaseSchema(answer, input.database).tables, input);
  };
}
