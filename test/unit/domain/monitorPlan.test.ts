import { assessDatabase } from '../../../lib/domain/monitorDiff';
import type { Diagnosis, StorageProbe } from '../../../lib/domain/monitorPlan';
import { diagnose, needsStorageProbe, planActions } from '../../../lib/domain/monitorPlan';
import type { ContinuousExportFailure } from '../../../lib/kusto/results';
import {
  COLS,
  MINUTE,
  NOW,
  POLICY,
  exportOf,
  healthy,
  live,
  record,
  schemaOf,
} from '../../helpers/monitorFixtures';

const CONTAINER = POLICY.containers[0]!;
const failure = (details: string, minutesAgo = 1): ContinuousExportFailure => ({
  timestamp: new Date(NOW.getTime() - minutesAgo * MINUTE),
  operationId: 'op',
  name: 'x',
  failureKind: 'Failure',
  details,
});
const STORAGE = "Permanent failure: storage account not accessible. Access to container 'backup' was denied";

/** Assess, diagnose every unhealthy table with `failures`, and plan. */
function planFor(
  snapshot: ReturnType<typeof healthy>,
  failures: Record<string, ContinuousExportFailure[]> = {},
  options: { probe?: StorageProbe; k?: number } = {},
) {
  const assessments = assessDatabase(snapshot);
  const diagnoses = new Map<string, Diagnosis>(
    assessments
      .filter((a) => a.state !== 'healthy')
      .map((a) => [a.table, diagnose(a, failures[a.table] ?? [])]),
  );
  const plans = planActions({
    policy: POLICY,
    assessments,
    diagnoses,
    reenablePerTick: options.k ?? 2,
    ...(options.probe ? { probe: options.probe } : {}),
  });
  return { assessments, diagnoses, plans };
}

test('the empty plan: healthy tables get no action, alert or note', () => {
  const { plans } = planFor(healthy(['A', 'B']));
  expect(plans).toEqual([
    { table: 'A', actions: [], alert: null, notes: [] },
    { table: 'B', actions: [], alert: null, notes: [] },
  ]);
});

test('diagnose: the diff knows missing external tables and drift; else the latest current failure', () => {
  const { assessments } = planFor(healthy(['A'], { exports: [exportOf('A', { lastRunResult: 'Failed' })] }));
  const failing = assessments[0]!;
  expect(
    diagnose(failing, [failure('schema mismatch between query and table', 9), failure(STORAGE, 1)]),
  ).toMatchObject({
    cause: 'storage-inaccessible',
    lastFailure: { details: STORAGE },
  });
  expect(diagnose({ ...failing, externalTableMissing: true }, [failure(STORAGE)]).cause).toBe(
    'external-table-missing',
  );
  // A late export whose last run completed: an old failure does not explain it.
  const late = { ...failing, state: 'late' as const, export: exportOf('A') };
  expect(diagnose(late, [failure(STORAGE)])).toMatchObject({
    cause: null,
    lastFailure: { details: STORAGE },
  });
});

test('repairs: a missing external table is recreated, drift realigned with the live columns', () => {
  const withRegion = [...COLS, { name: 'Region', type: 'string' }];
  const { plans } = planFor(
    healthy(['Gone', 'Grew'], {
      schema: schemaOf([live('Gone'), live('Grew', withRegion)], ['Grew']),
    }),
  );
  expect(plans.map((p) => [p.table, p.actions, p.alert])).toEqual([
    [
      'Gone',
      [
        {
          kind: 'recreate-external-table',
          table: 'Gone',
          columns: COLS.map((c) => ({ ...c })),
          partitionColumn: 'Timestamp',
          detail: "external table 'adxbackup_Gone' is missing",
        },
      ],
      null,
    ],
    [
      'Grew',
      [
        {
          kind: 'realign-schema',
          table: 'Grew',
          columns: withRegion,
          partitionColumn: 'Timestamp',
          detail: 'added Region',
        },
      ],
      null,
    ],
  ]);
});

test('drift that removes the partition column is alerted, not realigned', () => {
  const { plans } = planFor(healthy(['A'], { schema: schemaOf([live('A', [COLS[1]])], ['A']) }));
  expect(plans[0]!.actions).toEqual([]);
  expect(plans[0]!.alert?.message).toMatch(/partition column 'Timestamp' was removed/);
});

test('at most K disabled exports are re-enabled per tick, longest-stalled first, repaired first', () => {
  const tables = ['A', 'B', 'C', 'D'];
  const ago = (d: number) => new Date(NOW.getTime() - d * 1440 * MINUTE);
  const { plans } = planFor(
    healthy(tables, {
      exports: [
        exportOf('A', { isDisabled: true, exportedTo: ago(1) }),
        exportOf('B', { isDisabled: true, exportedTo: ago(3) }),
        exportOf('C', { isDisabled: true, exportedTo: ago(2) }),
        exportOf('D', { isDisabled: true, exportedTo: ago(9) }),
      ],
      schema: schemaOf(
        tables.map((t) => live(t)),
        ['A', 'B', 'C'],
      ),
    }),
  );
  expect(plans.map((p) => [p.table, p.actions.map((a) => a.kind)])).toEqual([
    ['A', []],
    ['B', ['enable-export']],
    ['C', []],
    ['D', ['recreate-external-table', 'enable-export']],
  ]);
  expect(plans[0]!.notes).toEqual(['re-enable deferred: at most 2 exports are re-enabled per tick']);
  expect(plans.every((p) => p.alert === null)).toBe(true);
});

test('storage: no re-enable while the test write fails (alert with text and fix); re-enable once it succeeds', () => {
  const snapshot = healthy(['A'], {
    exports: [exportOf('A', { isDisabled: true, lastRunResult: 'Failed' })],
  });
  const failures = { A: [failure(STORAGE)] };
  const { assessments, diagnoses } = planFor(snapshot, failures);
  expect(needsStorageProbe(assessments, diagnoses)).toBe(true);
  const blocked = planFor(snapshot, failures, {
    probe: new Map([[CONTAINER, { ok: false, error: '403 denied' }]]),
  });
  expect(blocked.plans[0]!.actions).toEqual([]);
  expect(blocked.plans[0]!.alert?.message).toBe(
    `continuous export 'adxbackup_A' is disabled after failing: ${STORAGE}. A test write still fails: 403 denied`,
  );
  expect(blocked.plans[0]!.alert?.fix).toMatch(
    /windows.net\/backup\).*managedIdentity 'system'.*Storage Blob Data Contributor/,
  );
  const open = planFor(snapshot, failures, { probe: new Map([[CONTAINER, { ok: true }]]) });
  expect(open.plans[0]!.actions).toEqual([{ kind: 'enable-export', table: 'A', exportName: 'adxbackup_A' }]);
  // An enabled export failing on storage retries by itself: alert only, no probe.
  const enabled = planFor(
    healthy(['A'], { exports: [exportOf('A', { lastRunResult: 'Failed' })] }),
    failures,
  );
  expect(needsStorageProbe(enabled.assessments, enabled.diagnoses)).toBe(false);
  expect(enabled.plans[0]!.actions).toEqual([]);
  expect(enabled.plans[0]!.alert?.message).toContain(
    'is failing: Permanent failure: storage account not accessible',
  );
});

test('late without failures and unknown failures are alerted with the failure text', () => {
  const old = new Date(NOW.getTime() - 125 * MINUTE);
  const { plans } = planFor(
    healthy(['L', 'U'], {
      exports: [exportOf('L', { exportedTo: old }), exportOf('U', { lastRunResult: 'Failed' })],
    }),
    { U: [failure('Something odd happened')] },
  );
  expect(plans.map((p) => [p.table, p.actions, p.alert?.message])).toEqual([
    ['L', [], "continuous export 'adxbackup_L' is 125 minutes behind without failing"],
    ['U', [], "continuous export 'adxbackup_U' is failing: Something odd happened"],
  ]);
  expect(plans[1]!.alert?.fix).toContain(".show continuous-export adxbackup_U failures'");
});

test('new tables are set up; source-dropped tables are marked once and never alerted; invalid records alerted', () => {
  const first = planFor(
    healthy(['Dropped'], {
      schema: schemaOf([live('New')], ['Dropped']),
      records: [
        { table: 'Dropped', record: record('Dropped') },
        { table: 'Bad', error: 'unreadable record: x' },
      ],
    }),
  ).plans;
  expect(first.map((p) => [p.table, p.actions.map((a) => a.kind), p.alert?.message ?? null])).toEqual([
    ['Bad', [], "catalog record of 'Bad' is invalid: unreadable record: x"],
    ['Dropped', ['mark-source-dropped'], null],
    ['New', ['start-setup'], null],
  ]);
  const marked = planFor(
    healthy(['Dropped'], {
      schema: schemaOf([], ['Dropped']),
      records: [{ table: 'Dropped', record: record('Dropped', { state: 'source-dropped' }) }],
    }),
  ).plans;
  expect(marked).toEqual([
    {
      table: 'Dropped',
      actions: [],
      alert: null,
      notes: ['the table was dropped in the source; its backup is kept'],
    },
  ]);
});
