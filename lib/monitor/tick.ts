/**
 * One monitor tick: `runMonitorTick(deps, { clusterUri, databases })`, the entry point the timer,
 * `POST /api/monitor/run` and the CLI's `monitor --once` share. Per database: read the backup policy
 * and the catalog, send exactly two read commands, diff (pure), read failures of unhealthy exports
 * only, test-write storage only when an export waits on it, plan (pure), apply, then persist the
 * status and publish metrics. A database whose policy is missing or invalid, or whose cluster
 * cannot be read, gets a status entry saying why and no action at all.
 */
import { errorText } from '../activities/common';
import { parsePolicy } from '../domain/backupPolicy';
import { assessDatabase, needsFailures } from '../domain/monitorDiff';
import type { Diagnosis } from '../domain/monitorPlan';
import { diagnose, needsStorageProbe, planActions } from '../domain/monitorPlan';
import type { DatabaseOutcome, DatabaseStatus, TableStatus } from '../domain/monitorStatus';
import { databaseStatus, tableStatus, uncheckedStatus } from '../domain/monitorStatus';
import type { SetupInput } from '../orchestrations/setupDatabase';
import type { CatalogStore } from '../storage/catalog';
import { clusterKey } from '../storage/catalog';
import type { MonitorStatusStore } from '../storage/monitorStatus';
import type { ApplyDeps } from './apply';
import { applyPlans } from './apply';
import { probeStorage, readClusterView, readFailures } from './inspect';
import type { MonitorMetrics } from './metrics';

/** Everything a tick needs; all I/O goes through these. */
export interface MonitorDeps extends ApplyDeps {
  readonly catalog: Pick<CatalogStore, 'putTable' | 'listTableEntries' | 'getDatabasePolicy'>;
  readonly status: Pick<MonitorStatusStore, 'writeDatabase' | 'writeTables' | 'listTables'>;
  readonly metrics: MonitorMetrics;
  readonly settings: { readonly latenessThresholdMs: number; readonly reenablePerTick: number };
}

/** Which databases of which cluster to look at. */
export interface MonitorTickRequest {
  readonly clusterUri: string;
  readonly databases: readonly string[];
}

/** One database's result. `tables` is empty when the database was not checked. */
export interface DatabaseReport {
  readonly status: DatabaseStatus;
  readonly tables: readonly TableStatus[];
}

/** A tick's result. */
export interface MonitorReport {
  readonly clusterUri: string;
  readonly checkedAt: string;
  readonly databases: readonly DatabaseReport[];
}

class Unchecked extends Error {
  constructor(
    readonly outcome: Exclude<DatabaseOutcome, 'checked'>,
    message: string,
  ) {
    super(message);
  }
}

async function policyOf(deps: MonitorDeps, clusterUri: string, database: string): Promise<SetupInput> {
  const stored = await deps.catalog.getDatabasePolicy(clusterUri, database);
  if (!stored) {
    throw new Unchecked(
      'no-policy',
      `no backup policy recorded for database '${database}': run setup (POST /api/backups/${database}/setup) once`,
    );
  }
  try {
    const policy = parsePolicy(stored.policyJson);
    if (policy.database !== database || clusterKey(policy.clusterUri) !== clusterKey(clusterUri)) {
      throw new Error(`it names database '${policy.database}' of ${policy.clusterUri}`);
    }
    return policy;
  } catch (error) {
    throw new Unchecked(
      'policy-invalid',
      `backup policy of database '${database}' is invalid: ${errorText(error)}`,
    );
  }
}

async function checkDatabase(
  deps: MonitorDeps,
  clusterUri: string,
  database: string,
): Promise<DatabaseReport> {
  const now = deps.now();
  const policy = await policyOf(deps, clusterUri, database);
  const [records, previous] = await Promise.all([
    deps.catalog.listTableEntries(clusterUri, database),
    deps.status.listTables(clusterUri, database),
  ]);
  const gateway = deps.gatewayFor(clusterUri);
  const view = await readClusterView(gateway, database).catch((error: unknown) => {
    throw new Unchecked('unreachable', `cluster ${clusterUri} could not be read: ${errorText(error)}`);
  });
  const { settings } = deps;
  const assessments = assessDatabase({
    policy,
    records,
    ...view,
    now,
    latenessThresholdMs: settings.latenessThresholdMs,
  });
  const read = await readFailures(gateway, database, assessments);
  // Every export read for is diagnosed, even when its failures could not be read: the diff alone
  // may know the cause (a missing external table, drift).
  const diagnoses = new Map<string, Diagnosis>(
    assessments.filter(needsFailures).map((a) => [a.table, diagnose(a, read.failures.get(a.table) ?? [])]),
  );
  const probe = needsStorageProbe(assessments, diagnoses) ? await probeStorage(gateway, policy) : undefined;
  const plans = planActions({
    policy,
    assessments,
    diagnoses,
    reenablePerTick: settings.reenablePerTick,
    ...(probe ? { probe } : {}),
  });
  const byTable = new Map(assessments.map((a) => [a.table, a] as const));
  const outcomes = await applyPlans(deps, { clusterUri, policy, assessments: byTable }, plans);
  const before = new Map(previous.map((s) => [s.table, s] as const));
  const tables = assessments.map((a, i) => {
    const plan = plans[i]!;
    const problem = read.problems.get(a.table);
    return tableStatus(
      a,
      diagnoses.get(a.table),
      problem ? { ...plan, notes: [...plan.notes, problem] } : plan,
      outcomes.get(a.table) ?? [],
      before.get(a.table),
      now,
    );
  });
  deps.metrics.publish(clusterUri, database, tables);
  try {
    await deps.status.writeTables(clusterUri, database, tables);
  } catch (error) {
    // The actions are done and logged; the next tick writes the status again.
    deps.logger.error('adx-backup monitor status not saved', { database, message: errorText(error) });
  }
  return { status: databaseStatus(clusterUri, database, tables, now), tables };
}

/** Runs one tick over `request.databases`, one database after the other. */
export async function runMonitorTick(deps: MonitorDeps, request: MonitorTickRequest): Promise<MonitorReport> {
  const checkedAt = deps.now().toISOString();
  const databases: DatabaseReport[] = [];
  for (const database of request.databases) {
    let report: DatabaseReport;
    try {
      report = await checkDatabase(deps, request.clusterUri, database);
    } catch (error) {
      const [outcome, message] =
        error instanceof Unchecked ? [error.outcome, error.message] : (['failed', errorText(error)] as const);
      report = {
        status: uncheckedStatus(request.clusterUri, database, outcome, message, deps.now()),
        tables: [],
      };
    }
    const s = report.status;
    const fields = {
      cluster: request.clusterUri,
      database,
      outcome: s.outcome,
      unhealthy: s.unhealthy,
      alerts: s.alerts,
    };
    if (s.outcome === 'checked') deps.logger.info('adx-backup monitor tick', fields);
    else deps.logger.error('adx-backup monitor tick', { ...fields, message: s.message ?? undefined });
    try {
      await deps.status.writeDatabase(s);
    } catch (error) {
      deps.logger.error('adx-backup monitor status not saved', { database, message: errorText(error) });
    }
    databases.push(report);
  }
  return { clusterUri: request.clusterUri, checkedAt, databases };
}
