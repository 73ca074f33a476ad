import '../../../functions/deletions';
import { registry } from '../../helpers/functionsCoreStub';
import { FunctionNames } from '../../../lib/names';

test('importing the registration never throws and wires the three deletion functions', () => {
  const http = (name: string) => {
    const fn = registry.get(name);
    const binding = Object.values(fn?.metadata.bindings as Record<string, Record<string, unknown>>).find(
      (b) => b.type === 'httpTrigger',
    );
    return { methods: binding?.methods, route: binding?.route, authLevel: binding?.authLevel };
  };
  expect(http(FunctionNames.deletionsCreate)).toEqual({
    methods: ['POST'],
    route: 'deletions',
    authLevel: 'function',
  });
  expect(http(FunctionNames.deletionsList)).toEqual({
    methods: ['GET'],
    route: 'deletions',
    authLevel: 'function',
  });
  expect(http(FunctionNames.deletionsScrub)).toEqual({
    methods: ['POST'],
    route: 'deletions/{id}/scrub',
    authLevel: 'function',
  });
});
