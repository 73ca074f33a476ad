import { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import { QueueClient } from '@azure/storage-queue';
import { TableServiceClient } from '@azure/data-tables';
import { Clock, EmulatorState } from '../state';
import {
  FAILED_QUEUE,
  READY_QUEUES,
  STATUS_TABLE,
  SUCCESS_QUEUE,
  TEMP_CONTAINERS,
  accountSas,
  ensureIngestionResources,
  identityToken,
  ingestionResources,
  queueClient,
  queueService,
} from './resources';
import { startAzurite, type AzuriteHandle } from '../../helpers/azurite';

let azurite: AzuriteHandle;
let state: EmulatorState;

beforeAll(async () => {
  azurite = await startAzurite();
  state = new EmulatorState(new Clock(0), azurite);
  await ensureIngestionResources(azurite);
});

afterAll(() => azurite.stop());

describe('ensureIngestionResources', () => {
  it('creates every queue, container and the status table, and is safe to repeat', async () => {
    await ensureIngestionResources(azurite);
    const queues: string[] = [];
    for await (const q of queueService(azurite).listQueues()) queues.push(q.name);
    expect(queues.sort()).toEqual([...READY_QUEUES, FAILED_QUEUE, SUCCESS_QUEUE].sort());
    const containers: string[] = [];
    for await (const c of BlobServiceClient.fromConnectionString(azurite.connectionString).listContainers()) {
      containers.push(c.name);
    }
    expect(containers.sort()).toEqual([...TEMP_CONTAINERS].sort());
    const tables: string[] = [];
    const tableService = TableServiceClient.fromConnectionString(azurite.connectionString, {
      allowInsecureConnection: true,
    });
    for await (const t of tableService.listTables()) tables.push(t.name!);
    expect(tables).toEqual([STATUS_TABLE]);
  });
});

describe('ingestionResources', () => {
  it('lists several ready queues, two temp containers, both report queues and the status table', () => {
    const rows = ingestionResources(state);
    const types = rows.map((r) => r.resourceTypeName);
    expect(types).toEqual([
      ...READY_QUEUES.map(() => 'SecuredReadyForAggregationQueue'),
      'TempStorage',
      'TempStorage',
      'FailedIngestionsQueue',
      'SuccessfulIngestionsQueue',
      'IngestionsStatusTable',
    ]);
    const sas = accountSas(azurite);
    expect(rows.every((r) => r.storageRoot.endsWith(`?${sas}`))).toBe(true);
    expect(rows[READY_QUEUES.length]!.storageRoot).toBe(`${azurite.blobUrl}/${TEMP_CONTAINERS[0]}?${sas}`);
    expect(rows.at(-1)!.storageRoot).toBe(`${azurite.tableUrl}/${STATUS_TABLE}?${sas}`);
  });

  it('starts the ready queues one further on every call', () => {
    const first = (): string => ingestionResources(state)[0]!.storageRoot.split('?')[0]!.split('/').pop()!;
    const seen = READY_QUEUES.map(() => first());
    expect([...seen].sort()).toEqual([...READY_QUEUES].sort());
    const all = ingestionResources(state).slice(0, READY_QUEUES.length);
    expect(new Set(all.map((r) => r.storageRoot)).size).toBe(READY_QUEUES.length);
  });

  it('hands out URLs the storage SDKs can use as they are (the SAS grants access)', async () => {
    const rows = ingestionResources(state);
    const queueUrl = rows.find((r) => r.resourceTypeName === 'SecuredReadyForAggregationQueue')!.storageRoot;
    const queue = new QueueClient(queueUrl);
    expect(queue.accountName).toBe('devstoreaccount1');
    await queue.sendMessage('aGk=');
    const received = await queue.receiveMessages();
    expect(received.receivedMessageItems.map((m) => m.messageText)).toEqual(['aGk=']);
    await queue.deleteMessage(
      received.receivedMessageItems[0]!.messageId,
      received.receivedMessageItems[0]!.popReceipt,
    );
    const temp = new ContainerClient(rows.find((r) => r.resourceTypeName === 'TempStorage')!.storageRoot);
    await temp.getBlockBlobClient('db__t__x.csv.gz').uploadData(Buffer.from('a'));
    expect((await temp.getBlobClient('db__t__x.csv.gz').getProperties()).contentLength).toBe(1);
    await expect(new QueueClient(queueUrl.split('?')[0]!).sendMessage('x')).rejects.toMatchObject({
      statusCode: 403,
    });
  });
});

describe('accountSas / identityToken / queueClient', () => {
  it('reuses the SAS while it is fresh', () => {
    expect(accountSas(azurite)).toBe(accountSas(azurite));
    expect(accountSas(azurite)).toMatch(/sig=/);
  });

  it('derives a stable token from the account, different per account', () => {
    expect(identityToken(state)).toBe(identityToken(new EmulatorState(new Clock(0), azurite)));
    const other = new EmulatorState(new Clock(0), {
      ...azurite,
      accountKey: Buffer.from('other').toString('base64'),
    });
    expect(identityToken(other)).not.toBe(identityToken(state));
  });

  it('reuses queue clients', () => {
    expect(queueClient(azurite, FAILED_QUEUE)).toBe(queueClient(azurite, FAILED_QUEUE));
  });
});
