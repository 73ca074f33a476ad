import { CommandRegistry, type CommandSpec } from './commands/registry';
import { planRequest } from './dispatch';
import { kindOf } from './kql/syntax';

const spec = (pattern: string[], mutating = false): CommandSpec => ({
  pattern,
  mutating,
  run: () => ({ columns: [], rows: [] }),
});

const registry = new CommandRegistry();
registry.add(
  spec(['show', 'tables']),
  spec(['show', 'table', '$name', 'schema', 'as', 'json']),
  spec(['show', 'continuous-export', '$name', 'failures']),
  spec(['create', 'table', '$name'], true),
  spec(['purge', 'table'], true),
  spec(['get', 'ingestion', 'resources']),
);

describe('planRequest', () => {
  test('shapes render tokens as lower-cased text, names as $name, other nodes as $node', () => {
    const plan = planRequest(registry, ".create table ['My Table'] (a:long) with (folder='f')");
    expect(plan.shape).toEqual(['create', 'table', '$name', '$node', '$node']);
    expect(plan.spec?.pattern).toEqual(['create', 'table', '$name']);
    expect(plan).toMatchObject({
      kind: 'command',
      verb: 'create table',
      mutating: true,
      isShow: false,
      piped: false,
    });
    expect(planRequest(registry, '.show table T schema as json').shape).toEqual([
      'show',
      'table',
      '$name',
      'schema',
      'as',
      'json',
    ]);
  });

  test('the verb is the command keywords without names, literals or punctuation', () => {
    expect(planRequest(registry, '.show continuous-export CE failures').verb).toBe(
      'show continuous-export failures',
    );
    expect(planRequest(registry, '.alter table T policy ingestiontime true').verb).toBe(
      'alter table policy ingestiontime',
    );
    expect(planRequest(registry, '.drop tables (A, B) ifexists').verb).toBe('drop tables ifexists');
    expect(planRequest(registry, 'T | take 1')).toMatchObject({
      kind: 'query',
      verb: 'query',
      mutating: false,
    });
  });

  test('a command piped into query operators keeps the operators in order', () => {
    const plan = planRequest(registry, ".show tables | where TableName != 'x' | project TableName | count");
    expect(plan.piped).toBe(true);
    expect(plan.operators.map(kindOf)).toEqual(['FilterOperator', 'ProjectOperator', 'CountOperator']);
    expect(plan.isShow).toBe(true);
  });

  test('commands outside the parser grammar are flat word lists; their verb stops at the pattern', () => {
    const purge = planRequest(
      registry,
      ".purge table T records in database D with (noregrets='true') <| where a == 1",
    );
    expect(purge.shape.slice(0, 4)).toEqual(['purge', 'table', 't', 'records']);
    expect(purge.verb).toBe('purge table');
    expect(purge.error).toBeUndefined();
    expect(planRequest(registry, '.get ingestion resources').verb).toBe('get ingestion resources');
  });

  test('syntax errors are carried as 400 BadRequest_SyntaxError, unknown commands have no spec', () => {
    const bad = planRequest(registry, '.create table T (a:long');
    expect(bad.error).toMatchObject({ httpStatus: 400, code: 'BadRequest_SyntaxError' });
    expect(bad.error?.message).toMatch(/^Syntax error: KS\d+: .+ \[line:position=1:\d+\]$/);
    const unknown = planRequest(registry, '.show version');
    expect(unknown.spec).toBeUndefined();
    expect(unknown).toMatchObject({ verb: 'show version', mutating: false });
  });
});
