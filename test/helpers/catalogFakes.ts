/**
 * In-memory stand-ins for the catalog's stores, for unit tests of the catalog and verification:
 * a catalog with `CatalogStore`'s artifact semantics (insert-only inserts, upserts by path), a
 * watermark store, and a blob store over a map of blobs with their bytes and write times.
 */
import type { ResultTable } from '../../lib/kusto/types';
import type { ArtifactBlobStore, ListedBlob } from '../../lib/storage/artifactBlobs';
import { splitBlobUrl } from '../../lib/storage/artifactBlobs';
import type { ArtifactRecord, TableBackupRecord } from '../../lib/storage/catalog';
import type { WatermarkStore } from '../../lib/storage/watermarks';

/** A `.show continuous-exports` answer: one idle export per table, ExportedTo and LastRunTime as given. */
export function continuousExportsTable(
  tables: readonly string[],
  exportedTo = '2026-01-03T00:00:00Z',
): ResultTable {
  return {
    columns: [
      ['Name', 'string'],
      ['ExternalTableName', 'string'],
      ['Query', 'string'],
      ['ForcedLatency', 'timespan'],
      ['IntervalBetweenRuns', 'timespan'],
      ['CursorScopedTables', 'string'],
      ['ExportProperties', 'string'],
      ['LastRunTime', 'datetime'],
      ['StartCursor', 'string'],
      ['IsDisabled', 'bool'],
      ['LastRunResult', 'string'],
      ['ExportedTo', 'datetime'],
      ['IsRunning', 'bool'],
    ].map(([name, type]) => ({ name: name!, type: type! })),
    rows: tables.map((t) => [
      `adxbackup_${t}`,
      `adxbackup_${t}`,
      t,
      null,
      '00:05:00',
      '[]',
      '{}',
      exportedTo,
      '1',
      false,
      'Completed',
      exportedTo,
      false,
    ]),
  };
}

/** A table record with test defaults. */
export function tableRecord(table: string, over: Partial<TableBackupRecord> = {}): TableBackupRecord {
  return {
    cluster: 'https://c1.kusto.windows.net',
    database: 'db',
    table,
    state: 'ready',
    exportName: `adxbackup_${table}`,
    externalTableName: `adxbackup_${table}`,
    partitionColumn: 'Timestamp',
    startCursor: null,
    columns: [],
    historicalChunks: 0,
    historicalRows: 0,
    lastError: null,
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}

/** An artifact record with test defaults (committed historical, 10 rows). */
export function artifact(path: string, over: Partial<ArtifactRecord> = {}): ArtifactRecord {
  return {
    database: 'db',
    table: 'T',
    path,
    partitionDate: /\/(\d{4})(\d{2})(\d{2})\/[^/]+$/.exec(path)?.slice(1).join('-') ?? null,
    numRecords: 10,
    sizeInBytes: 100,
    source: 'historical',
    state: 'committed',
    committedAt: '2026-01-01T00:00:00.000Z',
    chunkId: null,
    ...over,
  };
}

/** The catalog operations the reconcile and verification use, in memory. */
export class FakeCatalog {
  readonly tables: TableBackupRecord[] = [];
  readonly artifacts = new Map<string, ArtifactRecord>();
  readonly writes: ArtifactRecord[][] = [];

  /** Every table record, whatever cluster and database are asked for. */
  listTables(_cluster?: string, _database?: string): Promise<TableBackupRecord[]> {
    return Promise.resolve([...this.tables]);
  }
  listArtifacts(database: string, table: string): Promise<ArtifactRecord[]> {
    return Promise.resolve(
      [...this.artifacts.values()].filter((a) => a.database === database && a.table === table),
    );
  }
  putArtifacts(artifacts: readonly ArtifactRecord[]): Promise<void> {
    this.writes.push([...artifacts]);
    for (const a of artifacts) this.artifacts.set(a.path, a);
    return Promise.resolve();
  }
  insertArtifactsIfAbsent(artifacts: readonly ArtifactRecord[]): Promise<ArtifactRecord[]> {
    const inserted = artifacts.filter((a) => !this.artifacts.has(a.path));
    for (const a of inserted) this.artifacts.set(a.path, a);
    return Promise.resolve(inserted);
  }
}

/** Watermarks in memory. */
export class FakeWatermarks implements WatermarkStore {
  readonly marks = new Map<string, Date>();
  get(_cluster: string, database: string, exportName: string): Promise<Date | undefined> {
    return Promise.resolve(this.marks.get(`${database}|${exportName}`));
  }
  put(_cluster: string, database: string, exportName: string, at: Date): Promise<void> {
    this.marks.set(`${database}|${exportName}`, at);
    return Promise.resolve();
  }
}

/** Blobs in memory by URL; `list` serves `<containerUrl>/<prefix>`. */
export class FakeBlobs implements ArtifactBlobStore {
  readonly blobs = new Map<string, { bytes: Uint8Array; lastModified: Date }>();
  readonly reads: { url: string; offset: number; count: number }[] = [];
  readonly moves: { from: string; to: string }[] = [];

  add(
    url: string,
    bytes: Uint8Array = new Uint8Array(10),
    lastModified = new Date('2026-01-01T00:00:00Z'),
  ): void {
    this.blobs.set(url, { bytes, lastModified });
  }
  list(containerUrl: string, prefix: string): Promise<ListedBlob[]> {
    const base = `${containerUrl}/`;
    return Promise.resolve(
      [...this.blobs]
        .filter(([url]) => url.startsWith(base + prefix))
        .map(([url, b]) => ({
          url,
          name: url.slice(base.length),
          size: b.bytes.byteLength,
          lastModified: b.lastModified,
        })),
    );
  }
  size(url: string): Promise<number> {
    const blob = this.blobs.get(url);
    return blob ? Promise.resolve(blob.bytes.byteLength) : Promise.reject(new Error(`BlobNotFound: ${url}`));
  }
  readRange(url: string, offset: number, count: number): Promise<Uint8Array> {
    this.reads.push({ url, offset, count });
    const blob = this.blobs.get(url);
    return blob
      ? Promise.resolve(blob.bytes.slice(offset, offset + count))
      : Promise.reject(new Error(`BlobNotFound: ${url}`));
  }
  move(url: string, toBlobName: string): Promise<string> {
    const blob = this.blobs.get(url);
    if (!blob) return Promise.reject(new Error(`BlobNotFound: ${url}`));
    const to = `${splitBlobUrl(url).containerUrl}/${toBlobName}`;
    this.blobs.delete(url);
    this.blobs.set(to, blob);
    this.moves.push({ from: url, to });
    return Promise.resolve(to);
  }
}
