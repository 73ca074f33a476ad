/** Bounded concurrency for per-table and per-file work. */

/**
 * Runs `work` over `items` with at most `limit` calls in flight; results keep the items' order.
 * The first rejection rejects the whole call (callers that want per-item failures return them as data).
 */
export async function mapPool<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return results;
}
