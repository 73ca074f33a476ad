/**
 * Test wiring for restores: the production registrations (`registerRestoreFunctions`) with
 * dependencies pointed at an emulator (in-process or in child processes), the HTTP handlers with a
 * fake durable client, and the durable replay kit running the orchestration.
 *
 * The replay kit fires timers at once, so the staging count would be polled in a tight loop; the
 * gateway sleeps `countDelayMs` of real time before each count, as a durable timer would wait.
 */
import { HttpRequest, InvocationContext } from '@azure/functions';
import type { HttpResponseInit } from '@azure/functions';
import { StorageSharedKeyCredential } from '@azure/storage-blob';
import { QueueClient } from '@azure/storage-queue';
import type { Config } from '../../lib/config';
import { loadConfig } from '../../lib/config';
import { makeRestoreStartHandler, makeRestoreStatusHandler } from '../../lib/http/restores';
import type { RestoreHttpDeps } from '../../lib/http/restores';
import type { KustoGateway } from '../../lib/kusto/gateway';
import { SdkKustoGateway } from '../../lib/kusto/sdkGateway';
import { OrchestratorNames } from '../../lib/names';
import type { RestoreInput } from '../../lib/orchestrations/restore';
import { createRestoreBlobs } from '../../lib/restore/blobs';
import { createIngestSender } from '../../lib/restore/ingestSender';
import type { IngestSender, QueueSender } from '../../lib/restore/ingestSender';
import { RestoreState } from '../../lib/restore/state';
import { CatalogStore } from '../../lib/storage/catalog';
import { LedgerStore } from '../../lib/storage/ledger';
import { RestoreStore } from '../../lib/storage/restores';
import type { RestoreFunctionDeps } from '../../lib/wiring/restoreDeps';
import { registerRestoreFunctions } from '../../functions/restore';
import type { StorageEndpoints } from '../emulator/state';
import { DurableReplayer } from './durableReplay';
import type { ReplayResult } from './durableReplay';
import { FakeDurableClient } from './setupHarness';

/** Where the emulator is. */
export interface EmulatorEndpoints {
  readonly url: string;
  readonly storage: StorageEndpoints;
}

/** Options of {@link RestoreHarness}. */
export interface HarnessOptions {
  /** Extra settings (`ADX_BACKUP_*`). */
  readonly env?: Record<string, string>;
  /** Real time slept before each staging count (default 200 ms). */
  readonly countDelayMs?: number;
  /** Wraps the ingest sender (fault injection). */
  readonly wrapIngest?: (sender: IngestSender) => IngestSender;
}

const context = new InvocationContext({ functionName: 'test', logHandler: () => undefined });
const COUNT_OPERATIONS = new Set(['count-source-rows', 'count-by-source-day']);

/** Restores against one emulator through the production registrations. */
export class RestoreHarness {
  readonly client = new FakeDurableClient();
  readonly gateway: KustoGateway;
  readonly catalog: CatalogStore;
  readonly ledger: LedgerStore;
  readonly state: RestoreState;
  readonly config: Config;
  readonly container: string;
  /** Messages sent per queue URL (SAS cut off). */
  readonly sentPerQueue = new Map<string, number>();
  private ids = 0;
  private readonly deps: RestoreFunctionDeps;

  constructor(
    readonly emulator: EmulatorEndpoints,
    options: HarnessOptions = {},
  ) {
    const { url, storage } = emulator;
    this.container = `${storage.blobUrl}/backup`;
    const sdk = new SdkKustoGateway({
      clusterUri: url,
      retry: { attempts: 4, baseDelayMs: 5, maxDelayMs: 50 },
    });
    const delay = options.countDelayMs ?? 200;
    this.gateway = {
      async execute(database, command, opts) {
        if (COUNT_OPERATIONS.has(command.operation) && delay > 0)
          await new Promise((resolve) => setTimeout(resolve, delay));
        return sdk.execute(database, command, opts);
      },
      close: () => sdk.close(),
    };
    this.catalog = CatalogStore.fromConnectionString(storage.connectionString);
    this.ledger = LedgerStore.fromConnectionString(storage.connectionString);
    this.state = new RestoreState(RestoreStore.fromConnectionString(storage.connectionString));
    this.config = loadConfig({
      ADX_BACKUP_CLUSTER_URI: url,
      ADX_BACKUP_CONTAINERS: this.container,
      ADX_BACKUP_RESTORE_STALL_TIMEOUT: '2h',
      ...options.env,
    });
    const sent = this.sentPerQueue;
    const openQueue = (queueUrl: string): QueueSender => {
      const client = new QueueClient(queueUrl);
      const key = queueUrl.split('?')[0]!;
      return {
        url: queueUrl,
        async send(text) {
          await client.sendMessage(text);
          sent.set(key, (sent.get(key) ?? 0) + 1);
        },
      };
    };
    const sender = createIngestSender({ gatewayFor: () => this.gateway, openQueue });
    this.deps = {
      config: this.config,
      gatewayFor: () => this.gateway,
      catalog: this.catalog,
      ledger: this.ledger,
      blobs: createRestoreBlobs({
        credential: new StorageSharedKeyCredential(storage.account, storage.accountKey),
        emulatorConnectionString: storage.connectionString,
      }),
      state: this.state,
      ingest: options.wrapIngest ? options.wrapIngest(sender) : sender,
      storageAuth: { kind: 'impersonate' },
      newId: () => `r${++this.ids}`,
    };
    registerRestoreFunctions(() => this.deps);
  }

  private http(): RestoreHttpDeps {
    return { ...this.deps, durableClient: this.client.asDependency() };
  }

  /** `POST /api/restores` with `body`. */
  async post(body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const req = new HttpRequest({
      url: 'http://localhost/api/restores',
      method: 'POST',
      body: { string: typeof body === 'string' ? body : JSON.stringify(body) },
    });
    const res = await makeRestoreStartHandler(() => this.http())(req, context);
    return { status: res.status ?? 200, body: (res as HttpResponseInit).jsonBody as Record<string, unknown> };
  }

  /** `GET /api/restores/{id}`. */
  async get(id: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const req = new HttpRequest({
      url: `http://localhost/api/restores/${id}`,
      method: 'GET',
      params: { id },
    });
    const res = (await makeRestoreStatusHandler(() => this.http())(req, context)) as HttpResponseInit;
    return { status: res.status ?? 200, body: res.jsonBody as Record<string, unknown> };
  }

  /** Posts `body` (must be accepted) and runs the started orchestration to its end. */
  async restore(
    body: unknown,
    replayer = new DurableReplayer(),
  ): Promise<ReplayResult & { restoreId: string }> {
    const posted = await this.post(body);
    if (posted.status !== 202)
      throw new Error(`restore refused: ${posted.status} ${JSON.stringify(posted.body)}`);
    return this.runStarted(replayer);
  }

  /** Runs the orchestration the last accepted POST started; records its final status on the client. */
  async runStarted(replayer = new DurableReplayer()): Promise<ReplayResult & { restoreId: string }> {
    const started = this.client.started.pop();
    if (!started) throw new Error('no restore was started');
    this.client.statuses.set(started.instanceId, 'Running');
    const result = await replayer.run(OrchestratorNames.restore, started.input, {
      instanceId: started.instanceId,
    });
    this.client.statuses.set(started.instanceId, result.status === 'Completed' ? 'Completed' : 'Failed');
    return { ...result, restoreId: (started.input as RestoreInput).request.restoreId };
  }

  close(): void {
    this.gateway.close();
  }
}
