import '../../../functions/monitor';
import { registry } from '../../helpers/functionsCoreStub';
import { FunctionNames } from '../../../lib/names';

const bindings = (name: string) =>
  Object.values(registry.get(name)?.metadata.bindings as Record<string, Record<string, unknown>>);

test('importing the registration never throws and wires the timer, the run and the status functions', () => {
  expect(bindings(FunctionNames.monitorTimer)).toEqual(
    expect.arrayContaining([
      // No ADX_BACKUP_MONITOR_SCHEDULE in the test environment: the default.
      expect.objectContaining({ type: 'timerTrigger', schedule: '0 */5 * * * *' }),
      expect.objectContaining({ type: 'durableClient' }),
    ]),
  );
  expect(bindings(FunctionNames.monitorRun)).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        type: 'httpTrigger',
        route: 'monitor/run',
        methods: ['POST'],
        authLevel: 'function',
      }),
      expect.objectContaining({ type: 'durableClient' }),
    ]),
  );
  expect(bindings(FunctionNames.status)).toEqual([
    expect.objectContaining({
      type: 'httpTrigger',
      route: 'status',
      methods: ['GET'],
      authLevel: 'function',
    }),
    expect.objectContaining({ type: 'http' }),
  ]);
});
