/**
 * Test wiring for the monitor against the ADX emulator and its Azurite: the real gateway, catalog
 * and status store, a fake durable client (table setups it starts are then run with the local
 * runner), a logger that keeps its lines, and helpers to set databases up through the real setup
 * orchestration or, for scale, to clone one set-up table many times straight into the emulator's
 * state and the catalog.
 */
import { StorageSharedKeyCredential } from '@azure/storage-blob';
import type { Config } from '../../lib/config';
import { loadConfig } from '../../lib/config';
import { parseSetupRequest } from '../../lib/http/setupRequest';
import type { LogFields, Logger } from '../../lib/kusto/gateway';
import { SdkKustoGateway } from '../../lib/kusto/sdkGateway';
import type { MonitorMetrics } from '../../lib/monitor/metrics';
import { durableTableSetupStarter } from '../../lib/monitor/tableSetup';
import type { MonitorDeps, MonitorReport } from '../../lib/monitor/tick';
import { runMonitorTick } from '../../lib/monitor/tick';
import {
  OrchestratorNames,
  backupContinuousExportName,
  backupExternalTableName,
  setupInstanceId,
} from '../../lib/names';
import type { SetupResult } from '../../lib/orchestrations/setupDatabase';
import { CatalogStore } from '../../lib/storage/catalog';
import { MonitorStatusStore } from '../../lib/storage/monitorStatus';
import { createTextBlobStore } from '../../lib/storage/textBlobs';
import { startEmulator, type EmulatorHandle } from '../emulator/index';
import type { CommandLogEntry } from '../emulator/state';
import { createTable } from '../emulator/tables';
import type { Column } from '../emulator/values';
import { DurableReplayer } from './durableReplay';
import { FakeDurableClient, recordingGateway, registerForTest, silentLogger } from './setupHarness';

/** A structured log line. */
export interface LogLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: LogFields;
}

/** A running monitor test stack. */
export interface MonitorHarness {
  readonly emu: EmulatorHandle;
  readonly gateway: ReturnType<typeof recordingGateway>;
  readonly catalog: CatalogStore;
  readonly status: MonitorStatusStore;
  readonly client: FakeDurableClient;
  readonly logs: LogLine[];
  readonly config: Config;
  /** Tick deps with `reenablePerTick` (default 2) and the emulator's clock as `now`. */
  deps(reenablePerTick?: number, metrics?: MonitorMetrics): MonitorDeps;
  tick(databases: readonly string[], reenablePerTick?: number): Promise<MonitorReport>;
  /** Creates a database, its container and tables, and runs the real setup orchestration on it. */
  setUp(database: string, tables: Record<string, Column[]>): Promise<SetupResult>;
  /** Runs the table setups the monitor started through the durable client (then forgets them). */
  runStartedSetups(): Promise<string[]>;
  /** Clones set-up table `template` as `names` (source table, external table, export, catalog record). */
  cloneTables(database: string, template: string, names: readonly string[]): Promise<void>;
  /** Emulator command log entries for `database` since `mark` (an index into the log). */
  commandsSince(mark: number, database: string): CommandLogEntry[];
  containerOf(database: string): string;
  stop(): Promise<void>;
}

const noMetrics: MonitorMetrics = { publish: () => undefined };

/** Starts the emulator (with Azurite) and the monitor's dependencies. */
export async function startMonitorHarness(): Promise<MonitorHarness> {
  const emu = await startEmulator();
  const sdk = new SdkKustoGateway({
    clusterUri: emu.url,
    retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 20 },
  });
  // Replayed timers fire at once; a short real pause per poll lets emulator exports make progress.
  const gateway = recordingGateway(sdk, { pollDelayMs: 20 });
  const catalog = CatalogStore.fromConnectionString(emu.storage.connectionString);
  const status = MonitorStatusStore.fromConnectionString(emu.storage.connectionString);
  const client = new FakeDurableClient();
  const logs: LogLine[] = [];
  const line =
    (level: LogLine['level']) =>
    (message: string, fields: LogFields = {}): void =>
      void logs.push({ level, message, fields });
  const logger: Logger = { info: line('info'), warn: line('warn'), error: line('error') };
  const credential = new StorageSharedKeyCredential(emu.storage.account, emu.storage.accountKey);
  registerForTest({
    gatewayFor: () => gateway,
    catalog,
    blobs: createTextBlobStore(credential),
    logger: silentLogger,
  });
  const containerOf = (database: string): string => `${emu.storage.blobUrl}/${database.toLowerCase()}-backup`;
  const config = loadConfig({
    ADX_BACKUP_EXPORT_MANAGED_IDENTITY: 'system',
    ADX_BACKUP_LATENESS_THRESHOLD: '3h',
  });
  const deps = (reenablePerTick = 2, metrics = noMetrics): MonitorDeps => ({
    gatewayFor: () => gateway,
    catalog,
    status,
    metrics,
    tableSetup: durableTableSetupStarter(client),
    logger,
    now: () => emu.clock.now(),
    settings: { latenessThresholdMs: config.latenessThresholdMs, reenablePerTick },
  });
  return {
    emu,
    gateway,
    catalog,
    status,
    client,
    logs,
    config,
    deps,
    tick: (databases, k) => runMonitorTick(deps(k), { clusterUri: emu.url, databases }),
    async setUp(database, tables) {
      const db = emu.createDatabase(database);
      for (const [name, columns] of Object.entries(tables)) createTable(db, name, columns);
      // Hourly exports keep multi-day clock jumps cheap; the lateness threshold is 3 h.
      const input = parseSetupRequest(
        database,
        { clusterUri: emu.url, containers: [containerOf(database)], export: { interval: '1h' } },
        config,
      );
      const run = await new DurableReplayer().run(OrchestratorNames.setupDatabase, input, {
        instanceId: setupInstanceId(emu.url, database),
      });
      if (run.status !== 'Completed') throw new Error(`setup of ${database} failed: ${run.error}`);
      return run.output as SetupResult;
    },
    async runStartedSetups() {
      const started = client.started.splice(0);
      for (const s of started) {
        const run = await new DurableReplayer().run(s.name, s.input, { instanceId: s.instanceId });
        if (run.status !== 'Completed') throw new Error(`${s.instanceId} failed: ${run.error}`);
        client.statuses.set(s.instanceId, 'Completed');
      }
      return started.map((s) => s.instanceId);
    },
    async cloneTables(database, template, names) {
      const db = emu.state.database(database)!;
      const source = db.tables.get(template)!;
      const ext = db.externalTables.get(backupExternalTableName(template))!;
      const exp = db.continuousExports.get(backupContinuousExportName(template))!;
      const record = (await catalog.getTable(emu.url, database, template))!;
      for (const name of names) {
        createTable(db, name, source.columns);
        db.externalTables.set(backupExternalTableName(name), {
          ...ext,
          name: backupExternalTableName(name),
          connectionStrings: ext.connectionStrings.map((cs) => cs.replace(`/${template};`, `/${name};`)),
        });
        db.continuousExports.set(backupContinuousExportName(name), {
          ...exp,
          name: backupContinuousExportName(name),
          externalTableName: backupExternalTableName(name),
          query: exp.query.replace(`['${template}']`, `['${name}']`),
          cursorScopedTables: [name],
        });
        await catalog.putTable({
          ...record,
          table: name,
          exportName: backupContinuousExportName(name),
          externalTableName: backupExternalTableName(name),
        });
      }
    },
    commandsSince: (mark, database) => emu.commandLog.slice(mark).filter((e) => e.database === database),
    containerOf,
    async stop() {
      gateway.close();
      await emu.stop();
    },
  };
}
