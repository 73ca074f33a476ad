/**
 * How the monitor sets up a table that has no backup: it starts setup's own per-table orchestration
 * (`setupTableOrchestrator`: IngestionTime policy, external table, continuous export, historical
 * export up to the StartCursor, catalog record) rather than provisioning inline, because the
 * historical export of a big table runs for hours with durable timers and must survive restarts;
 * the continuous export exists seconds after the tick. The instance id is the one a database setup
 * gives that table's child, so a monitor start and a setup run never export one table twice at once.
 * Other hosts (the CLI) implement {@link TableSetupStarter} with their own runner.
 */
import type { SetupDurableClient } from '../http/setup';
import { ACTIVE, statusOf } from '../http/setup';
import { OrchestratorNames, setupInstanceId, setupTableInstanceId } from '../names';
import type { SetupTableInput } from '../orchestrations/setupTable';

/** What became of a request to set up a table. */
export interface TableSetupOutcome {
  /** `deferred`: a setup of the whole database is running and owns every table until it ends. */
  readonly status: 'started' | 'running' | 'deferred';
  readonly instanceId: string;
}

/** Starts one table's setup (at most one at a time per table). */
export interface TableSetupStarter {
  start(input: SetupTableInput): Promise<TableSetupOutcome>;
}

/** The part of the durable client the starter uses. */
export type MonitorDurableClient = Pick<SetupDurableClient, 'getStatus' | 'startNew'>;

/** The starter of a Functions host: the per-table orchestration through the durable client. */
export function durableTableSetupStarter(client: MonitorDurableClient): TableSetupStarter {
  return {
    async start(input) {
      const database = setupInstanceId(input.clusterUri, input.plan.database);
      const databaseStatus = await statusOf(client, database);
      if (databaseStatus !== undefined && ACTIVE.has(databaseStatus)) {
        return { status: 'deferred', instanceId: database };
      }
      const instanceId = setupTableInstanceId(database, input.plan.table);
      const tableStatus = await statusOf(client, instanceId);
      if (tableStatus !== undefined && ACTIVE.has(tableStatus)) return { status: 'running', instanceId };
      await client.startNew(OrchestratorNames.setupTable, { instanceId, input });
      return { status: 'started', instanceId };
    },
  };
}
