import { assessDatabase } from '../../../lib/domain/monitorDiff';
import { TransientError } from '../../../lib/errors';
import { probeStorage, readClusterView, readFailures } from '../../../lib/monitor/inspect';
import {
  POLICY,
  exportOf,
  exportsAnswer,
  failuresAnswer,
  healthy,
  live,
  schemaAnswer,
  schemaOf,
} from '../../helpers/monitorFixtures';
import { scriptedGateway } from '../../helpers/scriptedGateway';

test('the two reads, parsed', async () => {
  const gateway = scriptedGateway({
    'show-continuous-exports': exportsAnswer([exportOf('A')]),
    'show-database-schema-json': schemaAnswer(schemaOf([live('A')], ['A'])),
  });
  const view = await readClusterView(gateway, 'db');
  expect(view.exports.map((e) => [e.name, e.isDisabled])).toEqual([['adxbackup_A', false]]);
  expect(view.schema).toMatchObject({
    databaseName: 'db',
    externalTables: ['adxbackup_A'],
    externalTablesListed: true,
  });
  expect(gateway.sent.map((c) => c.text).sort()).toEqual([
    '.show continuous-exports',
    '.show database schema as json',
  ]);
});

test("failures only for unhealthy exports; an unreadable answer becomes that table's problem", async () => {
  const assessments = assessDatabase(
    healthy(['A', 'B', 'C'], {
      exports: [
        exportOf('A'),
        exportOf('B', { lastRunResult: 'Failed' }),
        exportOf('C', { isDisabled: true }),
      ],
    }),
  );
  const gateway = scriptedGateway({
    'show-continuous-export-failures': (c) => {
      if (c.text.includes('adxbackup_C')) throw new TransientError('HTTP 503');
      return failuresAnswer('older', 'newest');
    },
  });
  const read = await readFailures(gateway, 'db', assessments);
  expect(gateway.sent.map((c) => c.text)).toEqual([
    ".show continuous-export ['adxbackup_B'] failures",
    ".show continuous-export ['adxbackup_C'] failures",
  ]);
  expect(read.failures.get('B')?.map((f) => f.details)).toEqual(['older', 'newest']);
  expect([...read.problems]).toEqual([['C', 'failures could not be read: HTTP 503']]);
});

test('the storage probe writes once per container and reports each failure', async () => {
  const policy = {
    ...POLICY,
    containers: ['https://acct1.blob.core.windows.net/okay', 'https://acct2.blob.core.windows.net/denied'],
  };
  const gateway = scriptedGateway({
    'probe-storage-write': (c) => {
      if (c.text.includes('acct2')) throw new Error('storage account not accessible');
      return exportsAnswer([]);
    },
  });
  const probe = await probeStorage(gateway, policy);
  expect([...probe]).toEqual([
    ['https://acct1.blob.core.windows.net/okay', { ok: true }],
    ['https://acct2.blob.core.windows.net/denied', { ok: false, error: 'storage account not accessible' }],
  ]);
  expect(gateway.sent.map((c) => c.text)).toEqual([
    expect.stringContaining("(h@'https://acct1.blob.core.windows.net/okay/_monitor;impersonate')"),
    expect.stringContaining("(h@'https://acct2.blob.core.windows.net/denied/_monitor;impersonate')"),
  ]);
});
