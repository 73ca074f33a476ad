import '../../../functions/catalog';
import { registry } from '../../helpers/functionsCoreStub';
import { FunctionNames } from '../../../lib/names';

const bindings = (name: string) =>
  Object.values(registry.get(name)?.metadata.bindings as Record<string, Record<string, unknown>>);

test('importing the registration never throws and wires the Event Grid intake and the reconcile timer', () => {
  expect(bindings(FunctionNames.artifactEvents)).toEqual([
    expect.objectContaining({ type: 'eventGridTrigger' }),
  ]);
  // No ADX_BACKUP_RECONCILE_SCHEDULE in the test environment: the default, hourly.
  expect(bindings(FunctionNames.reconcileTimer)).toEqual([
    expect.objectContaining({ type: 'timerTrigger', schedule: '0 15 * * * *' }),
  ]);
});
