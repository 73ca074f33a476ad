import { assessDatabase } from '../../../lib/domain/monitorDiff';
import type { MonitorAction, TablePlan } from '../../../lib/domain/monitorPlan';
import { PermanentError } from '../../../lib/errors';
import type { LogFields } from '../../../lib/kusto/gateway';
import type { ApplyDeps } from '../../../lib/monitor/apply';
import { applyPlans } from '../../../lib/monitor/apply';
import type { SetupTableInput } from '../../../lib/orchestrations/setupTable';
import { COLS, CLUSTER, NOW, POLICY, healthy, live, schemaOf } from '../../helpers/monitorFixtures';
import { notFound, scriptedGateway } from '../../helpers/scriptedGateway';
import type { Answer } from '../../helpers/scriptedGateway';
import { MemoryCatalog } from '../../helpers/setupHarness';
import { continuousExportRow, externalSchemaRow, externalTableRow } from '../activities/fixtures';

const REGION = [...COLS, { name: 'Region', type: 'string' }];

function run(plans: TablePlan[], script: Record<string, Answer | Answer[]>) {
  const gateway = scriptedGateway(script);
  const catalog = new MemoryCatalog();
  const logs: [string, LogFields | undefined][] = [];
  const starts: SetupTableInput[] = [];
  const deps: ApplyDeps = {
    gatewayFor: () => gateway,
    catalog,
    tableSetup: { start: (i) => (starts.push(i), Promise.resolve({ status: 'running', instanceId: 'x' })) },
    logger: {
      info: (_m, f) => void logs.push(['info', f]),
      warn: (_m, f) => void logs.push(['warn', f]),
      error: (_m, f) => void logs.push(['error', f]),
    },
    now: () => NOW,
  };
  const snapshot = healthy(['Events', 'Gone'], {
    schema: schemaOf([live('Events', REGION)], ['Events', 'Gone']),
  });
  const assessments = new Map(assessDatabase(snapshot).map((a) => [a.table, a] as const));
  return {
    gateway,
    catalog,
    logs,
    starts,
    done: applyPlans(deps, { clusterUri: CLUSTER, policy: POLICY, assessments }, plans),
  };
}
const plan = (table: string, ...actions: MonitorAction[]): TablePlan => ({
  table,
  actions,
  alert: null,
  notes: [],
});

test('realign: external table altered to the source, export checked, record follows; one log line', async () => {
  const realign: MonitorAction = {
    kind: 'realign-schema',
    table: 'Events',
    columns: REGION,
    partitionColumn: 'Timestamp',
    detail: 'added Region',
  };
  const r = run([plan('Events', realign)], {
    'show-external-table': externalTableRow(),
    'show-external-table-schema': externalSchemaRow(),
    'create-or-alter-external-table': externalTableRow(),
    'show-continuous-export': continuousExportRow(),
  });
  const outcomes = await r.done;
  expect(r.gateway.mutating()).toEqual([
    expect.stringMatching(
      /^\.create-or-alter external table \['adxbackup_Events'\] \(\['Timestamp'\]:datetime, \['Id'\]:long, \['Region'\]:string\)/,
    ),
  ]);
  expect(outcomes.get('Events')).toEqual([
    {
      kind: 'realign-schema',
      at: NOW.toISOString(),
      outcome: 'done',
      detail: expect.stringMatching(
        /^added Region; external table columns .*; continuous export already matched$/,
      ),
    },
  ]);
  expect((await r.catalog.getTable(CLUSTER, 'db', 'Events'))?.columns).toEqual(REGION);
  expect(r.logs.map((l) => [l[0], l[1]?.action, l[1]?.table, l[1]?.outcome])).toEqual([
    ['info', 'realign-schema', 'Events', 'done'],
  ]);
});

test('a failed repair stops the table (no re-enable), is logged as an error, and other tables go on', async () => {
  const recreate: MonitorAction = {
    kind: 'recreate-external-table',
    table: 'Events',
    columns: COLS,
    partitionColumn: 'Timestamp',
    detail: 'missing',
  };
  const r = run(
    [
      plan('Events', recreate, { kind: 'enable-export', table: 'Events', exportName: 'adxbackup_Events' }),
      plan('Gone', { kind: 'mark-source-dropped', table: 'Gone' }),
    ],
    {
      'show-external-table': notFound('External table', 'adxbackup_Events'),
      'create-or-alter-external-table': new PermanentError('Forbidden: principal lacks permission'),
    },
  );
  const outcomes = await r.done;
  expect(outcomes.get('Events')).toEqual([
    {
      kind: 'recreate-external-table',
      at: NOW.toISOString(),
      outcome: 'failed',
      detail: expect.stringContaining('principal lacks permission'),
    },
  ]);
  expect(r.gateway.sent.some((c) => c.operation === 'enable-continuous-export')).toBe(false);
  expect(outcomes.get('Gone')?.[0]).toMatchObject({ kind: 'mark-source-dropped', outcome: 'done' });
  expect((await r.catalog.getTable(CLUSTER, 'db', 'Gone'))?.state).toBe('source-dropped');
  expect(r.logs.map((l) => [l[0], l[1]?.action])).toEqual([
    ['error', 'recreate-external-table'],
    ['info', 'mark-source-dropped'],
  ]);
});

test('start-setup hands setup the plan setup itself would build; enable sends one command', async () => {
  const r = run(
    [
      plan('New', {
        kind: 'start-setup',
        table: 'New',
        setup: { name: 'New', columns: COLS, partitionColumn: 'Timestamp' },
      }),
      plan('Events', { kind: 'enable-export', table: 'Events', exportName: 'adxbackup_Events' }),
    ],
    { 'enable-continuous-export': continuousExportRow() },
  );
  const outcomes = await r.done;
  expect(r.starts).toEqual([
    {
      clusterUri: CLUSTER,
      chunkTargetRows: POLICY.chunkTargetRows,
      plan: {
        database: 'db',
        table: 'New',
        columns: COLS,
        partitionColumn: 'Timestamp',
        containers: POLICY.containers,
        storageAuth: POLICY.storageAuth,
        export: POLICY.export,
      },
    },
  ]);
  expect(outcomes.get('New')?.[0]?.detail).toBe('setup running (x)');
  expect(r.gateway.mutating()).toEqual([".enable continuous-export ['adxbackup_Events']"]);
});
