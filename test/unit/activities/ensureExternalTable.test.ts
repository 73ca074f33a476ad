import { createEnsureExternalTableActivity, partitionsOf } from '../../../lib/activities/ensureExternalTable';
import { PermanentError } from '../../../lib/errors';
import { table } from '../../helpers/resultTables';
import { notFound, scriptedGateway } from '../../helpers/scriptedGateway';
import { CLUSTER, CONTAINER, PLAN, externalSchemaRow, externalTableRow } from './fixtures';

const run = (gateway: ReturnType<typeof scriptedGateway>) =>
  createEnsureExternalTableActivity({ gatewayFor: () => gateway })({ clusterUri: CLUSTER, plan: PLAN });
const created = table('TableName:string', [['adxbackup_Events']]);

test('an identical external table is only read', async () => {
  const gateway = scriptedGateway({
    'show-external-table': externalTableRow(),
    'show-external-table-schema': externalSchemaRow(),
  });
  expect(await run(gateway)).toEqual({ changed: false, differences: [] });
  expect(gateway.sent.map((c) => c.text)).toEqual([
    ".show external table ['adxbackup_Events']",
    ".show external table ['adxbackup_Events'] schema as json",
  ]);
});

test('a missing external table is created', async () => {
  const gateway = scriptedGateway({
    'show-external-table': notFound('External table', 'adxbackup_Events'),
    'create-or-alter-external-table': created,
  });
  expect(await run(gateway)).toEqual({ changed: true, differences: ['missing'] });
  expect(gateway.mutating()).toEqual([
    `.create-or-alter external table ['adxbackup_Events'] (['Timestamp']:datetime, ['Id']:long) kind=storage partition by (Day:datetime = startofday(['Timestamp'])) pathformat = (datetime_pattern("yyyyMMdd", Day)) dataformat=parquet (h@'${CONTAINER}/db/Events;impersonate')`,
  ]);
});

test('a drifted external table is altered, saying why', async () => {
  const gateway = scriptedGateway({
    'show-external-table': externalTableRow({
      connection: 'https://old.blob.core.windows.net/backup/db/Events;impersonate',
    }),
    'show-external-table-schema': externalSchemaRow('Timestamp:datetime'),
    'create-or-alter-external-table': created,
  });
  const out = await run(gateway);
  expect(out.changed).toBe(true);
  expect(out.differences).toEqual([
    'columns (Timestamp:datetime instead of Timestamp:datetime,Id:long)',
    'storage connection strings',
  ]);
  expect(gateway.mutating()).toHaveLength(1);
});

test('other failures are not mistaken for a missing table', async () => {
  const gateway = scriptedGateway({ 'show-external-table': new PermanentError('HTTP 403 Forbidden') });
  await expect(run(gateway)).rejects.toThrow('HTTP 403 Forbidden');
  expect(gateway.mutating()).toEqual([]);
});

test('partitionsOf reads the Partitions cell as JSON text or as an array, and knows when it is absent', () => {
  expect(partitionsOf(externalTableRow())).toEqual([{ name: 'Day', column: 'Timestamp', fn: 'StartOfDay' }]);
  const asArray = table('TableName:string, Partitions:dynamic', [
    ['x', [{ Name: 'D', ColumnName: 'T', Function: 'StartOfDay' }]],
  ]);
  expect(partitionsOf(asArray)).toEqual([{ name: 'D', column: 'T', fn: 'StartOfDay' }]);
  expect(partitionsOf(table('TableName:string, Partitions:dynamic', [['x', null]]))).toEqual([]);
  expect(partitionsOf(table('TableName:string', [['x']]))).toBeUndefined();
});
