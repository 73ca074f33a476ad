/**
 * The state of every restore, in Azure Table Storage (table `adxbackupRestores`, one partition per
 * restore): the request and its outcome, each table's plan and progress, and the manifest (the
 * artifacts of every batch, fixed when the restore is planned, so a re-run queues exactly the same
 * blobs). `GET /api/restores/{id}` reads it; activities write it.
 *
 * Large values (requests, folder lists, manifests) are JSON split over several string properties:
 * one property holds at most 64 KiB.
 */
import { RestError, TableClient } from '@azure/data-tables';

/** The table's name in the catalog account. */
export const RESTORES_TABLE = 'adxbackupRestores';

/** Characters per string property chunk (UTF-16: 60 KB, under the 64 KiB limit). */
const CHUNK = 30_000;

type Entity = Record<string, unknown>;

const enc = (s: string): string => encodeURIComponent(s).replace(/'/g, '%27');

/** Row keys: the restore, its tables, and the batches of a table's folder. */
export const restoreKeys = {
  restore: 'restore',
  table: (table: string): string => `table|${enc(table)}`,
  tablePrefix: 'table|',
  batch: (table: string, folder: string, index: number): string =>
    `batch|${enc(table)}|${folder}|${String(index).padStart(6, '0')}`,
  batchPrefix: 'batch|',
};

/** Writes `value` as JSON into `entity`, split over `<name>_0..n` when long. */
export function putJson(entity: Entity, name: string, value: unknown): void {
  const text = JSON.stringify(value) ?? 'null';
  const parts = Math.max(1, Math.ceil(text.length / CHUNK));
  entity[`${name}_n`] = parts;
  for (let i = 0; i < parts; i++) entity[`${name}_${i}`] = text.slice(i * CHUNK, (i + 1) * CHUNK);
}

/** Reads what {@link putJson} wrote; `fallback` when absent. */
export function getJson<T>(entity: Entity, name: string, fallback: T): T {
  const parts = Number(entity[`${name}_n`] ?? 0);
  if (!parts) return fallback;
  let text = '';
  for (let i = 0; i < parts; i++) {
    const part = entity[`${name}_${i}`];
    text += typeof part === 'string' ? part : '';
  }
  return JSON.parse(text) as T;
}

/** The restore's partition in the table, entity by entity. */
export class RestoreStore {
  private ready: Promise<void> | undefined;

  constructor(private readonly client: TableClient) {}

  /** Opens the store from a connection string (Azurite or Azure). */
  static fromConnectionString(connectionString: string): RestoreStore {
    return new RestoreStore(
      TableClient.fromConnectionString(connectionString, RESTORES_TABLE, {
        allowInsecureConnection: /UseDevelopmentStorage|http:\/\//i.test(connectionString),
      }),
    );
  }

  private ensure(): Promise<void> {
    this.ready ??= this.client.createTable().catch((e: unknown) => {
      if (!(e instanceof RestError && e.statusCode === 409)) {
        this.ready = undefined;
        throw e;
      }
    });
    return this.ready;
  }

  /** One entity, or undefined. */
  async get(restoreId: string, rowKey: string): Promise<Entity | undefined> {
    await this.ensure();
    try {
      return await this.client.getEntity<Entity>(enc(restoreId), rowKey);
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return undefined;
      throw error;
    }
  }

  /** Writes an entity: `Merge` keeps properties not given, `Replace` drops them. */
  async put(
    restoreId: string,
    rowKey: string,
    entity: Entity,
    mode: 'Merge' | 'Replace' = 'Merge',
  ): Promise<void> {
    await this.ensure();
    await this.client.upsertEntity({ ...entity, partitionKey: enc(restoreId), rowKey }, mode);
  }

  /** Writes many entities of one restore (transactions of 100, replacing). */
  async putMany(restoreId: string, entities: readonly (Entity & { rowKey: string })[]): Promise<void> {
    await this.ensure();
    const pk = enc(restoreId);
    for (let i = 0; i < entities.length; i += 100) {
      await this.client.submitTransaction(
        entities.slice(i, i + 100).map((e) => ['upsert', { ...e, partitionKey: pk }, 'Replace'] as const),
      );
    }
  }

  /** Every entity of the restore whose row key starts with `prefix`, only the `select`ed properties when given. */
  async list(restoreId: string, prefix: string, select?: readonly string[]): Promise<Entity[]> {
    await this.ensure();
    const pk = enc(restoreId);
    // Row keys are ASCII: every key with the prefix sorts below prefix + '~'.
    const filter = `PartitionKey eq '${pk}' and RowKey ge '${prefix}' and RowKey lt '${prefix}~'`;
    const out: Entity[] = [];
    for await (const e of this.client.listEntities<Entity>({
      queryOptions: { filter, ...(select ? { select: [...select] } : {}) },
    })) {
      out.push(e);
    }
    return out;
  }
}
