/**
 * A table's catalog records keyed by canonical path. Several records can share one canonical path
 * when writers spelled the URL differently (see `artifactPath.ts`); they are kept together so that
 * such aliases are recognised instead of being treated as different files.
 */
import type { ArtifactRecord } from '../storage/catalog';
import { canonicalBlobUrl } from './artifactPath';

/** Canonical path -> the records of that file. */
export type ArtifactIndex = Map<string, ArtifactRecord[]>;

/** Canonical form of a catalog path; a path that is not a URL is kept as is (it matches nothing). */
export function canonicalPath(path: string): string {
  try {
    return canonicalBlobUrl(path);
  } catch {
    return path;
  }
}

/** Indexes a table's records. */
export function indexArtifacts(records: readonly ArtifactRecord[]): ArtifactIndex {
  const index: ArtifactIndex = new Map();
  for (const r of records) {
    const key = canonicalPath(r.path);
    index.set(key, [...(index.get(key) ?? []), r]);
  }
  return index;
}

/** The state the catalog gives a file: committed wins, then orphan, then pending. */
export function effectiveState(
  records: readonly ArtifactRecord[] | undefined,
): ArtifactRecord['state'] | undefined {
  if (!records || records.length === 0) return undefined;
  if (records.some((r) => r.state === 'committed')) return 'committed';
  if (records.some((r) => r.state === 'orphan')) return 'orphan';
  return 'pending';
}

/** Replaces (by exact path) or adds a record in the index. */
export function setRecord(index: ArtifactIndex, record: ArtifactRecord): void {
  const key = canonicalPath(record.path);
  const others = (index.get(key) ?? []).filter((r) => r.path !== record.path);
  index.set(key, [...others, record]);
}
