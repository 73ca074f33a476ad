import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { statusOf } from '../../../lib/http/setup';
import { LocalDurableClient } from '../../../lib/runtime/localDurableClient';
import { LocalRunner } from '../../../lib/runtime/localRunner';

df.app.activity('ldcEcho', { handler: (s: string) => `echo ${s}` });
df.app.orchestration('ldcOrchestration', function* (ctx: OrchestrationContext) {
  return (yield ctx.df.callActivity('ldcEcho', ctx.df.getInput<string>())) as string;
});

test('starts in the background, reports Running then Completed, and unknown ids like the host (404)', async () => {
  const client = new LocalDurableClient(new LocalRunner());
  expect(await statusOf(client, 'i1')).toBeUndefined();
  expect(await client.startNew('ldcOrchestration', { instanceId: 'i1', input: 'hi' })).toBe('i1');
  expect(await statusOf(client, 'i1')).toBe('Running');
  const result = await client.wait('i1');
  expect(result).toMatchObject({ status: 'Completed', output: 'echo hi' });
  expect(await statusOf(client, 'i1')).toBe('Completed');
  const res = client.createCheckStatusResponse(undefined, 'i1');
  expect(res.status).toBe(202);
});

test('a failed run is Failed', async () => {
  const client = new LocalDurableClient(new LocalRunner());
  await client.startNew('noSuchOrchestration', { instanceId: 'i2', input: null });
  expect(await client.wait('i2')).toMatchObject({
    status: 'Failed',
    error: expect.stringMatching(/not registered/),
  });
  expect(await statusOf(client, 'i2')).toBe('Failed');
});
