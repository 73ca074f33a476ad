/**
 * The monitor's status in Azure Table Storage (table `adxbackupStatus`): one row per database
 * (partition `<cluster>`, row `<database>`) and one per table (partition `<cluster>|<database>`,
 * row `<table>`), each holding its status as JSON. Key parts are percent-encoded, so a database
 * partition (no `|`) never collides with a table partition.
 */
import { RestError, TableClient } from '@azure/data-tables';
import type { TransactionAction } from '@azure/data-tables';
import type { DatabaseStatus, TableStatus } from '../domain/monitorStatus';
import { clusterKey } from './catalog';

/** Name of the status table in the catalog account. */
export const STATUS_TABLE = 'adxbackupStatus';

const enc = (s: string): string => encodeURIComponent(s).replace(/'/g, '%27');
const dec = (s: string): string => decodeURIComponent(s);
const databasePk = (cluster: string): string => enc(clusterKey(cluster));
const tablePk = (cluster: string, database: string): string => `${databasePk(cluster)}|${enc(database)}`;

/** A stored row's status, or undefined when the row is unreadable (it is rewritten on the next tick). */
function statusOf<T>(entity: Record<string, unknown>): T | undefined {
  try {
    return typeof entity.status === 'string' ? (JSON.parse(entity.status) as T) : undefined;
  } catch {
    return undefined;
  }
}

/** Reads and writes monitor status rows. */
export class MonitorStatusStore {
  private ready: Promise<void> | undefined;

  constructor(private readonly client: TableClient) {}

  /** Opens the store from a connection string (Azurite or Azure). */
  static fromConnectionString(connectionString: string): MonitorStatusStore {
    const allowInsecureConnection = /UseDevelopmentStorage|http:\/\//i.test(connectionString);
    return new MonitorStatusStore(
      TableClient.fromConnectionString(connectionString, STATUS_TABLE, { allowInsecureConnection }),
    );
  }

  private ensure(): Promise<void> {
    this.ready ??= this.client.createTable().catch((e: unknown) => {
      if (!(e instanceof RestError && e.statusCode === 409)) throw e;
    });
    return this.ready;
  }

  private async list<T>(filter: string): Promise<{ rowKey: string; status: T | undefined }[]> {
    await this.ensure();
    const out: { rowKey: string; status: T | undefined }[] = [];
    for await (const e of this.client.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      out.push({ rowKey: String(e.rowKey), status: statusOf<T>(e) });
    }
    return out;
  }

  /** Replaces a database's status row. */
  async writeDatabase(status: DatabaseStatus): Promise<void> {
    await this.ensure();
    await this.client.upsertEntity(
      {
        partitionKey: databasePk(status.cluster),
        rowKey: enc(status.database),
        status: JSON.stringify(status),
      },
      'Replace',
    );
  }

  /** Replaces a database's table rows: every given table is written, rows of other tables removed. */
  async writeTables(cluster: string, database: string, tables: readonly TableStatus[]): Promise<void> {
    const pk = tablePk(cluster, database);
    const keep = new Set(tables.map((t) => enc(t.table)));
    const stale = (await this.list<TableStatus>(`PartitionKey eq '${pk}'`))
      .map((r) => r.rowKey)
      .filter((k) => !keep.has(k));
    const actions: TransactionAction[] = [
      ...tables.map((t): TransactionAction => [
        'upsert',
        { partitionKey: pk, rowKey: enc(t.table), state: t.state, status: JSON.stringify(t) },
        'Replace',
      ]),
      ...stale.map((rowKey): TransactionAction => ['delete', { partitionKey: pk, rowKey }]),
    ];
    // A transaction holds at most 100 operations of one partition.
    for (let i = 0; i < actions.length; i += 100) {
      await this.client.submitTransaction(actions.slice(i, i + 100));
    }
  }

  /** Every database status of a cluster. */
  async listDatabases(cluster: string): Promise<DatabaseStatus[]> {
    const rows = await this.list<DatabaseStatus>(`PartitionKey eq '${databasePk(cluster)}'`);
    return rows.flatMap((r) => (r.status ? [r.status] : []));
  }

  /** Every table status of a database, in table-name order. */
  async listTables(cluster: string, database: string): Promise<TableStatus[]> {
    const rows = await this.list<TableStatus>(`PartitionKey eq '${tablePk(cluster, database)}'`);
    return rows
      .flatMap((r) => (r.status ? [{ ...r.status, table: dec(r.rowKey) }] : []))
      .sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0));
  }
}
