import '../../../functions/restore';
import { registry } from '../../helpers/functionsCoreStub';
import { ActivityNames, FunctionNames, OrchestratorNames } from '../../../lib/names';

test('importing the registration never throws and wires the two HTTP functions, three orchestrators and six activities', () => {
  const http = (name: string) => {
    const fn = registry.get(name);
    const binding = Object.values(fn?.metadata.bindings as Record<string, Record<string, unknown>>).find(
      (b) => b.type === 'httpTrigger',
    );
    return { methods: binding?.methods, route: binding?.route, authLevel: binding?.authLevel };
  };
  expect(http(FunctionNames.restoreStart)).toEqual({
    methods: ['POST'],
    route: 'restores',
    authLevel: 'function',
  });
  expect(http(FunctionNames.restoreStatus)).toEqual({
    methods: ['GET'],
    route: 'restores/{id}',
    authLevel: 'function',
  });
  for (const name of [
    OrchestratorNames.restore,
    OrchestratorNames.restoreTable,
    OrchestratorNames.restoreFolder,
  ])
    expect(registry.has(name)).toBe(true);
  const activities = [
    ActivityNames.restorePrepare,
    ActivityNames.restoreTableState,
    ActivityNames.queueRestoreBatch,
    ActivityNames.countStaging,
    ActivityNames.restoreFinishTable,
    ActivityNames.restoreRecord,
  ];
  expect(activities.filter((a) => !registry.has(a))).toEqual([]);
});
