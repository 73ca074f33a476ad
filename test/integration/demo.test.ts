/**
 * `npm run demo`'s life cycle as a test, so CI proves it keeps working: seed, plan, setup, new rows
 * and continuous exports, a broken export repaired by the monitor, a deletion through the ledger,
 * verification, the disaster, restore, and the restored rows compared with the source. It runs the
 * same `runDemo` the script runs (about 40 s on the reference machine, 2 cores).
 */
import { runDemo } from '../../scripts/demo/run';

test('the demo passes every check', async () => {
  let output = '';
  const result = await runDemo({ out: (text) => void (output += text) });
  const failed = result.checks.filter((c) => !c.ok);
  expect({ failed, output: failed.length > 0 ? output : '' }).toEqual({ failed: [], output: '' });
  expect(result.summary.map((r) => r.table).sort()).toEqual(['Devices', 'Events', 'Metrics', 'MyTestTable']);
  expect(result.summary.every((r) => r.restoredMatches && r.restoredRows === r.sourceRows)).toBe(true);
  expect(output).toContain('RESULT: every check passed');
}, 300_000);
