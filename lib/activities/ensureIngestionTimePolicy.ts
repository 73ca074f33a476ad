/**
 * `ensureIngestionTimePolicy`: continuous export and database cursors need `ingestion_time()`, so
 * the table's IngestionTime policy must be enabled. It is read first and altered only when off.
 */
import { enableIngestionTimePolicy, showIngestionTimePolicy } from '../kusto/commands';
import { parsePolicies } from '../kusto/results';
import type { ActivityDeps, EnsureOutput, TableActivityInput } from './contracts';

/**
 * True when the policy row says enabled. A missing row or a `null` policy (the reference's only
 * sample shows `{ "IsEnabled": true }`) counts as off: enabling it once more is harmless.
 */
export function isIngestionTimeEnabled(policy: unknown): boolean {
  return (
    typeof policy === 'object' && policy !== null && (policy as { IsEnabled?: unknown }).IsEnabled === true
  );
}

/** Builds the activity handler. */
export function createEnsureIngestionTimePolicyActivity(
  deps: Pick<ActivityDeps, 'gatewayFor'>,
): (input: TableActivityInput) => Promise<EnsureOutput> {
  return async ({ clusterUri, plan }) => {
    const gateway = deps.gatewayFor(clusterUri);
    const [row] = parsePolicies(await gateway.execute(plan.database, showIngestionTimePolicy(plan.table)));
    if (isIngestionTimeEnabled(row?.policy)) return { changed: false, differences: [] };
    await gateway.execute(plan.database, enableIngestionTimePolicy(plan.table));
    return { changed: true, differences: ['IngestionTime policy was off'] };
  };
}
