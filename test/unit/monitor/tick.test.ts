import { serialisePolicy } from '../../../lib/domain/backupPolicy';
import type { TableStatus } from '../../../lib/domain/monitorStatus';
import { TransientError } from '../../../lib/errors';
import type { LogFields } from '../../../lib/kusto/gateway';
import type { TableSetupStarter } from '../../../lib/monitor/tableSetup';
import type { MonitorDeps } from '../../../lib/monitor/tick';
import { runMonitorTick } from '../../../lib/monitor/tick';
import {
  CLUSTER,
  MemoryStatus,
  NOW,
  POLICY,
  exportOf,
  exportsAnswer,
  failuresAnswer,
  live,
  record,
  schemaAnswer,
  schemaOf,
} from '../../helpers/monitorFixtures';
import type { Answer } from '../../helpers/scriptedGateway';
import { notFound, scriptedGateway } from '../../helpers/scriptedGateway';
import { MemoryCatalog } from '../../helpers/setupHarness';

const STORAGE = "Permanent failure: storage account not accessible. Access to container 'backup' was denied";

function stack(script: Record<string, Answer | Answer[]>, tables: string[] = ['A']) {
  const gateway = scriptedGateway(script);
  const catalog = new MemoryCatalog();
  for (const t of tables) void catalog.putTable(record(t));
  void catalog.putDatabasePolicy(CLUSTER, 'db', serialisePolicy(POLICY));
  const status = new MemoryStatus();
  const published: { database: string; tables: readonly TableStatus[] }[] = [];
  const logs: [string, string, LogFields | undefined][] = [];
  const started: string[] = [];
  const tableSetup: TableSetupStarter = {
    start: (input) => {
      started.push(input.plan.table);
      return Promise.resolve({ status: 'started', instanceId: `i-${input.plan.table}` });
    },
  };
  const deps: MonitorDeps = {
    gatewayFor: () => gateway,
    catalog,
    status,
    metrics: { publish: (_c, database, t) => void published.push({ database, tables: t }) },
    tableSetup,
    logger: {
      info: (m, f) => void logs.push(['info', m, f]),
      warn: (m, f) => void logs.push(['warn', m, f]),
      error: (m, f) => void logs.push(['error', m, f]),
    },
    now: () => NOW,
    settings: { latenessThresholdMs: 3_600_000, reenablePerTick: 2 },
  };
  const tick = (databases = ['db']) => runMonitorTick(deps, { clusterUri: CLUSTER, databases });
  return { gateway, catalog, status, published, logs, started, tick };
}

const reads = {
  'show-continuous-exports': exportsAnswer([exportOf('A')]),
  'show-database-schema-json': schemaAnswer(schemaOf([live('A')], ['A'])),
};

test('healthy: two reads, statuses written, metrics published, one tick log line and no action', async () => {
  const s = stack(reads);
  const report = await s.tick();
  expect(s.gateway.sent.map((c) => c.operation).sort()).toEqual([
    'show-continuous-exports',
    'show-database-schema-json',
  ]);
  expect(report.databases[0]!.status).toMatchObject({
    outcome: 'checked',
    counts: { healthy: 1 },
    unhealthy: 0,
  });
  expect(s.status.tables.get('db')!.map((t) => t.state)).toEqual(['healthy']);
  expect(s.status.databases.get('db')?.outcome).toBe('checked');
  expect(s.published.map((p) => p.tables.map((t) => t.latenessMinutes))).toEqual([[2]]);
  expect(s.logs.map((l) => [l[0], l[1]])).toEqual([['info', 'adx-backup monitor tick']]);
});

test('no policy, or an unreachable cluster: a status saying why, nothing else sent or written', async () => {
  const noPolicy = stack(reads);
  noPolicy.catalog.policies.clear();
  const r1 = await noPolicy.tick();
  expect(r1.databases[0]!.status).toMatchObject({
    outcome: 'no-policy',
    message: expect.stringContaining('run setup'),
  });
  expect(noPolicy.gateway.sent).toEqual([]);

  const down = stack({
    'show-continuous-exports': new TransientError('connect ECONNREFUSED'),
    ...{ 'show-database-schema-json': reads['show-database-schema-json'] },
  });
  const r2 = await down.tick();
  expect(r2.databases[0]).toMatchObject({
    status: { outcome: 'unreachable', message: `cluster ${CLUSTER} could not be read: connect ECONNREFUSED` },
    tables: [],
  });
  expect(down.gateway.mutating()).toEqual([]);
  expect(down.status.tables.size).toBe(0);
  expect(down.published).toEqual([]);
  expect(down.logs.map((l) => [l[0], l[2]?.outcome])).toEqual([['error', 'unreachable']]);
});

test('one database failing does not stop the next', async () => {
  const s = stack({
    'show-continuous-exports': [new TransientError('timeout'), exportsAnswer([exportOf('A')])],
    'show-database-schema-json': [
      reads['show-database-schema-json'],
      schemaAnswer({ ...schemaOf([live('A')], ['A']), databaseName: 'db2' }),
    ],
  });
  void s.catalog.putDatabasePolicy(CLUSTER, 'db2', serialisePolicy({ ...POLICY, database: 'db2' }));
  const report = await s.tick(['db', 'db2']);
  expect(report.databases.map((d) => [d.status.database, d.status.outcome])).toEqual([
    ['db', 'unreachable'],
    ['db2', 'checked'],
  ]);
});

test('failures are read for unhealthy exports only; storage is probed only for one it disabled', async () => {
  const s = stack(
    {
      'show-continuous-exports': exportsAnswer([
        exportOf('A'),
        exportOf('B', { isDisabled: true, lastRunResult: 'Failed' }),
        exportOf('C', { isDisabled: true }),
      ]),
      'show-database-schema-json': schemaAnswer(schemaOf([live('A'), live('B'), live('C')], ['A', 'B', 'C'])),
      'show-continuous-export-failures': (c) =>
        c.text.includes('adxbackup_B') ? failuresAnswer(STORAGE) : failuresAnswer(),
      'probe-storage-write': new Error('403 This request is not authorized'),
      'enable-continuous-export': exportsAnswer([]),
    },
    ['A', 'B', 'C'],
  );
  const report = await s.tick();
  expect(
    s.gateway.sent
      .map((c) => c.text)
      .filter((t) => !t.startsWith('.show continuous-exports') && !t.startsWith('.show database')),
  ).toEqual([
    ".show continuous-export ['adxbackup_B'] failures",
    ".show continuous-export ['adxbackup_C'] failures",
    expect.stringMatching(
      /^\.export to csv \(h@'https:\/\/acct1\.blob\.core\.windows\.net\/backup\/_monitor;impersonate'\)/,
    ),
    ".enable continuous-export ['adxbackup_C']",
  ]);
  const t = report.databases[0]!.tables;
  expect(t.map((x) => [x.table, x.state, x.cause, x.lastAction?.kind ?? null, x.alert !== null])).toEqual([
    ['A', 'healthy', null, null, false],
    ['B', 'disabled', 'storage-inaccessible', null, true],
    ['C', 'disabled', null, 'enable-export', false],
  ]);
  expect(t[1]!.alert?.message).toContain('A test write still fails: 403 This request is not authorized');
  expect(s.logs.filter((l) => l[1] === 'adx-backup monitor action').map((l) => l[2]?.table)).toEqual(['C']);
});

test('new tables start their setup; a status store outage is logged and the report still returned', async () => {
  const s = stack({
    ...reads,
    'show-database-schema-json': schemaAnswer(schemaOf([live('A'), live('New')], ['A'])),
  });
  s.status.failWrites = true;
  const report = await s.tick();
  expect(s.started).toEqual(['New']);
  expect(report.databases[0]!.tables.find((t) => t.table === 'New')).toMatchObject({
    state: 'missing',
    lastAction: { kind: 'start-setup', outcome: 'done', detail: 'setup started (i-New)' },
  });
  expect(s.logs.some((l) => l[0] === 'error' && l[1] === 'adx-backup monitor status not saved')).toBe(true);
});

test('a cause the diff knows is repaired even when the failures cannot be read', async () => {
  const s = stack({
    'show-continuous-exports': exportsAnswer([exportOf('A', { lastRunResult: 'Failed' })]),
    'show-database-schema-json': schemaAnswer(schemaOf([live('A')], [])),
    'show-continuous-export-failures': new TransientError('HTTP 503'),
    'show-external-table': notFound('External table', 'adxbackup_A'),
    'create-or-alter-external-table': exportsAnswer([]),
  });
  const [a] = (await s.tick()).databases[0]!.tables;
  expect(a).toMatchObject({
    state: 'failing',
    cause: 'external-table-missing',
    lastAction: { kind: 'recreate-external-table', outcome: 'done' },
    notes: ['failures could not be read: HTTP 503'],
  });
  expect(s.gateway.mutating()).toEqual([
    expect.stringMatching(/^\.create-or-alter external table \['adxbackup_A'\]/),
  ]);
});
