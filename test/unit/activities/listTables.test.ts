import { createListTablesActivity, tablesToBackUp } from '../../../lib/activities/listTables';
import type { DatabaseTable } from '../../../lib/kusto/results';
import { table } from '../../helpers/resultTables';
import { scriptedGateway } from '../../helpers/scriptedGateway';
import { CLUSTER } from './fixtures';

const TABLES: DatabaseTable[] = [
  {
    name: 'Events',
    columns: [
      { name: 'Id', cslType: 'long' },
      { name: 'Timestamp', cslType: 'datetime' },
    ],
  },
  {
    name: 'Audit',
    columns: [
      { name: 'At', cslType: 'datetime' },
      { name: 'When', cslType: 'datetime' },
    ],
  },
  { name: 'Lookup', columns: [{ name: 'Key', cslType: 'string' }] },
  { name: 'constructor', columns: [{ name: 'At', cslType: 'datetime' }] },
  { name: 'Events_tmp', columns: [{ name: 'Id', cslType: 'long' }] },
];
const none = { include: [], exclude: [], partitionColumns: {} };

test('selects by patterns and picks each table partition column', () => {
  const out = tablesToBackUp(TABLES, { ...none, exclude: ['*_tmp'], partitionColumns: { Audit: 'When' } });
  expect(out.problems).toEqual([]);
  expect(out.tables.map((t) => [t.name, t.partitionColumn])).toEqual([
    ['Events', 'Timestamp'],
    ['Audit', 'When'],
    ['Lookup', null],
    ['constructor', 'At'],
  ]);
  expect(out.tables[0]!.columns).toEqual([
    { name: 'Id', type: 'long' },
    { name: 'Timestamp', type: 'datetime' },
  ]);
});

test('reports overrides that do not fit as problems naming the field', () => {
  const out = tablesToBackUp(TABLES, {
    include: ['Events', 'Lookup'],
    exclude: [],
    partitionColumns: { Lookup: 'Key', Audit: 'At', Nope: 'x' },
  });
  expect(out.tables.map((t) => t.name)).toEqual(['Events']);
  expect(out.problems).toEqual([
    {
      table: 'Audit',
      field: 'partitionColumns.Audit',
      error: "partitionColumns.Audit: table 'Audit' is not selected for backup",
    },
    {
      table: 'Nope',
      field: 'partitionColumns.Nope',
      error: "partitionColumns.Nope: no table 'Nope' in the database",
    },
    {
      table: 'Lookup',
      field: 'partitionColumns.Lookup',
      error: "partitionColumns.Lookup: column 'Key' is string; the partition column must be a datetime",
    },
  ]);
});

test('the activity reads the schema with one command', async () => {
  const schema = {
    Databases: {
      db: {
        Name: 'db',
        Tables: {
          T: { Name: 'T', OrderedColumns: [{ Name: 'At', Type: 'System.DateTime', CslType: 'datetime' }] },
        },
      },
    },
  };
  const gateway = scriptedGateway({
    'show-database-schema-json': table('DatabaseSchema:string', [[JSON.stringify(schema)]]),
  });
  const out = await createListTablesActivity({ gatewayFor: () => gateway })({
    clusterUri: CLUSTER,
    database: 'db',
    ...none,
  });
  expect(out.tables).toEqual([
    { name: 'T', columns: [{ name: 'At', type: 'datetime' }], partitionColumn: 'At' },
  ]);
  expect(gateway.sent.map((c) => c.text)).toEqual(['.show database schema as json']);
});
