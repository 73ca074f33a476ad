/**
 * Which tags a table's extents carry, for `ingestIfNotExists` (reference §3.5): every ingestion asks
 * "does an extent with `ingest-by:<x>` exist?", and a restore sends one ingestion per artifact, so a
 * scan of every extent per ingestion made 100,000 ingestions quadratic. The answer is kept per table
 * and brought up to date from the extent list on each lookup: appends (the common case) are read
 * incrementally; anything else that changed the list (a move, drop, clear, delete or purge, which
 * replace, remove or reorder extents) triggers a full rebuild, so the answer is always that of a scan.
 */
import type { Extent, Table } from './state';

interface TagIndex {
  /** The array the index was built from (tables replace it on clear/set-or-replace). */
  extents: readonly Extent[];
  /** How many of its extents have been indexed, and the extent at each end then. */
  length: number;
  first: Extent | undefined;
  last: Extent | undefined;
  /** Tag -> number of indexed extents carrying it. */
  counts: Map<string, number>;
}

const indexes = new WeakMap<Table, TagIndex>();

function add(index: TagIndex, extents: readonly Extent[], from: number): void {
  for (let i = from; i < extents.length; i++) {
    for (const tag of new Set(extents[i]!.tags)) index.counts.set(tag, (index.counts.get(tag) ?? 0) + 1);
  }
  index.length = extents.length;
  index.first = extents[0];
  index.last = extents[extents.length - 1];
}

/**
 * True when the indexed prefix is still exactly what the list starts with. Replacing an extent in
 * place (delete/purge) keeps its tags, so only the ends need checking for appends; any removal or
 * reordering changes the length or an end and is caught by the caller's rebuild.
 */
function onlyAppended(index: TagIndex, extents: readonly Extent[]): boolean {
  if (index.extents !== extents || extents.length < index.length) return false;
  if (index.length === 0) return true;
  return extents[0] === index.first && extents[index.length - 1] === index.last;
}

function current(table: Table): TagIndex {
  const extents = table.extents;
  let index = indexes.get(table);
  if (index && onlyAppended(index, extents)) {
    if (extents.length > index.length) add(index, extents, index.length);
    return index;
  }
  index = { extents, length: 0, first: undefined, last: undefined, counts: new Map() };
  add(index, extents, 0);
  indexes.set(table, index);
  return index;
}

/** The first of `tags` that some extent of the table carries, or undefined. */
export function findExtentTag(table: Table, tags: readonly string[]): string | undefined {
  if (tags.length === 0) return undefined;
  const { counts } = current(table);
  return tags.find((t) => (counts.get(t) ?? 0) > 0);
}
