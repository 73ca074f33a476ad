import { InvocationContext } from '@azure/functions';
import type { Logger } from '../../../lib/kusto/gateway';
import type { VerificationReport } from '../../../lib/verify/report';
import type { VerifyTimerDeps } from '../../../lib/verify/timer';
import { makeVerifyTimerHandler } from '../../../lib/verify/timer';
import {
  continuousExportsTable,
  FakeBlobs,
  FakeCatalog,
  FakeWatermarks,
  tableRecord,
} from '../../helpers/catalogFakes';
import { memoryLedger } from '../../helpers/memoryLedger';
import { scriptedGateway } from '../../helpers/scriptedGateway';

const context = new InvocationContext({ functionName: 'verifyTimer', logHandler: () => undefined });

it('verifies every configured database; one that cannot run is an alert, the others go on', async () => {
  const catalog = new FakeCatalog();
  catalog.tables.push(tableRecord('T'));
  const listTables = catalog.listTables.bind(catalog);
  catalog.listTables = (_c?: string, database?: string) =>
    database === 'a' ? Promise.resolve([]) : listTables();
  const alerted: VerificationReport[] = [];
  const lines: string[] = [];
  const logger: Logger = {
    info: () => undefined,
    warn: (m) => lines.push(m),
    error: (m, f) => lines.push(`${m} ${String(f?.database)} ${String(f?.alert)}`),
  };
  const deps = (databases: string[], clusterUri?: string) => (): VerifyTimerDeps => ({
    config: { clusterUri, databases },
    gatewayFor: () => scriptedGateway({ 'show-continuous-exports': continuousExportsTable([]) }),
    catalog,
    watermarks: new FakeWatermarks(),
    ledger: memoryLedger(),
    blobs: new FakeBlobs(),
    reports: { write: () => Promise.reject(new Error('unused')), latest: () => Promise.resolve(undefined) },
    containers: [],
    storageAuth: { kind: 'impersonate' },
    alertsFor: () => ({ report: (r) => void alerted.push(r) }),
    now: () => new Date('2026-01-03T02:00:00Z'),
  });
  const reports = await makeVerifyTimerHandler(
    deps(['a', 'b'], 'https://c1.kusto.windows.net'),
    () => logger,
  )({}, context);
  expect(reports.map((r) => [r.database, r.tables.map((t) => t.verdict)])).toEqual([['b', ['not-verified']]]);
  expect(alerted).toEqual(reports);
  expect(lines).toEqual(['backup verification could not run a adx-backup-verification']);
  expect(await makeVerifyTimerHandler(deps([]), () => logger)({}, context)).toEqual([]);
  expect(lines).toHaveLength(2);
});
