import { loadConfig } from '../../../lib/config';
import { UsageError } from '../../../lib/cli/io';
import { clusterOption, databasesOption, nameOption, pairsOption } from '../../../lib/cli/options';

const config = (env: Record<string, string> = {}) => loadConfig(env);

function usage(run: () => unknown): { option: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof UsageError) return { option: error.option, message: error.message };
    throw error;
  }
  throw new Error('no UsageError');
}

test('the cluster comes from the option, else the setting, and is checked', () => {
  expect(clusterOption('https://X.kusto.windows.net/', config())).toBe('https://x.kusto.windows.net');
  expect(clusterOption(undefined, config({ ADX_BACKUP_CLUSTER_URI: 'http://127.0.0.1:8080' }))).toBe(
    'http://127.0.0.1:8080',
  );
  expect(usage(() => clusterOption(undefined, config()))).toEqual({
    option: '--cluster',
    message: '--cluster: is required (or set ADX_BACKUP_CLUSTER_URI)',
  });
  expect(usage(() => clusterOption('ftp://x', config())).message).toBe(
    "--cluster: must use https (got 'ftp')",
  );
});

test('names are validated and required', () => {
  expect(nameOption('Sales', '--database')).toBe('Sales');
  expect(usage(() => nameOption(undefined, '--table')).message).toBe('--table: is required');
  expect(usage(() => nameOption('a]b', '--table')).option).toBe('--table');
});

test('databases come from the options, else the setting', () => {
  expect(databasesOption(['a', 'b'], config())).toEqual(['a', 'b']);
  expect(databasesOption(undefined, config({ ADX_BACKUP_DATABASES: 'x, y' }))).toEqual(['x', 'y']);
  expect(usage(() => databasesOption([], config())).option).toBe('--database');
});

test('Name=Value pairs', () => {
  expect(pairsOption(['T=Ts', ' U = Day '], '--partition-column')).toEqual({ T: 'Ts', U: 'Day' });
  expect(pairsOption(undefined, '--x')).toEqual({});
  expect(usage(() => pairsOption(['T'], '--partition-column')).message).toBe(
    "--partition-column: expected Name=Value, got 'T'",
  );
});
