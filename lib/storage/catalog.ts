/**
 * The catalog: what adx-backup knows about every backed-up table, historical export chunk and export
 * artifact, in Azure Table Storage. It is the durable source of truth for idempotency (a second setup
 * skips what is recorded as done) and for restore (only committed artifacts are read).
 *
 * Keys: Table Storage forbids `/ \ # ?` and control characters in keys, and Kusto names may contain
 * spaces, dots and dashes, so every key part is percent-encoded.
 */
import { TableClient, RestError } from '@azure/data-tables';

/** Setup progress of one table. */
export type TableBackupState =
  'pending' | 'provisioned' | 'historical' | 'ready' | 'failed' | 'source-dropped';

/** What the catalog records for one backed-up table. */
export interface TableBackupRecord {
  readonly cluster: string;
  readonly database: string;
  readonly table: string;
  readonly state: TableBackupState;
  readonly exportName: string;
  readonly externalTableName: string;
  readonly partitionColumn: string | null;
  /** Continuous export StartCursor: the historical export covers exactly the rows at or before it. */
  readonly startCursor: string | null;
  /** Source columns (name:type) as provisioned, to detect drift. */
  readonly columns: readonly { name: string; type: string }[];
  readonly historicalChunks: number;
  readonly historicalRows: number;
  readonly lastError: string | null;
  readonly updatedAt: string;
}

/** A table record as listed, or why it could not be read. */
export type TableRecordEntry =
  | { readonly table: string; readonly record: TableBackupRecord; readonly error?: undefined }
  | { readonly table: string; readonly error: string; readonly record?: undefined };

/** State of one historical export chunk. */
export type ChunkState = 'planned' | 'running' | 'completed' | 'split' | 'lost' | 'failed';

/** What the catalog records for one historical chunk. */
export interface ChunkRecord {
  readonly chunkId: string;
  readonly kind: 'range' | 'null-ingestion-time';
  readonly from: string | null;
  readonly to: string | null;
  readonly expectedRows: number;
  readonly state: ChunkState;
  readonly operationId: string | null;
  readonly attempts: number;
  readonly exportedRows: number;
  readonly artifactCount: number;
  readonly detail: string | null;
  readonly updatedAt: string;
}

/** Where an artifact came from, and whether it may be restored. */
export type ArtifactState = 'pending' | 'committed' | 'orphan';

/** One file in the backup. */
export interface ArtifactRecord {
  readonly database: string;
  readonly table: string;
  /** Blob URL without any SAS. */
  readonly path: string;
  /** Partition day `yyyy-MM-dd`, or null for unpartitioned tables. */
  readonly partitionDate: string | null;
  readonly numRecords: number | null;
  readonly sizeInBytes: number | null;
  /** `scrub`: written by a deletion-ledger scrub in place of an artifact that held deleted rows. */
  readonly source: 'historical' | 'continuous' | 'sweep' | 'event' | 'scrub';
  readonly state: ArtifactState;
  /** When the artifact was committed (exported-artifacts Timestamp or operation completion). */
  readonly committedAt: string | null;
  readonly chunkId: string | null;
}

/** Table names inside the catalog account. */
export const CATALOG_TABLES = {
  tables: 'adxbackupTables',
  chunks: 'adxbackupChunks',
  artifacts: 'adxbackupArtifacts',
} as const;

const enc = (s: string): string => encodeURIComponent(s).replace(/'/g, '%27');
const dec = (s: string): string => decodeURIComponent(s);

/** Stable key of a cluster URL (host only, lower case). */
export function clusterKey(clusterUri: string): string {
  return new URL(clusterUri).host.toLowerCase();
}

function tablePk(cluster: string, database: string): string {
  return `${enc(clusterKey(cluster))}|${enc(database)}`;
}

function policyPk(cluster: string, database: string): string {
  return `${tablePk(cluster, database)}|policy`;
}

function chunkPk(cluster: string, database: string, table: string): string {
  return `${tablePk(cluster, database)}|${enc(table)}`;
}

/** A short, key-safe digest of a path (row keys are limited to 1 KiB). */
function pathKey(path: string): string {
  // FNV-1a 64-bit: deterministic and dependency-free; collisions are checked on read.
  let h = 0xcbf29ce484222325n;
  for (const b of Buffer.from(path, 'utf8')) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

type Entity = Record<string, unknown> & { rowKey?: string };

/** Catalog persistence over three Azure tables. */
export class CatalogStore {
  private ready: Promise<void> | undefined;

  constructor(
    private readonly clients: { tables: TableClient; chunks: TableClient; artifacts: TableClient },
  ) {}

  /** Opens the catalog from a connection string (Azurite or Azure) or a table endpoint + credential. */
  static fromConnectionString(connectionString: string): CatalogStore {
    const opts = { allowInsecureConnection: /UseDevelopmentStorage|http:\/\//i.test(connectionString) };
    return new CatalogStore({
      tables: TableClient.fromConnectionString(connectionString, CATALOG_TABLES.tables, opts),
      chunks: TableClient.fromConnectionString(connectionString, CATALOG_TABLES.chunks, opts),
      artifacts: TableClient.fromConnectionString(connectionString, CATALOG_TABLES.artifacts, opts),
    });
  }

  /** Creates the tables once per process (idempotent). */
  private ensure(): Promise<void> {
    this.ready ??= Promise.all(
      Object.values(this.clients).map(async (c) => {
        try {
          await c.createTable();
        } catch (e) {
          if (!(e instanceof RestError && e.statusCode === 409)) throw e;
        }
      }),
    ).then(() => undefined);
    return this.ready;
  }

  /** Inserts or replaces a table record. */
  async putTable(record: TableBackupRecord): Promise<void> {
    await this.ensure();
    await this.clients.tables.upsertEntity(
      {
        partitionKey: tablePk(record.cluster, record.database),
        rowKey: enc(record.table),
        ...record,
        columns: JSON.stringify(record.columns),
        partitionColumn: record.partitionColumn ?? '',
        startCursor: record.startCursor ?? '',
        lastError: record.lastError ?? '',
      },
      'Replace',
    );
  }

  /** The record of one table, or undefined. */
  async getTable(cluster: string, database: string, table: string): Promise<TableBackupRecord | undefined> {
    await this.ensure();
    try {
      const e = await this.clients.tables.getEntity<Record<string, unknown>>(
        tablePk(cluster, database),
        enc(table),
      );
      return toTableRecord(e);
    } catch (err) {
      if (err instanceof RestError && err.statusCode === 404) return undefined;
      throw err;
    }
  }

  /**
   * Every table record of a database, each read on its own: a record that cannot be read (e.g. its
   * columns are not JSON) is returned as its problem instead of failing the whole list, so the
   * monitor can report that one table and still look after the others.
   */
  async listTableEntries(cluster: string, database: string): Promise<TableRecordEntry[]> {
    await this.ensure();
    const out: TableRecordEntry[] = [];
    for await (const e of this.clients.tables.listEntities<Record<string, unknown>>({
      queryOptions: { filter: `PartitionKey eq '${tablePk(cluster, database)}'` },
    })) {
      try {
        out.push({ table: dec(String(e.rowKey)), record: toTableRecord(e) });
      } catch (error) {
        out.push({ table: dec(String(e.rowKey)), error: `unreadable record: ${(error as Error).message}` });
      }
    }
    return out;
  }

  /**
   * Stores a database's backup policy (the setup request, as JSON text the caller validates). It
   * lives in the tables table under its own partition (`<cluster>|<database>|policy`), which no
   * table record uses, since encoded key parts never contain `|`.
   */
  async putDatabasePolicy(cluster: string, database: string, policyJson: string): Promise<void> {
    await this.ensure();
    await this.clients.tables.upsertEntity(
      {
        partitionKey: policyPk(cluster, database),
        rowKey: 'policy',
        policy: policyJson,
        recordedAt: new Date().toISOString(),
      },
      'Replace',
    );
  }

  /** A database's backup policy as stored (unparsed), or undefined. */
  async getDatabasePolicy(
    cluster: string,
    database: string,
  ): Promise<{ readonly policyJson: string; readonly recordedAt: string } | undefined> {
    await this.ensure();
    try {
      const e = await this.clients.tables.getEntity<Record<string, unknown>>(
        policyPk(cluster, database),
        'policy',
      );
      return { policyJson: str(e.policy), recordedAt: str(e.recordedAt) };
    } catch (err) {
      if (err instanceof RestError && err.statusCode === 404) return undefined;
      throw err;
    }
  }

  /** Every table record of a database. */
  async listTables(cluster: string, database: string): Promise<TableBackupRecord[]> {
    await this.ensure();
    const pk = tablePk(cluster, database);
    const out: TableBackupRecord[] = [];
    for await (const e of this.clients.tables.listEntities<Record<string, unknown>>({
      queryOptions: { filter: `PartitionKey eq '${pk}'` },
    })) {
      out.push(toTableRecord(e));
    }
    return out;
  }

  /** Inserts or replaces chunk records of a table (batched per 100, one partition). */
  async putChunks(
    cluster: string,
    database: string,
    table: string,
    chunks: readonly ChunkRecord[],
  ): Promise<void> {
    await this.ensure();
    const pk = chunkPk(cluster, database, table);
    for (let i = 0; i < chunks.length; i += 100) {
      const batch = chunks.slice(i, i + 100).map(
        (c) =>
          [
            'upsert',
            {
              partitionKey: pk,
              rowKey: enc(c.chunkId),
              ...c,
              from: c.from ?? '',
              to: c.to ?? '',
              operationId: c.operationId ?? '',
              detail: c.detail ?? '',
            },
            'Replace',
          ] as const,
      );
      await this.clients.chunks.submitTransaction(batch.map((b) => [b[0], b[1], b[2]]));
    }
  }

  /** Every chunk record of a table. */
  async listChunks(cluster: string, database: string, table: string): Promise<ChunkRecord[]> {
    await this.ensure();
    const pk = chunkPk(cluster, database, table);
    const out: ChunkRecord[] = [];
    for await (const e of this.clients.chunks.listEntities<Record<string, unknown>>({
      queryOptions: { filter: `PartitionKey eq '${pk}'` },
    })) {
      out.push(toChunkRecord(e));
    }
    return out;
  }

  /**
   * Records artifacts (idempotent by path). A committed or orphan artifact is never demoted to
   * pending by a late duplicate event.
   */
  async putArtifacts(artifacts: readonly ArtifactRecord[]): Promise<void> {
    await this.ensure();
    const byPk = new Map<string, ArtifactRecord[]>();
    for (const a of artifacts) {
      const pk = `${enc(a.database)}|${enc(a.table)}`;
      byPk.set(pk, [...(byPk.get(pk) ?? []), a]);
    }
    for (const [pk, list] of byPk) {
      const existing = new Map<string, ArtifactState>();
      if (list.some((a) => a.state === 'pending')) {
        for (const a of await this.listArtifactsByPk(pk)) existing.set(a.path, a.state);
      }
      const keep = list.filter(
        (a) => !(a.state === 'pending' && existing.has(a.path) && existing.get(a.path) !== 'pending'),
      );
      for (let i = 0; i < keep.length; i += 100) {
        await this.clients.artifacts.submitTransaction(
          keep.slice(i, i + 100).map((a) => ['upsert', artifactEntity(a), 'Replace']),
        );
      }
    }
  }

  /**
   * Records artifacts whose path the catalog does not know yet, and leaves known ones untouched
   * (insert-only: a late or duplicate sighting can never overwrite a commit that raced it, which a
   * read-then-upsert could). Returns the artifacts actually inserted.
   */
  async insertArtifactsIfAbsent(artifacts: readonly ArtifactRecord[]): Promise<ArtifactRecord[]> {
    await this.ensure();
    const inserted: ArtifactRecord[] = [];
    for (const a of artifacts) {
      try {
        await this.clients.artifacts.createEntity(artifactEntity(a));
        inserted.push(a);
      } catch (e) {
        if (!(e instanceof RestError && e.statusCode === 409)) throw e;
      }
    }
    return inserted;
  }

  /** Every artifact of a table. */
  async listArtifacts(database: string, table: string): Promise<ArtifactRecord[]> {
    await this.ensure();
    return this.listArtifactsByPk(`${enc(database)}|${enc(table)}`);
  }

  private async listArtifactsByPk(pk: string): Promise<ArtifactRecord[]> {
    const out: ArtifactRecord[] = [];
    for await (const e of this.clients.artifacts.listEntities<Record<string, unknown>>({
      queryOptions: { filter: `PartitionKey eq '${pk}'` },
    })) {
      out.push(toArtifactRecord(e));
    }
    return out;
  }
}

/** The Table Storage entity of an artifact (nulls stored as '' or -1: Table Storage has no null). */
function artifactEntity(a: ArtifactRecord): Entity & { partitionKey: string; rowKey: string } {
  return {
    partitionKey: `${enc(a.database)}|${enc(a.table)}`,
    rowKey: pathKey(a.path),
    ...a,
    partitionDate: a.partitionDate ?? '',
    numRecords: a.numRecords ?? -1,
    sizeInBytes: a.sizeInBytes ?? -1,
    committedAt: a.committedAt ?? '',
    chunkId: a.chunkId ?? '',
  };
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const orNull = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0));
const numOrNull = (v: unknown): number | null => {
  const n = num(v);
  return n < 0 || Number.isNaN(n) ? null : n;
};

function toTableRecord(e: Entity): TableBackupRecord {
  return {
    cluster: str(e.cluster),
    database: str(e.database),
    table: dec(String(e.rowKey)),
    state: str(e.state) as TableBackupState,
    exportName: str(e.exportName),
    externalTableName: str(e.externalTableName),
    partitionColumn: orNull(e.partitionColumn),
    startCursor: orNull(e.startCursor),
    columns: JSON.parse(str(e.columns) || '[]') as { name: string; type: string }[],
    historicalChunks: num(e.historicalChunks),
    historicalRows: num(e.historicalRows),
    lastError: orNull(e.lastError),
    updatedAt: str(e.updatedAt),
  };
}

function toChunkRecord(e: Entity): ChunkRecord {
  return {
    chunkId: dec(String(e.rowKey)),
    kind: str(e.kind) as ChunkRecord['kind'],
    from: orNull(e.from),
    to: orNull(e.to),
    expectedRows: num(e.expectedRows),
    state: str(e.state) as ChunkState,
    operationId: orNull(e.operationId),
    attempts: num(e.attempts),
    exportedRows: num(e.exportedRows),
    artifactCount: num(e.artifactCount),
    detail: orNull(e.detail),
    updatedAt: str(e.updatedAt),
  };
}

function toArtifactRecord(e: Entity): ArtifactRecord {
  return {
    database: str(e.database),
    table: str(e.table),
    path: str(e.path),
    partitionDate: orNull(e.partitionDate),
    numRecords: numOrNull(e.numRecords),
    sizeInBytes: numOrNull(e.sizeInBytes),
    source: str(e.source) as ArtifactRecord['source'],
    state: str(e.state) as ArtifactState,
    committedAt: orNull(e.committedAt),
    chunkId: orNull(e.chunkId),
  };
}
