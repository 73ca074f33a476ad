/**
 * What a backup setup would send, without changing anything. The setup activities themselves run
 * against a dry-run gateway: read commands reach the cluster (setup's decisions depend on what is
 * there), mutating commands are recorded and never sent. So the plan follows the same code as the
 * setup, and "nothing is changed" holds by construction, not by care.
 *
 * Two things setup only learns while it runs are previewed: a table without a continuous export has
 * no StartCursor yet, so its historical export is planned up to the database's current cursor (the
 * export's StartCursor will be at or after it); and the operation polls (`.show operations (...)`,
 * `.show operation <id> details`) need operation ids that do not exist yet, so they are described in
 * a note rather than listed.
 */
import { createEnsureContinuousExportActivity } from '../activities/ensureContinuousExport';
import { createEnsureExternalTableActivity } from '../activities/ensureExternalTable';
import { createEnsureIngestionTimePolicyActivity } from '../activities/ensureIngestionTimePolicy';
import { createListTablesActivity } from '../activities/listTables';
import { createPlanHistoricalChunksActivity } from '../activities/planHistoricalChunks';
import type { SetupCatalog, TableActivityInput } from '../activities/contracts';
import type { Chunk } from '../domain/chunks';
import { PermanentError } from '../errors';
import { currentCursor, exportChunkAsync, showCapacity, showDatabaseSchemaScript } from '../kusto/commands';
import type { KustoGateway, Logger } from '../kusto/gateway';
import type { KustoCommand } from '../kusto/types';
import { backupExternalTableName } from '../names';
import type { SetupInput } from '../orchestrations/setupDatabase';
import { planForTable } from '../orchestrations/setupDatabase';

/** The setup step a command belongs to. */
export type PlanStep =
  | 'schema-snapshot'
  | 'list-tables'
  | 'ingestion-time-policy'
  | 'external-table'
  | 'continuous-export'
  | 'historical-export';

/** One command setup would send. */
export interface PlannedCommand {
  /** The table it concerns; null for database-wide steps. */
  readonly table: string | null;
  readonly step: PlanStep;
  readonly text: string;
  readonly mutating: boolean;
}

/** The plan of a setup. */
export interface SetupPlan {
  readonly database: string;
  readonly commands: readonly PlannedCommand[];
  /** Per selected table: why it changes, and what the historical export covers. */
  readonly tables: readonly {
    readonly table: string;
    readonly changes: readonly string[];
    readonly historical:
      | 'done'
      | {
          readonly rows: number;
          readonly chunks: number;
          readonly cursor: 'start-cursor' | 'current-cursor';
        };
  }[];
  /** Tables that cannot be set up as requested, and caveats of the preview. */
  readonly notes: readonly string[];
}

/** Dependencies: the source cluster's gateway and (optionally) the catalog, both only read. */
export interface PlanDeps {
  readonly gateway: KustoGateway;
  readonly catalog?: Pick<SetupCatalog, 'getTable'>;
}

const silent: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Sends reads, records everything, answers mutating commands with an empty table without sending them. */
function dryRunGateway(inner: KustoGateway, sink: KustoCommand[]): KustoGateway {
  return {
    async execute(database, command, options) {
      sink.push(command);
      if (command.mutating) return { columns: [], rows: [] };
      return inner.execute(database, command, options);
    },
    close: () => undefined,
  };
}

/** The `.export async` range of a planned chunk (as `startExports` builds it). */
function rangeOf(chunk: Chunk): { from: Date; to: Date } | { nullIngestionTime: true } {
  return chunk.kind === 'range'
    ? { from: new Date(chunk.from), to: new Date(chunk.to) }
    : { nullIngestionTime: true };
}

/** Computes the plan of `input` (validated as the setup request is). Sends read commands only. */
export async function planSetup(deps: PlanDeps, input: SetupInput): Promise<SetupPlan> {
  const commands: PlannedCommand[] = [];
  const tables: SetupPlan['tables'][number][] = [];
  const notes: string[] = [];
  const sink: KustoCommand[] = [];
  const gateway = dryRunGateway(deps.gateway, sink);
  const gatewayFor = (): KustoGateway => gateway;
  const take = (table: string | null, step: PlanStep): void => {
    for (const c of sink.splice(0)) commands.push({ table, step, text: c.text, mutating: c.mutating });
  };
  const { clusterUri, database } = input;

  await gateway.execute(database, showDatabaseSchemaScript());
  take(null, 'schema-snapshot');
  const listed = await createListTablesActivity({ gatewayFor })({
    clusterUri,
    database,
    include: input.include,
    exclude: input.exclude,
    partitionColumns: input.partitionColumns,
  });
  take(null, 'list-tables');
  for (const p of listed.problems) notes.push(`table '${p.table}' cannot be set up: ${p.error}`);

  for (const table of listed.tables) {
    const plan = planForTable(input, table);
    const act: TableActivityInput = { clusterUri, plan };
    const changes: string[] = [];
    const policy = await createEnsureIngestionTimePolicyActivity({ gatewayFor })(act);
    take(table.name, 'ingestion-time-policy');
    const external = await createEnsureExternalTableActivity({ gatewayFor })(act);
    take(table.name, 'external-table');
    changes.push(...policy.differences, ...external.differences.map((d) => `external table: ${d}`));
    let cursor: string | undefined;
    try {
      const exp = await createEnsureContinuousExportActivity({ gatewayFor })(act);
      changes.push(...exp.differences.map((d) => `continuous export: ${d}`));
      cursor = exp.startCursor;
    } catch (error) {
      // A continuous export that does not exist yet (it was only planned) has no StartCursor to read back.
      if (!(error instanceof PermanentError && /reports no StartCursor/.test(error.message))) throw error;
      changes.push('continuous export: missing');
    }
    take(table.name, 'continuous-export');
    const record =
      cursor === undefined ? undefined : await deps.catalog?.getTable(clusterUri, database, table.name);
    if (cursor !== undefined && record?.state === 'ready' && record.startCursor === cursor) {
      tables.push({ table: table.name, changes, historical: 'done' });
      continue;
    }
    const bound = cursor ?? (await readCurrentCursor(deps.gateway, database));
    const target = {
      clusterUri,
      database,
      table: table.name,
      externalTable: backupExternalTableName(table.name),
      cursor: bound,
      partitioned: plan.partitionColumn !== null,
    };
    const chunks = await createPlanHistoricalChunksActivity({ gatewayFor, logger: silent })({
      ...target,
      targetRows: input.chunkTargetRows,
    });
    if (chunks.chunks.length > 0) await gateway.execute(database, showCapacity());
    for (const chunk of chunks.chunks) {
      sink.push(
        exportChunkAsync({
          table: table.name,
          externalTable: target.externalTable,
          cursor: bound,
          range: rangeOf(chunk),
          ...(plan.export.sizeLimitBytes !== undefined ? { sizeLimitBytes: plan.export.sizeLimitBytes } : {}),
        }),
      );
    }
    take(table.name, 'historical-export');
    tables.push({
      table: table.name,
      changes,
      historical: {
        rows: chunks.rows,
        chunks: chunks.chunks.length,
        cursor: cursor === undefined ? 'current-cursor' : 'start-cursor',
      },
    });
  }
  if (tables.some((t) => t.historical !== 'done' && t.historical.cursor === 'current-cursor')) {
    notes.push(
      "tables without a continuous export are previewed up to the database's current cursor; setup uses the new export's StartCursor",
    );
  }
  if (commands.some((c) => c.step === 'historical-export' && c.mutating)) {
    notes.push(
      'setup also polls the exports it starts (.show operations (<ids>)) and reads each finished one (.show operation <id> details)',
    );
  }
  return { database, commands, tables, notes };
}

/** The database's current cursor, read outside the plan (setup itself never sends this query). */
async function readCurrentCursor(gateway: KustoGateway, database: string): Promise<string> {
  const answer = await gateway.execute(database, currentCursor());
  const cell = answer.rows[0]?.[0];
  return typeof cell === 'string' && /^\d+$/.test(cell) ? cell : '0';
}
