import { readParquet, writeParquet } from './parquet';
import type { Column, KValue } from './values';
const cols: Column[] = [ { name: 'i', type: 'int' }, { name: 'l', type: 'long' }, { name: 's', type: 'string' }, { name: 'r', type: 'real' }, { name: 't', type: 'datetime' } ];
const n = Number(process.argv[2] ?? 200000);
const base = Date.UTC(2025, 0, 1);
const data: KValue[][] = Array.from({ length: n }, (_, k) => [k, k * 1000, `name-${k % 1000}-${k}`, k / 7, base + k]);
(async () => {
for (let rep = 0; rep < 2; rep++) {
let t = Date.now();
const bytes = writeParquet(cols, data);
console.log('write', Date.now() - t, bytes.length); t = Date.now();
const back = await readParquet(bytes);
console.log('read', Date.now() - t, back.rows.length);
}
})();
