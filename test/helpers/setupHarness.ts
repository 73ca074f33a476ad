/**
 * Test wiring for the backup setup: registers the production functions (`registerSetupFunctions`)
 * with test dependencies, a fake durable client that records what the HTTP starter asks for, an
 * in-memory catalog, and a gateway wrapper that counts commands and simulates the wall time a
 * durable poll timer would take (the replay kit fires timers instantly).
 */
import { HttpResponse } from '@azure/functions';
import type { InvocationContext } from '@azure/functions';
import type { ActivityDeps, SetupCatalog } from '../../lib/activities/contracts';
import type { Config } from '../../lib/config';
import type { SetupDurableClient } from '../../lib/http/setup';
import type { KustoGateway, Logger } from '../../lib/kusto/gateway';
import type { KustoCommand } from '../../lib/kusto/types';
import type {
  ArtifactRecord,
  ChunkRecord,
  TableBackupRecord,
  TableRecordEntry,
} from '../../lib/storage/catalog';
import type { TextBlobStore } from '../../lib/storage/textBlobs';
import { registerSetupFunctions } from '../../functions/setup';

/** A logger that keeps nothing. */
export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Registers the setup functions with `deps` (the latest registration wins). */
export function registerForTest(deps: ActivityDeps & { config?: Config }): void {
  registerSetupFunctions(() => ({
    config: deps.config ?? ({} as Config),
    gatewayFor: deps.gatewayFor,
    catalog: deps.catalog,
    blobs: deps.blobs,
  }));
}

/** A durable client that records starts and serves canned statuses. */
export class FakeDurableClient implements SetupDurableClient {
  readonly started: { name: string; instanceId: string; input: unknown }[] = [];
  readonly statuses = new Map<string, string>();

  getStatus(instanceId: string): Promise<{ runtimeStatus: string }> {
    const status = this.statuses.get(instanceId);
    // The real client throws for an instance it does not know (HTTP 404 from the extension).
    if (status === undefined)
      return Promise.reject(new Error(`DurableClient error: HTTP 404 for ${instanceId}`));
    return Promise.resolve({ runtimeStatus: status });
  }
  startNew(name: string, options: { instanceId: string; input: unknown }): Promise<string> {
    this.started.push({ name, ...options });
    this.statuses.set(options.instanceId, 'Pending');
    return Promise.resolve(options.instanceId);
  }
  createHttpManagementPayload(instanceId: string): Record<string, string> {
    return {
      id: instanceId,
      statusQueryGetUri: `http://localhost/runtime/webhooks/durabletask/instances/${instanceId}`,
    };
  }
  createCheckStatusResponse(_request: unknown, instanceId: string): HttpResponse {
    return new HttpResponse({ status: 202, jsonBody: this.createHttpManagementPayload(instanceId) });
  }
  /** As the handler's `durableClient` dependency. */
  asDependency(): (context: InvocationContext) => SetupDurableClient {
    return () => this;
  }
}

/** Wraps a gateway: records every command, and delays polls by `pollDelayMs` of real time. */
export function recordingGateway(
  inner: KustoGateway,
  options: { pollDelayMs?: number; onPoll?: (command: KustoCommand) => void } = {},
): KustoGateway & { readonly commands: KustoCommand[] } {
  const commands: KustoCommand[] = [];
  return {
    commands,
    async execute(database, command, opts) {
      commands.push(command);
      if (command.operation === 'show-operations') {
        options.onPoll?.(command);
        if (options.pollDelayMs) await new Promise((r) => setTimeout(r, options.pollDelayMs));
      }
      return inner.execute(database, command, opts);
    },
    close: () => inner.close(),
  };
}

/** An in-memory catalog with the semantics of `CatalogStore` that setup relies on. */
export class MemoryCatalog implements SetupCatalog {
  readonly tables = new Map<string, TableBackupRecord>();
  readonly chunks = new Map<string, ChunkRecord>();
  readonly artifacts = new Map<string, ArtifactRecord>();

  getTable(cluster: string, database: string, table: string): Promise<TableBackupRecord | undefined> {
    return Promise.resolve(this.tables.get(`${database}|${table}`));
  }
  putTable(record: TableBackupRecord): Promise<void> {
    this.tables.set(`${record.database}|${record.table}`, record);
    return Promise.resolve();
  }
  putChunks(
    _cluster: string,
    database: string,
    table: string,
    chunks: readonly ChunkRecord[],
  ): Promise<void> {
    for (const c of chunks) this.chunks.set(`${database}|${table}|${c.chunkId}`, c);
    return Promise.resolve();
  }
  putArtifacts(artifacts: readonly ArtifactRecord[]): Promise<void> {
    for (const a of artifacts) this.artifacts.set(a.path, a);
    return Promise.resolve();
  }
  listArtifacts(database: string, table: string): Promise<ArtifactRecord[]> {
    return Promise.resolve(
      [...this.artifacts.values()].filter((a) => a.database === database && a.table === table),
    );
  }
  /** Backup policies by database (the cluster is not part of the key: tests use one cluster). */
  readonly policies = new Map<string, string>();
  putDatabasePolicy(_cluster: string, database: string, policyJson: string): Promise<void> {
    this.policies.set(database, policyJson);
    return Promise.resolve();
  }
  getDatabasePolicy(
    _cluster: string,
    database: string,
  ): Promise<{ policyJson: string; recordedAt: string } | undefined> {
    const policyJson = this.policies.get(database);
    return Promise.resolve(policyJson === undefined ? undefined : { policyJson, recordedAt: '' });
  }
  listTableEntries(_cluster: string, database: string): Promise<TableRecordEntry[]> {
    return Promise.resolve(
      [...this.tables.values()]
        .filter((r) => r.database === database)
        .map((record) => ({ table: record.table, record })),
    );
  }
}

/** Text blobs in memory, keyed by container URL and name. */
export class MemoryBlobs implements TextBlobStore {
  readonly blobs = new Map<string, string>();
  writeText(containerUrl: string, blobName: string, text: string): Promise<string> {
    const url = `${containerUrl}/${blobName}`;
    this.blobs.set(url, text);
    return Promise.resolve(url);
  }
  latestText(containerUrl: string, prefix: string): Promise<{ name: string; text: string } | undefined> {
    const base = `${containerUrl}/`;
    const names = [...this.blobs.keys()]
      .filter((k) => k.startsWith(base + prefix))
      .map((k) => k.slice(base.length))
      .sort();
    const name = names[names.length - 1];
    return Promise.resolve(name === undefined ? undefined : { name, text: this.blobs.get(base + name)! });
  }
}
