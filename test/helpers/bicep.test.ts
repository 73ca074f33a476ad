import { allowedValues, declaration, literal, parseBicep, prop, resources, text } from './bicep';

const SAMPLE = `// a comment
targetScope = 'subscription'

@description('Region; it\\'s required.')
@allowed([
  'westeurope'
  'northeurope'
])
param location string

param count int = 2 // trailing comment

var names = [for i in range(0, count): 'st\${i}']
var pair = { a: 1, b: 'two' }

/* a block
   comment */
resource acct 'Microsoft.Storage/storageAccounts@2023-05-01' = [
  for (name, i) in names: if (count > 1) {
    name: name
    properties: {
      'odata.type': 'x'
      list: [
        'a'
        { k: 'v' }
      ]
      expr: empty(location) ? [] : [
        location
      ]
      script: '.add database [\\'\${name}\\'] viewers (\\'aadapp=x\\')\\nnext'
    }
  }
]

resource existingOne 'Microsoft.Web/sites@2024-04-01' existing = {
  name: 'site'
}

output first string = names[0]
`;

describe('parseBicep', () => {
  const decls = parseBicep(SAMPLE, 'sample.bicep');

  test('reads declarations with their decorators, types and values', () => {
    expect(decls.map((d) => `${d.keyword}:${d.name}`)).toEqual([
      'targetScope:targetScope',
      'param:location',
      'param:count',
      'var:names',
      'var:pair',
      'resource:acct',
      'resource:existingOne',
      'output:first',
    ]);
    const location = declaration(decls, 'param', 'location')!;
    expect(location.type).toBe('string');
    expect(location.value).toBeUndefined();
    expect(allowedValues(location)).toEqual(['westeurope', 'northeurope']);
    expect(text(declaration(decls, 'param', 'count')?.value)).toBe('2');
    expect(literal(prop(declaration(decls, 'var', 'pair')?.value, 'b'))).toBe('two');
    expect(text(declaration(decls, 'output', 'first')?.value)).toBe('names[0]');
  });

  test('unwraps loops and conditions of resources and decodes strings', () => {
    const [acct, site] = resources(decls);
    expect(acct).toMatchObject({
      type: 'Microsoft.Storage/storageAccounts',
      apiVersion: '2023-05-01',
      loop: '(name, i) in names',
      condition: 'count > 1',
      existing: false,
    });
    expect(literal(prop(acct?.body, 'properties.odata.type'))).toBeUndefined();
    const props = prop(acct?.body, 'properties');
    expect(props?.kind === 'object' ? props.props.map((p) => p.key) : []).toEqual([
      'odata.type',
      'list',
      'expr',
      'script',
    ]);
    const list = prop(acct?.body, 'properties.list');
    expect(list?.kind === 'array' ? list.items.length : 0).toBe(2);
    expect(text(prop(acct?.body, 'properties.expr'))).toBe(
      'empty(location) ? [] : [\n        location\n      ]',
    );
    const script = prop(acct?.body, 'properties.script');
    expect(script).toEqual({
      kind: 'string',
      value: ".add database ['${name}'] viewers ('aadapp=x')\nnext",
      interpolated: true,
    });
    expect(site).toMatchObject({ existing: true, type: 'Microsoft.Web/sites' });
  });

  test.each([
    ["var x = 'open\n", /sample\.bicep:1: new line in a string/],
    ['var x = {\n  a: (1\n}\n', /unbalanced|mismatched/],
    ['var x = { a: 1 b: 2 }\n', /unexpected ':'/],
    ['func f() string => 1\n', /unsupported top-level statement 'func'/],
    ["@description('x')\n", /decorator without a declaration/],
  ])('rejects %j', (source, message) => {
    expect(() => parseBicep(source, 'sample.bicep')).toThrow(message);
  });
});
