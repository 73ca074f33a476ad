/**
 * Carries out a tick's plans. Repairs reuse setup's own activities (`ensureExternalTable`,
 * `ensureContinuousExport`: read, compare, create-or-alter only when different), so applying a plan
 * twice changes nothing the second time. A table's actions run in order and a failed one stops the
 * rest (an export is never re-enabled after its repair failed); every action writes one structured
 * log line.
 */
import { createEnsureContinuousExportActivity } from '../activities/ensureContinuousExport';
import { createEnsureExternalTableActivity } from '../activities/ensureExternalTable';
import { errorText } from '../activities/common';
import type { TableAssessment } from '../domain/monitorDiff';
import type { MonitorAction, TablePlan } from '../domain/monitorPlan';
import type { ActionOutcome } from '../domain/monitorStatus';
import { safeText } from '../domain/monitorStatus';
import type { TableBackupPlan } from '../domain/provisioning';
import { enableContinuousExport } from '../kusto/commands';
import type { KustoGateway, Logger } from '../kusto/gateway';
import type { SetupInput } from '../orchestrations/setupDatabase';
import { planForTable } from '../orchestrations/setupDatabase';
import type { CatalogStore } from '../storage/catalog';
import type { TableSetupStarter } from './tableSetup';

/** What applying needs. */
export interface ApplyDeps {
  readonly gatewayFor: (clusterUri: string) => KustoGateway;
  readonly catalog: Pick<CatalogStore, 'putTable'>;
  readonly tableSetup: TableSetupStarter;
  readonly logger: Logger;
  readonly now: () => Date;
}

/** The database being repaired. */
export interface ApplyTarget {
  readonly clusterUri: string;
  readonly policy: SetupInput;
  readonly assessments: ReadonlyMap<string, TableAssessment>;
}

/** Runs one action; resolves with what it did, rejects when it failed. */
async function run(deps: ApplyDeps, target: ApplyTarget, action: MonitorAction): Promise<string> {
  const { clusterUri, policy } = target;
  const a = target.assessments.get(action.table);
  switch (action.kind) {
    case 'start-setup': {
      const plan = planForTable(policy, action.setup);
      const out = await deps.tableSetup.start({ clusterUri, plan, chunkTargetRows: policy.chunkTargetRows });
      return `setup ${out.status} (${out.instanceId})`;
    }
    case 'recreate-external-table':
    case 'realign-schema': {
      const plan: TableBackupPlan = {
        database: policy.database,
        table: action.table,
        columns: action.columns,
        partitionColumn: action.partitionColumn,
        containers: policy.containers,
        storageAuth: policy.storageAuth,
        export: policy.export,
      };
      const input = { clusterUri, plan };
      const external = await createEnsureExternalTableActivity(deps)(input);
      const done = [
        `${action.detail}; external table ${external.changed ? external.differences.join('; ') : 'already matched'}`,
      ];
      if (action.kind === 'realign-schema') {
        const exp = await createEnsureContinuousExportActivity(deps)(input);
        done.push(`continuous export ${exp.changed ? exp.differences.join('; ') : 'already matched'}`);
        // The record follows the source, so the drift is not found again on the next tick.
        if (a?.record) {
          await deps.catalog.putTable({
            ...a.record,
            columns: action.columns.map((c) => ({ name: c.name, type: c.type })),
            updatedAt: deps.now().toISOString(),
          });
        }
      }
      return done.join('; ');
    }
    case 'enable-export':
      await deps.gatewayFor(clusterUri).execute(policy.database, enableContinuousExport(action.exportName));
      return `continuous export '${action.exportName}' re-enabled`;
    case 'mark-source-dropped':
      if (a?.record) {
        await deps.catalog.putTable({
          ...a.record,
          state: 'source-dropped',
          updatedAt: deps.now().toISOString(),
        });
      }
      return 'catalog record marked source-dropped; the backup is kept';
  }
}

/** Applies every plan; returns each table's action outcomes (tables without actions are absent). */
export async function applyPlans(
  deps: ApplyDeps,
  target: ApplyTarget,
  plans: readonly TablePlan[],
): Promise<Map<string, ActionOutcome[]>> {
  const outcomes = new Map<string, ActionOutcome[]>();
  for (const plan of plans) {
    for (const action of plan.actions) {
      const fields = {
        action: action.kind,
        cluster: target.clusterUri,
        database: target.policy.database,
        table: action.table,
      };
      let outcome: ActionOutcome;
      try {
        const detail = safeText(await run(deps, target, action));
        outcome = { kind: action.kind, at: deps.now().toISOString(), outcome: 'done', detail };
        deps.logger.info('adx-backup monitor action', { ...fields, outcome: 'done', detail });
      } catch (error) {
        const detail = safeText(errorText(error));
        outcome = { kind: action.kind, at: deps.now().toISOString(), outcome: 'failed', detail };
        deps.logger.error('adx-backup monitor action', { ...fields, outcome: 'failed', detail });
      }
      outcomes.set(action.table, [...(outcomes.get(action.table) ?? []), outcome]);
      if (outcome.outcome === 'failed') break;
    }
  }
  return outcomes;
}
