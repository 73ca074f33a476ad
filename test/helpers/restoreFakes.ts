/**
 * In-memory stand-ins for the restore's unit tests: the restore store (entities by row key), the
 * backup containers as `RestoreBlobs`, and an ingest sender that records what it was asked to queue.
 */
import type { RestoreBlob, RestoreBlobs } from '../../lib/restore/blobs';
import type { BlobToQueue, IngestSender, QueueTarget } from '../../lib/restore/ingestSender';
import { RestoreState } from '../../lib/restore/state';
import type { RestoreStorePort } from '../../lib/restore/state';

type Entity = Record<string, unknown>;

/** A restore store in memory (merge and replace as Table Storage does). */
export class MemoryRestoreStore implements RestoreStorePort {
  readonly entities = new Map<string, Entity>();
  private key = (id: string, rowKey: string): string => `${id}\u0000${rowKey}`;

  get(restoreId: string, rowKey: string): Promise<Entity | undefined> {
    const e = this.entities.get(this.key(restoreId, rowKey));
    return Promise.resolve(e === undefined ? undefined : { ...e });
  }
  put(restoreId: string, rowKey: string, entity: Entity, mode: 'Merge' | 'Replace' = 'Merge'): Promise<void> {
    const k = this.key(restoreId, rowKey);
    const base = mode === 'Merge' ? (this.entities.get(k) ?? {}) : {};
    this.entities.set(k, { ...base, ...entity, rowKey });
    return Promise.resolve();
  }
  async putMany(restoreId: string, entities: readonly (Entity & { rowKey: string })[]): Promise<void> {
    for (const e of entities) await this.put(restoreId, e.rowKey, e, 'Replace');
  }
  list(restoreId: string, prefix: string): Promise<Entity[]> {
    return Promise.resolve(
      [...this.entities.entries()]
        .filter(([k]) => k.startsWith(`${restoreId}\u0000${prefix}`))
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([, e]) => ({ ...e })),
    );
  }
}

/** A restore state over a fresh memory store. */
export function memoryState(): { state: RestoreState; store: MemoryRestoreStore } {
  const store = new MemoryRestoreStore();
  return { state: new RestoreState(store), store };
}

/** A file in the fake containers. */
export interface FakeFile {
  readonly containerUrl: string;
  readonly name: string;
  readonly size?: number;
  readonly lastModified?: Date;
  /** Rows its parquet footer declares. */
  readonly rows?: number;
  readonly text?: string;
}

/** Backup containers in memory; records which footers were read. */
export function fakeBlobs(
  files: readonly FakeFile[],
): RestoreBlobs & { footersRead: string[]; listed: string[] } {
  const footersRead: string[] = [];
  /** Prefixes `listBlobs` was called with. */
  const listed: string[] = [];
  const url = (f: FakeFile): string =>
    `${f.containerUrl}/${f.name.split('/').map(encodeURIComponent).join('/')}`;
  const under = (containerUrl: string, prefix: string): FakeFile[] =>
    files.filter((f) => f.containerUrl === containerUrl && f.name.startsWith(prefix));
  return {
    footersRead,
    listed,
    listNames: (c, prefix) => Promise.resolve(under(c, prefix).map((f) => f.name)),
    readText(c, name) {
      const f = files.find((x) => x.containerUrl === c && x.name === name);
      return f?.text === undefined ? Promise.reject(new Error(`no blob ${name}`)) : Promise.resolve(f.text);
    },
    listFolders(c, prefix) {
      const folders = new Set(
        under(c, prefix)
          .map((f) => f.name.slice(prefix.length))
          .filter((rest) => rest.includes('/'))
          .map((rest) => `${prefix}${rest.slice(0, rest.indexOf('/') + 1)}`),
      );
      return Promise.resolve([...folders].sort());
    },
    listBlobs: (c, prefix) =>
      Promise.resolve(listed.push(prefix)).then(() =>
        under(c, prefix).map((f): RestoreBlob => ({
          url: url(f),
          name: f.name,
          size: f.size ?? 100,
          lastModified: f.lastModified ?? new Date(0),
        })),
      ),
    parquetRowCount(u) {
      footersRead.push(u);
      const f = files.find((x) => url(x) === u);
      return f?.rows === undefined ? Promise.reject(new Error(`not parquet: ${u}`)) : Promise.resolve(f.rows);
    },
  };
}

/** An ingest sender that records every call. */
export function recordingSender(): IngestSender & { calls: { target: QueueTarget; blobs: BlobToQueue[] }[] } {
  const calls: { target: QueueTarget; blobs: BlobToQueue[] }[] = [];
  return {
    calls,
    queue(target, blobs) {
      calls.push({ target, blobs: [...blobs] });
      return Promise.resolve({ queued: blobs.length, perQueue: [blobs.length] });
    },
  };
}
