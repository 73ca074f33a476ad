/**
 * Per continuous export, the newest `exported-artifacts` Timestamp the reconcile has committed, so
 * each run asks only for newer artifacts. Stored in table `adxbackupReconcile` of the catalog
 * account, one partition per cluster + database, one row per export.
 */
import { RestError, TableClient } from '@azure/data-tables';
import { clusterKey } from './catalog';

/** Table name of the reconcile state. */
export const WATERMARK_TABLE = 'adxbackupReconcile';

const enc = (s: string): string => encodeURIComponent(s).replace(/'/g, '%27');

/** Reads and writes export watermarks. */
export interface WatermarkStore {
  get(clusterUri: string, database: string, exportName: string): Promise<Date | undefined>;
  put(clusterUri: string, database: string, exportName: string, at: Date): Promise<void>;
}

/** {@link WatermarkStore} over Azure Table Storage. */
export class TableWatermarkStore implements WatermarkStore {
  private ready: Promise<void> | undefined;

  constructor(private readonly client: TableClient) {}

  /** Opens the store from a connection string (Azurite or Azure). */
  static fromConnectionString(connectionString: string): TableWatermarkStore {
    const allowInsecureConnection = /UseDevelopmentStorage|http:\/\//i.test(connectionString);
    return new TableWatermarkStore(
      TableClient.fromConnectionString(connectionString, WATERMARK_TABLE, { allowInsecureConnection }),
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

  async get(clusterUri: string, database: string, exportName: string): Promise<Date | undefined> {
    await this.ensure();
    try {
      const e = await this.client.getEntity<{ watermark?: string }>(
        `${enc(clusterKey(clusterUri))}|${enc(database)}`,
        enc(exportName),
      );
      const at = typeof e.watermark === 'string' ? new Date(e.watermark) : undefined;
      return at && !Number.isNaN(at.getTime()) ? at : undefined;
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return undefined;
      throw error;
    }
  }

  async put(clusterUri: string, database: string, exportName: string, at: Date): Promise<void> {
    await this.ensure();
    await this.client.upsertEntity(
      {
        partitionKey: `${enc(clusterKey(clusterUri))}|${enc(database)}`,
        rowKey: enc(exportName),
        watermark: at.toISOString(),
        updatedAt: new Date().toISOString(),
      },
      'Replace',
    );
  }
}
