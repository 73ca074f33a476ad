import { loadConfig } from '../../../lib/config';
import { parseRestoreRequest } from '../../../lib/http/restoreRequest';
import { RequestValidationError } from '../../../lib/http/setupRequest';

const config = loadConfig({
  ADX_BACKUP_CLUSTER_URI: 'https://src.westeurope.kusto.windows.net',
  ADX_BACKUP_CONTAINERS: 'https://acct.blob.core.windows.net/backup',
});
const newId = () => 'generated-1';
const minimal = { source: { database: 'Sales', tables: 'all' }, target: { database: 'SalesRestore' } };

function problems(body: unknown): { field: string; message: string }[] {
  try {
    parseRestoreRequest(body, config, newId);
  } catch (error) {
    if (error instanceof RequestValidationError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('parseRestoreRequest', () => {
  it('applies the defaults: generated id, configured cluster and containers, new tables, no filters', () => {
    expect(parseRestoreRequest(minimal, config, newId)).toEqual({
      restoreId: 'generated-1',
      source: {
        clusterUri: 'https://src.westeurope.kusto.windows.net',
        database: 'Sales',
        tables: 'all',
        containers: ['https://acct.blob.core.windows.net/backup'],
      },
      target: { clusterUri: 'https://src.westeurope.kusto.windows.net', database: 'SalesRestore' },
      renames: {},
      asOf: null,
      partitions: null,
      mode: 'new-tables',
      allowExportedTarget: false,
      dryRun: false,
    });
  });

  it('normalises what it is given: asOf to UTC, cluster URIs, duplicate containers', () => {
    const r = parseRestoreRequest(
      {
        restoreId: 'r-2026-01',
        source: {
          clusterUri: 'https://Other.kusto.windows.net/',
          database: 'Sales',
          tables: ['Orders', 'Lines'],
          containers: ['https://acct2.blob.core.windows.net/bak', 'https://acct2.blob.core.windows.net/bak'],
        },
        target: { clusterUri: 'http://127.0.0.1:8080', database: 'T' },
        renames: { Orders: 'Orders2' },
        asOf: '2026-01-31T10:00:00+02:00',
        partitions: { from: '2025-01-01', to: '2025-12-31' },
        mode: 'append',
        allowExportedTarget: true,
        dryRun: true,
      },
      config,
      newId,
    );
    expect(r).toMatchObject({
      restoreId: 'r-2026-01',
      source: {
        clusterUri: 'https://other.kusto.windows.net',
        tables: ['Orders', 'Lines'],
        containers: ['https://acct2.blob.core.windows.net/bak'],
      },
      target: { clusterUri: 'http://127.0.0.1:8080' },
      asOf: '2026-01-31T08:00:00.000Z',
      partitions: { from: '2025-01-01', to: '2025-12-31' },
      mode: 'append',
    });
  });

  it('reports every schema problem with its field', () => {
    expect(
      problems({
        source: { database: 'S', tables: [] },
        target: {},
        mode: 'x',
        asOf: '2026-01-01',
        dryRun: 'yes',
        more: 1,
      })
        .map((p) => p.field)
        .sort(),
    ).toEqual(['asOf', 'dryRun', 'mode', 'more', 'source.tables', 'target.database']);
  });

  it('reports every semantic problem with its field', () => {
    const found = problems({
      source: {
        database: "Sa'les",
        tables: ['A', 'A', 'B;drop'],
        containers: ['https://evil.example.com/x?sig=s'],
      },
      target: { clusterUri: 'http://10.0.0.1', database: 'T' },
      renames: { C: 'X', A: '__restore_x', B: 'X' },
      partitions: { from: '2025-02-30', to: '2025-01-01' },
    });
    expect(found.map((p) => p.field).sort()).toEqual([
      'partitions',
      'partitions.from',
      'renames.A',
      'renames.B',
      'renames.B',
      'renames.C',
      'source.containers[0]',
      'source.database',
      'source.tables[1]',
      'source.tables[2]',
      'target.clusterUri',
    ]);
    expect(found.find((p) => p.field === 'renames.C')?.message).toBe("'C' is not one of source.tables");
  });

  it('needs a target cluster when none is configured', () => {
    const none = loadConfig({ ADX_BACKUP_CONTAINERS: 'https://acct.blob.core.windows.net/backup' });
    expect(() => parseRestoreRequest(minimal, none, newId)).toThrow(/target.clusterUri: is required/);
  });
});
