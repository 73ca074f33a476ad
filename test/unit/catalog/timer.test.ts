import { InvocationContext } from '@azure/functions';
import { makeReconcileTimerHandler } from '../../../lib/catalog/timer';
import type { Logger } from '../../../lib/kusto/gateway';
import { FakeBlobs, FakeCatalog, FakeWatermarks, tableRecord } from '../../helpers/catalogFakes';
import { table } from '../../helpers/resultTables';
import { scriptedGateway } from '../../helpers/scriptedGateway';

const context = new InvocationContext({ functionName: 'reconcileTimer', logHandler: () => undefined });

function timerDeps(databases: string[], clusterUri: string | undefined, catalog = new FakeCatalog()) {
  return () => ({
    config: { clusterUri, databases },
    gatewayFor: () =>
      scriptedGateway({
        'show-exported-artifacts': table(
          'Timestamp:datetime, ExternalTableName:string, Path:string, NumRecords:long',
          [],
        ),
      }),
    catalog,
    watermarks: new FakeWatermarks(),
    blobs: new FakeBlobs(),
    containers: [],
    orphanHorizonMs: 86_400_000,
    quarantineOrphans: false,
    now: () => new Date('2026-01-01T00:00:00Z'),
  });
}

it('reconciles every configured database, logging one that fails and going on', async () => {
  const catalog = new FakeCatalog();
  catalog.tables.push(tableRecord('T'));
  const lines: string[] = [];
  const logger: Logger = {
    info: () => undefined,
    warn: (m) => lines.push(m),
    error: (m, f) => lines.push(`${m} ${String(f?.database)}`),
  };
  const listTables = catalog.listTables.bind(catalog);
  catalog.listTables = (_cluster?: string, database?: string) =>
    database === 'a' ? Promise.reject(new Error('table service down')) : listTables();
  const handler = makeReconcileTimerHandler(
    timerDeps(['a', 'b'], 'https://c1.kusto.windows.net', catalog),
    () => logger,
  );
  const reports = await handler({}, context);
  expect(reports.map((r) => [r.database, r.tables.length])).toEqual([['b', 1]]);
  expect(lines).toEqual(['catalog reconcile failed a']);
});

it('does nothing, with a warning, when no cluster or database is configured', async () => {
  const lines: string[] = [];
  const logger: Logger = { info: () => undefined, warn: (m) => lines.push(m), error: () => undefined };
  expect(await makeReconcileTimerHandler(timerDeps([], undefined), () => logger)({}, context)).toEqual([]);
  expect(lines).toHaveLength(1);
});
