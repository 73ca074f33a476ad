import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import type { RunnerEvent } from '../../../lib/runtime/localRunner';
import { LocalRunner } from '../../../lib/runtime/localRunner';

// Registered once per test file through the real SDK; the stub core hands the handlers to the kit.
let flaky = 0;
df.app.activity('kitDouble', { handler: (n: number) => n * 2 });
df.app.activity('kitFlaky', {
  handler: (n: number) => {
    if (++flaky < 3) throw new Error(`transient ${flaky}`);
    return n + 100;
  },
});
df.app.activity('kitFail', {
  handler: () => {
    throw new Error('permanent failure');
  },
});
df.app.orchestration('kitChild', function* (ctx: OrchestrationContext) {
  const n = ctx.df.getInput<number>();
  return (yield ctx.df.callActivity('kitDouble', n)) as number;
});
df.app.orchestration('kitParent', function* (ctx: OrchestrationContext) {
  const start = ctx.df.currentUtcDateTime.getTime();
  const doubled = (yield ctx.df.Task.all(
    [1, 2, 3].map((n) => ctx.df.callActivity('kitDouble', n)),
  )) as number[];
  const retried = (yield ctx.df.callActivityWithRetry('kitFlaky', new df.RetryOptions(5000, 3), 1)) as number;
  yield ctx.df.createTimer(new Date(ctx.df.currentUtcDateTime.getTime() + 3_600_000));
  const children = (yield ctx.df.Task.all(
    [10, 20].map((n) => ctx.df.callSubOrchestrator('kitChild', n)),
  )) as number[];
  let caught = '';
  try {
    yield ctx.df.callActivity('kitFail', null);
  } catch (e) {
    caught = (e as Error).message;
  }
  ctx.df.setCustomStatus({ done: true });
  return { doubled, retried, children, caught, elapsed: ctx.df.currentUtcDateTime.getTime() - start };
});
df.app.orchestration('kitLoop', function* (ctx: OrchestrationContext) {
  const n = ctx.df.getInput<number>();
  yield ctx.df.callActivity('kitDouble', n);
  if (n < 5) ctx.df.continueAsNew(n + 1);
  return n;
});
df.app.orchestration('kitThrows', function* (ctx: OrchestrationContext) {
  yield ctx.df.callActivity('kitDouble', 1);
  throw new Error('orchestrator broke');
});

test('replays activities, retries, timers, sub-orchestrations and caught failures', async () => {
  const kit = new LocalRunner();
  const r = await kit.run('kitParent', null);
  expect(r.status).toBe('Completed');
  expect(r.output).toEqual({
    doubled: [2, 4, 6],
    retried: 101,
    children: [20, 40],
    caught: expect.stringContaining('permanent failure'),
    elapsed: expect.any(Number),
  });
  // virtual clock: two retry back-offs (5 s each, no backoff coefficient) plus the 1 h timer
  expect((r.output as { elapsed: number }).elapsed).toBe(3_600_000 + 10_000);
  expect(r.customStatus).toEqual({ done: true });
  expect(kit.stats.activityCalls.get('kitFlaky')).toBe(3);
  expect(kit.stats.histories.size).toBe(3); // parent + two children
  expect(kit.stats.largestHistory()).toBe(r.historyLength);
});

test('continueAsNew restarts with a fresh history', async () => {
  const kit = new LocalRunner();
  const r = await kit.run('kitLoop', 1);
  expect(r.status).toBe('Completed');
  expect(r.output).toBe(5);
  expect(kit.stats.activityCalls.get('kitDouble')).toBe(5);
  expect(r.historyLength).toBeLessThan(10);
});

test('an orchestrator that throws fails with its message', async () => {
  const r = await new LocalRunner().run('kitThrows', null);
  expect(r.status).toBe('Failed');
  expect(r.error).toContain('orchestrator broke');
});

df.app.orchestration('kitTimed', function* (ctx: OrchestrationContext) {
  ctx.df.setCustomStatus({ phase: 'waiting' });
  const before = ctx.df.currentUtcDateTime.getTime();
  yield ctx.df.createTimer(new Date(before + 150));
  ctx.df.setCustomStatus({ phase: 'done' });
  yield ctx.df.callActivity('kitDouble', 21);
  return ctx.df.currentUtcDateTime.getTime() - before;
});

test('the real clock waits for timers and reports progress events', async () => {
  const events: RunnerEvent[] = [];
  const runner = new LocalRunner({ clock: 'real', onEvent: (e) => events.push(e) });
  const started = Date.now();
  const r = await runner.run('kitTimed', null, { instanceId: 'timed' });
  expect(r.status).toBe('Completed');
  expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  // the orchestration's clock is the wall clock, so it sees the wait too
  expect(r.output as number).toBeGreaterThanOrEqual(140);
  expect(events.map((e) => e.kind)).toEqual([
    'orchestration-started',
    'custom-status',
    'timer',
    'custom-status',
    'activity-completed',
    'orchestration-finished',
  ]);
  expect(events.filter((e) => e.kind === 'custom-status').map((e) => e.customStatus)).toEqual([
    { phase: 'waiting' },
    { phase: 'done' },
  ]);
  expect(events.find((e) => e.kind === 'activity-completed')).toMatchObject({
    name: 'kitDouble',
    input: 21,
    output: 42,
  });
});

test('the virtual clock does not wait', async () => {
  const started = Date.now();
  const r = await new LocalRunner().run('kitTimed', null);
  expect(r.output).toBe(150);
  expect(Date.now() - started).toBeLessThan(140);
});
