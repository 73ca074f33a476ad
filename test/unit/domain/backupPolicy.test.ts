import { parsePolicy, serialisePolicy } from '../../../lib/domain/backupPolicy';
import { ValidationError } from '../../../lib/errors';
import { POLICY } from '../../helpers/monitorFixtures';

const fieldOf = (text: string): string => {
  try {
    parsePolicy(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).field;
  }
  throw new Error('expected a ValidationError');
};
const edit = (change: (p: Record<string, unknown>) => void): string => {
  const json = JSON.parse(serialisePolicy(POLICY)) as Record<string, unknown>;
  change(json);
  return JSON.stringify(json);
};

test('a setup request round-trips through its stored JSON', () => {
  const withEverything = {
    ...POLICY,
    include: ['Sales*'],
    partitionColumns: { Orders: 'OrderDate' },
    storageAuth: { kind: 'managedIdentity' as const, identity: 'system' },
    export: {
      intervalMs: 600_000,
      forcedLatencyMs: 60_000,
      sizeLimitBytes: 209_715_200,
      managedIdentity: 'system',
    },
  };
  expect(parsePolicy(serialisePolicy(withEverything))).toEqual(withEverything);
  expect(JSON.parse(serialisePolicy(POLICY))).toMatchObject({ version: 1 });
});

test('a policy that cannot be parsed or breaks a rule is refused naming the field', () => {
  expect(fieldOf('{"version":1,')).toBe('policy');
  expect(fieldOf(edit((p) => (p.version = 2)))).toBe('policy.version');
  expect(fieldOf(edit((p) => (p.containers = ['ftp://x/y'])))).toBe('policy.containers[0]');
  expect(fieldOf(edit((p) => (p.containers = [])))).toBe('policy.containers');
  expect(fieldOf(edit((p) => (p.include = ['a[b'])))).toBe('policy.include[0]');
  expect(fieldOf(edit((p) => (p.export = { intervalMs: 1000 })))).toBe('policy.export.intervalMs');
  expect(fieldOf(edit((p) => (p.storageAuth = { kind: 'managedIdentity', identity: 'nobody' })))).toBe(
    'policy.storageAuth.identity',
  );
  expect(fieldOf(edit((p) => (p.database = 'bad]name')))).toBe('policy.database');
  expect(fieldOf(edit((p) => (p.surprise = true)))).toBe('policy.surprise');
  expect(fieldOf(edit((p) => (p.clusterUri = 'http://evil.example.com')))).toBe('policy.clusterUri');
});
