/**
 * The plan runs setup's own activities over a dry-run gateway: reads reach the cluster, mutating
 * commands are listed and never sent. Two previews: a missing export's cursor is the database's
 * current cursor (read outside the plan), and a table whose historical export the catalog records
 * as complete for its StartCursor gets no export commands.
 */
import type { SetupInput } from '../../../lib/orchestrations/setupDatabase';
import { planSetup } from '../../../lib/planning/setupPlan';
import type { TableBackupRecord } from '../../../lib/storage/catalog';
import { table } from '../../helpers/resultTables';
import { notFound, scriptedGateway } from '../../helpers/scriptedGateway';
import {
  CLUSTER,
  CONTAINER,
  continuousExportRow,
  externalSchemaRow,
  externalTableRow,
} from '../activities/fixtures';

const INPUT: SetupInput = {
  clusterUri: CLUSTER,
  database: 'db',
  include: [],
  exclude: [],
  partitionColumns: {},
  containers: [CONTAINER],
  storageAuth: { kind: 'impersonate' },
  export: { intervalMs: 300_000, managedIdentity: 'system' },
  chunkTargetRows: 1000,
  parallelism: 8,
};

const schema = table('DatabaseSchema:string', [
  [
    JSON.stringify({
      Databases: {
        db: {
          Name: 'db',
          Tables: {
            Events: {
              Name: 'Events',
              OrderedColumns: [
                { Name: 'Timestamp', CslType: 'datetime' },
                { Name: 'Id', CslType: 'long' },
              ],
            },
          },
        },
      },
    }),
  ],
]);
const common = {
  'show-database-schema-script': table('DatabaseSchemaScript:string', [
    ['.create table Events (Timestamp:datetime, Id:long)'],
  ]),
  'show-database-schema-json': schema,
  'show-ingestion-time-policy': table(
    'PolicyName:string, EntityName:string, Policy:string, ChildEntities:string, EntityType:string',
    [['IngestionTimePolicy', '[db].[Events]', '{ "IsEnabled": true }', null, 'Table']],
  ),
  'count-by-ingestion-day': table('ingestion_time:datetime, count_:long', [
    ['2026-01-01T00:00:00.0000000Z', 800],
    ['2026-01-02T00:00:00.0000000Z', 800],
  ]),
  'show-capacity': table('Resource:string, Total:long, Consumed:long, Remaining:long', [
    ['DataExport', 4, 0, 4],
  ]),
};

test('a new database: every definition is planned, nothing mutating is sent', async () => {
  const gateway = scriptedGateway({
    ...common,
    'show-external-table': notFound('External table', 'adxbackup_Events'),
    'show-continuous-export': notFound('Continuous export', 'adxbackup_Events'),
    'current-cursor': table('Cursor:string', [['637000000000000077']]),
  });
  const plan = await planSetup({ gateway }, INPUT);
  expect(gateway.mutating()).toEqual([]);
  expect(plan.commands.map((c) => [c.step, c.mutating, c.text.split(' ').slice(0, 3).join(' ')])).toEqual([
    ['schema-snapshot', false, '.show database schema'],
    ['list-tables', false, '.show database schema'],
    ['ingestion-time-policy', false, ".show table ['Events']"],
    ['external-table', false, '.show external table'],
    ['external-table', true, '.create-or-alter external table'],
    ['continuous-export', false, ".show continuous-export ['adxbackup_Events']"],
    ['continuous-export', true, ".create-or-alter continuous-export ['adxbackup_Events']"],
    ['continuous-export', false, ".show continuous-export ['adxbackup_Events']"],
    ['historical-export', false, "['Events'] | where"],
    ['historical-export', false, '.show capacity'],
    ['historical-export', true, '.export async to'],
    ['historical-export', true, '.export async to'],
  ]);
  // The current-cursor read is the plan's own: it is sent but not listed as a setup command.
  expect(gateway.sent.some((c) => c.operation === 'current-cursor')).toBe(true);
  expect(plan.commands.filter((c) => c.mutating).every((c) => !c.text.includes('cursor_current'))).toBe(true);
  expect(plan.commands.at(-1)?.text).toContain("cursor_before_or_at('637000000000000077')");
  expect(plan.tables).toEqual([
    {
      table: 'Events',
      changes: ['external table: missing', 'continuous export: missing'],
      historical: { rows: 1600, chunks: 2, cursor: 'current-cursor' },
    },
  ]);
  expect(plan.notes.join('\n')).toMatch(/current cursor/);
});

test('a set-up database whose historical export is complete: reads only', async () => {
  const gateway = scriptedGateway({
    ...common,
    'show-external-table': externalTableRow(),
    'show-external-table-schema': externalSchemaRow(),
    'show-continuous-export': continuousExportRow(),
  });
  const record = { state: 'ready', startCursor: '637000000000000042' } as TableBackupRecord;
  const plan = await planSetup({ gateway, catalog: { getTable: () => Promise.resolve(record) } }, INPUT);
  expect(plan.commands.filter((c) => c.mutating)).toEqual([]);
  expect(plan.commands.some((c) => c.step === 'historical-export')).toBe(false);
  expect(plan.tables).toEqual([{ table: 'Events', changes: [], historical: 'done' }]);
});
