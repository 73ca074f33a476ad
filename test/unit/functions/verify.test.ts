import '../../../functions/verify';
import { registry } from '../../helpers/functionsCoreStub';
import { FunctionNames } from '../../../lib/names';

const bindings = (name: string) =>
  Object.values(registry.get(name)?.metadata.bindings as Record<string, Record<string, unknown>>);

test('importing the registration never throws and wires the nightly timer and the two HTTP functions', () => {
  expect(bindings(FunctionNames.verifyTimer)).toEqual([
    expect.objectContaining({ type: 'timerTrigger', schedule: '0 0 2 * * *' }),
  ]);
  expect(bindings(FunctionNames.verifyRun)).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        type: 'httpTrigger',
        route: 'verification/run',
        methods: ['POST'],
        authLevel: 'function',
      }),
    ]),
  );
  expect(bindings(FunctionNames.verifyLatest)).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        type: 'httpTrigger',
        route: 'verification/latest',
        methods: ['GET'],
        authLevel: 'function',
      }),
    ]),
  );
});
