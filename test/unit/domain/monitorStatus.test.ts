import { assessDatabase } from '../../../lib/domain/monitorDiff';
import type { TablePlan } from '../../../lib/domain/monitorPlan';
import type { TableStatus } from '../../../lib/domain/monitorStatus';
import {
  MAX_TEXT,
  databaseStatus,
  isUnhealthy,
  safeText,
  tableStatus,
  uncheckedStatus,
} from '../../../lib/domain/monitorStatus';
import { MINUTE, NOW, exportOf, healthy } from '../../helpers/monitorFixtures';

const [late] = assessDatabase(
  healthy(['A'], { exports: [exportOf('A', { exportedTo: new Date(NOW.getTime() - 95 * MINUTE) })] }),
);
const plan = (over: Partial<TablePlan> = {}): TablePlan => ({
  table: 'A',
  actions: [],
  alert: null,
  notes: [],
  ...over,
});
const earlier: TableStatus = {
  table: 'A',
  state: 'failing',
  cause: 'unknown',
  latenessMinutes: 1,
  exportedTo: null,
  lastFailure: { at: '2026-01-01T00:00:00.000Z', text: 'old failure' },
  lastAction: { kind: 'enable-export', at: '2026-01-01T00:00:00.000Z', outcome: 'done', detail: 'x' },
  alert: null,
  notes: [],
  checkedAt: '2026-01-01T00:00:00.000Z',
};

test('a table status: lateness in minutes, failure and action carried over until replaced', () => {
  const s = tableStatus(late!, { cause: null }, plan(), [], earlier, NOW);
  expect(s).toEqual({
    ...earlier,
    state: 'late',
    cause: null,
    latenessMinutes: 95,
    exportedTo: new Date(NOW.getTime() - 95 * MINUTE).toISOString(),
    checkedAt: NOW.toISOString(),
  });
  const failure = {
    timestamp: NOW,
    operationId: 'o',
    name: 'n',
    failureKind: 'Failure',
    details: 'new failure',
  };
  const action = {
    kind: 'realign-schema' as const,
    at: NOW.toISOString(),
    outcome: 'done' as const,
    detail: 'ok',
  };
  const next = tableStatus(late!, { cause: 'unknown', lastFailure: failure }, plan(), [action], earlier, NOW);
  expect([next.lastFailure, next.lastAction]).toEqual([
    { at: NOW.toISOString(), text: 'new failure' },
    action,
  ]);
});

test('a failed action is alerted; alert and failure texts are redacted and bounded', () => {
  const failed = {
    kind: 'enable-export' as const,
    at: NOW.toISOString(),
    outcome: 'failed' as const,
    detail: 'HTTP 500',
  };
  const s = tableStatus(
    late!,
    undefined,
    plan({ alert: { message: 'x', fix: 'y' } }),
    [failed],
    undefined,
    NOW,
  );
  expect(s.alert?.message).toBe("enable-export on 'A' failed: HTTP 500");
  expect(safeText('https://a.blob.core.windows.net/c?sv=1&sig=SECRET')).not.toContain('SECRET');
  expect(safeText('x'.repeat(MAX_TEXT + 10))).toHaveLength(MAX_TEXT + 3);
});

test('database summaries count states, unhealthy tables and alerts', () => {
  const t = (state: TableStatus['state'], alert = false): TableStatus => ({
    ...earlier,
    state,
    alert: alert ? { message: 'm', fix: 'f' } : null,
  });
  const s = databaseStatus('c', 'db', [t('healthy'), t('source-dropped'), t('late', true), t('late')], NOW);
  expect(s).toEqual({
    cluster: 'c',
    database: 'db',
    checkedAt: NOW.toISOString(),
    outcome: 'checked',
    message: null,
    counts: { healthy: 1, late: 2, 'source-dropped': 1 },
    unhealthy: 2,
    alerts: 1,
  });
  expect(['healthy', 'source-dropped', 'missing', 'invalid'].map((x) => isUnhealthy(x as never))).toEqual([
    false,
    false,
    true,
    true,
  ]);
  expect(uncheckedStatus('c', 'db', 'unreachable', 'boom', NOW)).toMatchObject({
    outcome: 'unreachable',
    message: 'boom',
    alerts: 1,
  });
});
