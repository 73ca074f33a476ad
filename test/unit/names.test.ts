import {
  setupInstanceId,
  setupTableInstanceId,
  historicalExportInstanceId,
  backupExternalTableName,
  backupContinuousExportName,
  normaliseClusterUri,
  FunctionNames,
  OrchestratorNames,
  ActivityNames,
} from '../../lib/names';

test('setup instance ids are deterministic and insensitive to URI spelling', () => {
  const a = setupInstanceId('https://C1.westeurope.kusto.windows.net/', 'Sales');
  const b = setupInstanceId('https://c1.westeurope.kusto.windows.net', 'sales');
  expect(a).toBe(b);
  expect(a).toMatch(/^setup-[0-9a-f]{24}$/);
  expect(setupInstanceId('https://c1.westeurope.kusto.windows.net', 'other')).not.toBe(a);
  expect(setupInstanceId('https://c2.westeurope.kusto.windows.net', 'sales')).not.toBe(a);
});

test('child ids derive from the parent', () => {
  const parent = setupInstanceId('https://c1.kusto.windows.net', 'db');
  expect(setupTableInstanceId(parent, 'T1')).toMatch(new RegExp(`^${parent}-t-[0-9a-f]{24}$`));
  expect(setupTableInstanceId(parent, 'T1')).not.toBe(setupTableInstanceId(parent, 'T2'));
});

test('normaliseClusterUri drops path and case', () => {
  expect(normaliseClusterUri('HTTP://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080');
});

test('all registered names are unique and valid function names', () => {
  const all = [
    ...Object.values(FunctionNames),
    ...Object.values(OrchestratorNames),
    ...Object.values(ActivityNames),
  ];
  expect(new Set(all).size).toBe(all.length);
  for (const n of all) expect(n).toMatch(/^[A-Za-z][A-Za-z0-9_-]{0,127}$/);
});

test('table names are case-sensitive in child ids (Kusto tables T and t are different tables)', () => {
  const parent = setupInstanceId('https://c1.kusto.windows.net', 'db');
  expect(setupTableInstanceId(parent, 'Events')).not.toBe(setupTableInstanceId(parent, 'events'));
  expect(historicalExportInstanceId(setupTableInstanceId(parent, 'T'))).toBe(
    `${setupTableInstanceId(parent, 'T')}-h`,
  );
});

test('backup entities are named after their table with a recognisable prefix', () => {
  expect(backupExternalTableName('Sales Events')).toBe('adxbackup_Sales Events');
  expect(backupContinuousExportName('Sales Events')).toBe('adxbackup_Sales Events');
});
