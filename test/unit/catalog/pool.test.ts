import { mapPool } from '../../../lib/catalog/pool';

it('keeps order, never exceeds the limit, and rejects on the first failure', async () => {
  let running = 0;
  let peak = 0;
  const out = await mapPool([5, 1, 4, 2, 3], 2, async (n) => {
    running++;
    peak = Math.max(peak, running);
    await new Promise((r) => setTimeout(r, n));
    running--;
    return n * 10;
  });
  expect(out).toEqual([50, 10, 40, 20, 30]);
  expect(peak).toBe(2);
  expect(await mapPool([], 4, () => Promise.resolve(1))).toEqual([]);
  await expect(
    mapPool([1, 2], 2, (n) => (n === 2 ? Promise.reject(new Error('boom')) : Promise.resolve(n))),
  ).rejects.toThrow('boom');
});
