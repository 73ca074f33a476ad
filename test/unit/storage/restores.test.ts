import { RESTORES_TABLE, RestoreStore, getJson, putJson, restoreKeys } from '../../../lib/storage/restores';
import { startAzurite, type AzuriteHandle } from '../../helpers/azurite';

describe('putJson / getJson', () => {
  it('round-trips values of any size through properties of at most 30,000 characters', () => {
    const big = { text: 'ü'.repeat(75_000), list: [1, null, 'x'] };
    const entity: Record<string, unknown> = {};
    putJson(entity, 'v', big);
    expect(entity.v_n).toBe(3);
    expect(
      Object.keys(entity)
        .filter((k) => k.startsWith('v_') && k !== 'v_n')
        .every((k) => (entity[k] as string).length <= 30_000),
    ).toBe(true);
    expect(getJson(entity, 'v', null)).toEqual(big);
    expect(getJson({}, 'v', 'fallback')).toBe('fallback');
  });
});

describe('RestoreStore on Table Storage', () => {
  let az: AzuriteHandle;
  let store: RestoreStore;
  beforeAll(async () => {
    az = await startAzurite();
    store = RestoreStore.fromConnectionString(az.connectionString);
  });
  afterAll(() => az.stop());

  it('gets, merges, replaces and lists entities of one restore by row-key prefix', async () => {
    expect(RESTORES_TABLE).toBe('adxbackupRestores');
    await store.put("r'1", restoreKeys.restore, { a: 1, b: 2 });
    await store.put("r'1", restoreKeys.restore, { b: 3 });
    expect(await store.get("r'1", restoreKeys.restore)).toMatchObject({ a: 1, b: 3 });
    await store.put("r'1", restoreKeys.restore, { c: 4 }, 'Replace');
    const replaced = await store.get("r'1", restoreKeys.restore);
    expect(replaced).toMatchObject({ c: 4 });
    expect(replaced).not.toHaveProperty('a');
    const batches = Array.from({ length: 150 }, (_, i) => ({
      rowKey: restoreKeys.batch('Or/ders #1', '20250101', i),
      i,
    }));
    await store.putMany("r'1", batches);
    await store.put("r'1", restoreKeys.table('Or/ders #1'), { t: true });
    await store.put('r2', restoreKeys.table('Other'), { t: true });
    const listed = await store.list("r'1", restoreKeys.batchPrefix, ['i']);
    expect(listed.map((e) => e.i)).toEqual(Array.from({ length: 150 }, (_, i) => i));
    expect((await store.list("r'1", restoreKeys.tablePrefix)).map((e) => e.rowKey)).toEqual([
      restoreKeys.table('Or/ders #1'),
    ]);
    expect(await store.get('nothing', restoreKeys.restore)).toBeUndefined();
  });
});
