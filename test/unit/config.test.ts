import {
  loadConfig,
  loadHostStorageConnectionString,
  parseDuration,
  timerScheduleFor,
  CONFIG_KEYS,
} from '../../lib/config';
import { ConfigError } from '../../lib/errors';

describe('loadConfig', () => {
  test('applies safe defaults for an empty environment', () => {
    const c = loadConfig({});
    expect(c.exportIntervalMs).toBe(300_000);
    expect(c.chunkTargetRows).toBe(16_000_000);
    expect(c.reenablePerTick).toBe(2);
    expect(c.restoreBatchSize).toBe(500);
    expect(c.monitorSchedule).toBe('0 */5 * * * *');
    expect(c.verifySchedule).toBe('0 0 2 * * *');
    expect(c.reconcileSchedule).toBe('0 15 * * * *');
    expect(c.orphanHorizonMs).toBe(86_400_000);
    expect(c.quarantineOrphans).toBe(false);
    expect(c.storageAuth).toBe('impersonate');
    expect(c.containers).toEqual([]);
    expect(c.taskHub).toBe('AdxBackupHub');
  });

  test('parses lists, durations and numbers', () => {
    const c = loadConfig({
      ADX_BACKUP_CLUSTER_URI: 'https://c1.westeurope.kusto.windows.net',
      ADX_BACKUP_DATABASES: 'db1, db2',
      ADX_BACKUP_CONTAINERS: 'https://a.blob.core.windows.net/backup,https://b.blob.core.windows.net/backup',
      ADX_BACKUP_EXPORT_INTERVAL: '10m',
      ADX_BACKUP_CHUNK_TARGET_ROWS: '1000',
    });
    expect(c.databases).toEqual(['db1', 'db2']);
    expect(c.containers).toHaveLength(2);
    expect(c.exportIntervalMs).toBe(600_000);
    expect(c.chunkTargetRows).toBe(1000);
  });

  test('accepts an http loopback cluster (the local emulator) but not a remote http one', () => {
    expect(loadConfig({ ADX_BACKUP_CLUSTER_URI: 'http://127.0.0.1:8080' }).clusterUri).toBe(
      'http://127.0.0.1:8080',
    );
    expect(() => loadConfig({ ADX_BACKUP_CLUSTER_URI: 'http://evil.example.com' })).toThrow(ConfigError);
  });

  test('reads the catalog settings and names a bad one', () => {
    const c = loadConfig({
      ADX_BACKUP_RECONCILE_SCHEDULE: '0 0 * * * *',
      ADX_BACKUP_ORPHAN_HORIZON: '6h',
      ADX_BACKUP_QUARANTINE_ORPHANS: 'true',
    });
    expect([c.reconcileSchedule, c.orphanHorizonMs, c.quarantineOrphans]).toEqual([
      '0 0 * * * *',
      21_600_000,
      true,
    ]);
    const problems = (env: Record<string, string>): string[] => {
      try {
        loadConfig(env);
        return [];
      } catch (e) {
        return (e as ConfigError).problems.map((p) => `${p.key}: ${p.message}`);
      }
    };
    expect(problems({ ADX_BACKUP_ORPHAN_HORIZON: '10m' })).toEqual([
      'ADX_BACKUP_ORPHAN_HORIZON: must be between 3600000 ms and 2592000000 ms',
    ]);
    expect(problems({ ADX_BACKUP_QUARANTINE_ORPHANS: 'yes' })).toEqual([
      'ADX_BACKUP_QUARANTINE_ORPHANS: expected true or false',
    ]);
    expect(problems({ ADX_BACKUP_RECONCILE_SCHEDULE: 'hourly' })).toEqual([
      'ADX_BACKUP_RECONCILE_SCHEDULE: expected a six-field NCRONTAB expression',
    ]);
    // Timer registration never throws: an invalid schedule falls back to the default.
    expect(
      timerScheduleFor('ADX_BACKUP_RECONCILE_SCHEDULE', { ADX_BACKUP_RECONCILE_SCHEDULE: 'hourly' }),
    ).toBe('0 15 * * * *');
    expect(
      timerScheduleFor('ADX_BACKUP_VERIFY_SCHEDULE', { ADX_BACKUP_VERIFY_SCHEDULE: '0 30 3 * * *' }),
    ).toBe('0 30 3 * * *');
  });

  test('one error names every bad key', () => {
    let error: unknown;
    try {
      loadConfig({
        ADX_BACKUP_EXPORT_INTERVAL: 'often',
        ADX_BACKUP_CHUNK_TARGET_ROWS: '-5',
        ADX_BACKUP_MONITOR_SCHEDULE: 'every 5 minutes',
        ADX_BACKUP_CONTAINERS: 'not a url',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const keys = (error as ConfigError).problems.map((p) => p.key).sort();
    expect(keys).toEqual([
      'ADX_BACKUP_CHUNK_TARGET_ROWS',
      'ADX_BACKUP_CONTAINERS',
      'ADX_BACKUP_EXPORT_INTERVAL',
      'ADX_BACKUP_MONITOR_SCHEDULE',
    ]);
    expect((error as ConfigError).message).toContain('ADX_BACKUP_EXPORT_INTERVAL');
  });

  test('managed-identity storage auth requires the export identity', () => {
    expect(() => loadConfig({ ADX_BACKUP_STORAGE_AUTH: 'managed_identity' })).toThrow(
      /ADX_BACKUP_EXPORT_MANAGED_IDENTITY/,
    );
    expect(
      loadConfig({
        ADX_BACKUP_STORAGE_AUTH: 'managed_identity',
        ADX_BACKUP_EXPORT_MANAGED_IDENTITY: 'system',
      }).exportManagedIdentity,
    ).toBe('system');
  });

  test('CONFIG_KEYS lists every key read', () => {
    expect(CONFIG_KEYS).toContain('ADX_BACKUP_TASK_HUB');
    expect(CONFIG_KEYS.every((k) => k.startsWith('ADX_BACKUP_'))).toBe(true);
  });
});

test('parseDuration', () => {
  expect(parseDuration('500ms')).toBe(500);
  expect(parseDuration('2d')).toBe(172_800_000);
  expect(parseDuration('5 minutes')).toBeUndefined();
});

test('the host storage connection string is read only when set to something', () => {
  expect(loadHostStorageConnectionString({ AzureWebJobsStorage: ' UseDevelopmentStorage=true ' })).toBe(
    'UseDevelopmentStorage=true',
  );
  expect(loadHostStorageConnectionString({ AzureWebJobsStorage: '  ' })).toBeUndefined();
  expect(loadHostStorageConnectionString({ AzureWebJobsStorage__accountName: 'acct' })).toBeUndefined();
});

test('the monitor schedule for registration: the setting, else the default (loadConfig reports a bad one)', () => {
  expect(
    timerScheduleFor('ADX_BACKUP_MONITOR_SCHEDULE', { ADX_BACKUP_MONITOR_SCHEDULE: '0 */15 * * * *' }),
  ).toBe('0 */15 * * * *');
  expect(timerScheduleFor('ADX_BACKUP_MONITOR_SCHEDULE', {})).toBe('0 */5 * * * *');
  expect(
    timerScheduleFor('ADX_BACKUP_MONITOR_SCHEDULE', { ADX_BACKUP_MONITOR_SCHEDULE: 'every 5 minutes' }),
  ).toBe('0 */5 * * * *');
  expect(() => loadConfig({ ADX_BACKUP_MONITOR_SCHEDULE: 'every 5 minutes' })).toThrow(
    'ADX_BACKUP_MONITOR_SCHEDULE',
  );
});
