/**
 * `adx-backup setup`: the backup setup of a database, run in this process by the local durable
 * runner: the same orchestrations and activities the function app registers
 * (`registerSetupFunctions`), with real durable timers. The request is validated like the HTTP
 * API's, then one read checks the database and the table selection before anything changes.
 */
import { registerSetupFunctions } from '../../../functions/setup';
import { tablesToBackUp } from '../../activities/listTables';
import type { RecordChunksOutput, PlanChunksOutput } from '../../activities/contracts';
import { selectTables } from '../../domain/tableSelection';
import { showDatabaseSchemaJson } from '../../kusto/commands';
import type { KustoGateway } from '../../kusto/gateway';
import { parseDatabaseSchema } from '../../kusto/results';
import { ActivityNames, OrchestratorNames, setupInstanceId } from '../../names';
import type { SetupInput, SetupResult } from '../../orchestrations/setupDatabase';
import type { SetupTableResult } from '../../orchestrations/setupTable';
import { LocalRunner } from '../../runtime/localRunner';
import type { RunnerEvent } from '../../runtime/localRunner';
import type { CommandContext } from '../context';
import { printResult } from '../context';
import { OperationFailed, UsageError } from '../io';
import { createProgressBar } from '../progress';
import { renderTable } from '../table';
import type { SetupOptions } from './setupInput';
import { optionOfField, setupInputFromOptions } from './setupInput';

/** Checks the database exists and the selection fits its tables (one read command). */
export async function preflight(gateway: KustoGateway, input: SetupInput): Promise<void> {
  let tables;
  try {
    tables = parseDatabaseSchema(
      await gateway.execute(input.database, showDatabaseSchemaJson()),
      input.database,
    ).tables;
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    throw new OperationFailed(`cannot read database '${input.database}' on ${input.clusterUri}: ${text}`);
  }
  if (
    input.include.length > 0 &&
    selectTables(
      tables.map((t) => t.name),
      input.include,
      [],
    ).length === 0
  ) {
    throw new UsageError('--include', `matches no table of database '${input.database}'`);
  }
  const [problem] = tablesToBackUp(tables, input).problems;
  if (problem) throw new UsageError(optionOfField(problem.field), problem.error.replace(/^[^:]*: /, ''));
}

/** Follows the runner's events: rows planned and exported by the historical exports, tables done. */
function setupProgress(ctx: CommandContext): { onEvent: (e: RunnerEvent) => void; stop: () => void } {
  const bar = createProgressBar(ctx.io, { label: 'historical export', unit: 'rows', json: ctx.json });
  let planned = 0;
  let exported = 0;
  let tables = 0;
  let total: number | undefined;
  return {
    onEvent(e) {
      if (e.kind === 'custom-status' && e.name === OrchestratorNames.setupDatabase) {
        total = (e.customStatus as { tables?: number } | undefined)?.tables ?? total;
      } else if (e.kind === 'activity-completed' && e.name === ActivityNames.planHistoricalChunks) {
        planned += (e.output as PlanChunksOutput).rows;
        bar.setTotal(planned);
      } else if (e.kind === 'activity-completed' && e.name === ActivityNames.recordChunkResults) {
        exported += (e.output as RecordChunksOutput).chunks.reduce((n, c) => n + c.rows, 0);
      } else if (e.kind === 'orchestration-finished' && e.name === OrchestratorNames.setupTable) {
        tables++;
      } else return;
      bar.update(exported, `| tables ${tables}${total === undefined ? '' : `/${total}`}`);
    },
    stop: () => bar.stop(),
  };
}

function describeHistorical(t: SetupTableResult): string {
  if (!t.historical) return '-';
  if (t.historical.skipped) return 'already complete';
  return `${t.historical.rows} rows in ${t.historical.chunks} chunk${t.historical.chunks === 1 ? '' : 's'}`;
}

/** Runs the subcommand; resolves with the exit code. */
export async function setupCommand(ctx: CommandContext, opts: SetupOptions): Promise<number> {
  const input = setupInputFromOptions(opts, ctx.config);
  const deps = ctx.deps();
  await preflight(deps.gatewayFor(input.clusterUri), input);
  registerSetupFunctions(() => deps.setupDeps());
  const progress = setupProgress(ctx);
  const runner = new LocalRunner({ clock: 'real', onEvent: progress.onEvent });
  const instanceId = setupInstanceId(input.clusterUri, input.database);
  const result = await runner
    .run(OrchestratorNames.setupDatabase, input, { instanceId })
    .finally(progress.stop);
  if (result.status !== 'Completed') {
    if (ctx.json) printResult(ctx, { instanceId, status: result.status, error: result.error }, '');
    throw new OperationFailed(
      `backup setup of '${input.database}' ${result.status.toLowerCase()}: ${result.error ?? ''}`,
    );
  }
  const out = result.output as SetupResult;
  const rows = out.tables.map((t) => [
    t.table,
    t.status,
    t.changed.length === 0 ? 'unchanged' : t.changed.map((c) => c.split(':')[0]).join(', '),
    describeHistorical(t),
  ]);
  printResult(
    ctx,
    { instanceId, ...out },
    `${renderTable(['table', 'status', 'changed', 'historical export'], rows)}\n` +
      `backup setup of '${out.database}' complete: ${out.tables.length} tables, ${out.snapshots} schema snapshot(s) written`,
  );
  return 0;
}
