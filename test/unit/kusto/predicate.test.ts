import { ValidationError } from '../../../lib/errors';
import { MAX_PREDICATE_BYTES, parseSimplePredicate } from '../../../lib/kusto/predicate';
import type { PredicateTable } from '../../../lib/kusto/predicate';
import { checkKql, findNames, warmUpParser } from '../../helpers/kqlAssert';

const EVENTS: PredicateTable = {
  name: 'Events',
  columns: [
    { name: 'Timestamp', type: 'datetime' },
    { name: 'Id', type: 'long' },
    { name: 'Name', type: 'string' },
    { name: 'Value', type: 'real' },
    { name: 'Customer Id', type: 'string' },
    { name: 'Flag', type: 'bool' },
    { name: 'Props', type: 'dynamic' },
  ],
};

function rejection(text: unknown, table: PredicateTable = EVENTS): ValidationError {
  try {
    parseSimplePredicate(text, table);
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

beforeAll(() => warmUpParser('query'));

describe('parseSimplePredicate accepts simple conditions', () => {
  it.each([
    ['Id == 3', ['Id']],
    ["Name == 'x' and Id != 4", ['Id', 'Name']],
    ["Id in (1, 2, 3) or Name !in ('a', 'b')", ['Id', 'Name']],
    ["Name in~ ('A') and Name !in~ ('b')", ['Name']],
    ['Timestamp between (datetime(2025-01-01) .. datetime(2025-02-01))', ['Timestamp']],
    ['Id !between (1 .. 10)', ['Id']],
    ["Name has 'gdpr' or Name !has_cs 'X' or Name contains 'y' or Name !contains_cs 'Z'", ['Name']],
    ["Name startswith 'a' and Name endswith_cs 'b' and Name hasprefix 'c' and Name hassuffix 'd'", ['Name']],
    ["Name has_any ('a', 'b') or Name has_all ('c', 'd')", ['Name']],
    ["Name =~ 'abc' or Name !~ 'def'", ['Name']],
    ['not(isnull(Name)) and isnotnull(Id) and isempty(Name) == false and isnotempty(Name)', ['Id', 'Name']],
    ["['Customer Id'] == 'c-42'", ['Customer Id']],
    ['Timestamp < datetime(2025-01-01) + 1d and Value * 2 >= -Id % 7', ['Id', 'Timestamp', 'Value']],
    ['Flag', ['Flag']],
    ['(Id > 1 and Id < 10) or (Value <= 1.5e3)', ['Id', 'Value']],
    ["tolower(Name) == 'x' and strlen(Name) > 3 and tostring(Id) == '3'", ['Id', 'Name']],
    ['Props has "k"', ['Props']],
    ['startofday(Timestamp) == datetime(2025-01-01)', ['Timestamp']],
  ])('%s', (text, columns) => {
    const predicate = parseSimplePredicate(text, EVENTS);
    expect(predicate.table).toBe('Events');
    expect(predicate.columns).toEqual(columns);
    // The canonical text is itself a valid, equivalent condition.
    expect(checkKql(`Events | where ${predicate.text}`).syntax).toEqual([]);
  });

  it('drops comments and line breaks between tokens but keeps token boundaries', () => {
    const predicate = parseSimplePredicate(
      "Id == 3 // why\n  and Name == 'a // not a comment'\r\n// trailing",
      EVENTS,
    );
    expect(predicate.text).toBe("Id == 3 and Name == 'a // not a comment'");
  });

  it('returns a frozen value', () => {
    const predicate = parseSimplePredicate('Id == 3', EVENTS);
    expect(Object.isFrozen(predicate)).toBe(true);
    expect(Object.isFrozen(predicate.columns)).toBe(true);
  });

  it('validates against tables whose names and columns need quoting', () => {
    const table: PredicateTable = { name: 'my-table.v2', columns: [{ name: 'where', type: 'string' }] };
    const predicate = parseSimplePredicate("['where'] == 'x'", table);
    expect(predicate).toMatchObject({ table: 'my-table.v2', columns: ['where'], text: "['where'] == 'x'" });
  });
});

describe('parseSimplePredicate rejects anything else', () => {
  const hostile: [string, string][] = [
    ['another table', 'Id in (Other | project Id)'],
    ['the same table as a subquery', 'Id in (Events | project Id)'],
    ['a table reference in in()', 'Id in (Events)'],
    ['a path into another table', 'Other.Id == 1'],
    ['table()', "Id in (table('Events') | project Id)"],
    ['database()', "Id in (database('db').Events | project Id)"],
    ['cluster()', "Id in (cluster('c').database('db').Events | project Id)"],
    ['externaldata', "Id in (externaldata(Id:long) ['https://evil.example/x.csv'])"],
    ['toscalar', 'Id == toscalar(Events | count)'],
    ['materialize', 'Id in (materialize(Events | project Id))'],
    ['a pipe', 'Id == 1 | take 1'],
    ['a pipe after a line comment', 'Id == 1 //\n| take 1'],
    ['a second statement', 'Id == 1; Events'],
    ['a let statement', 'Id == 1; let x = 1; Events'],
    ['ingestion_time()', 'ingestion_time() > datetime(2025-01-01)'],
    ['cursor_after', "Id == 1 and cursor_after('123')"],
    ['cursor_before_or_at', "cursor_before_or_at('123')"],
    ['ago() (not repeatable on restore)', 'Timestamp > ago(1d)'],
    ['now()', 'Timestamp > now()'],
    ['rand()', 'rand() < 0.5'],
    ['an unknown column', 'Nope == 1'],
    ['an unknown column in a function', 'isnull(Nope)'],
    ['a non-boolean condition', '1'],
    ['a string condition', "'x'"],
    ['where parameters', 'hint.x=1 Id == 1'],
    ['a star', "* has 'x'"],
    ['a syntax error', 'Id =='],
    ['an unbalanced parenthesis', '(Id == 1'],
    ['a dynamic literal', 'Props == dynamic({"a": 1})'],
    ['a user function call', 'f(Id)'],
    ['a control command', '.drop table Events'],
    ['an embedded control command', 'Id == 1\n.drop table Events'],
    ['a search', "search 'x'"],
    ['a query operator', 'Id == 1 and (Events | count) > 0'],
    ['regex (not on the list)', "Name matches regex '.*'"],
    ['empty', ''],
    ['whitespace', '  \n\t '],
  ];
  it.each(hostile)('%s', (_label, text) => {
    const error = rejection(text);
    expect(error.field).toBe('predicate');
  });

  it('rejects text over 1 MB before parsing it', () => {
    const text = `Id == 1 or ${"Name == 'x' or ".repeat(150_000)}Id == 2`;
    expect(text.length).toBeGreaterThan(2 * 1024 * 1024);
    expect(rejection(text).message).toContain(`${MAX_PREDICATE_BYTES} bytes`);
  });

  it('measures the limit in UTF-8 bytes', () => {
    const text = `Name == '${'é'.repeat(MAX_PREDICATE_BYTES / 2)}'`;
    expect(text.length).toBeLessThan(MAX_PREDICATE_BYTES);
    expect(rejection(text).message).toContain('bytes');
  });

  it('rejects non-string input', () => {
    expect(rejection(42).field).toBe('predicate');
    expect(rejection(null).field).toBe('predicate');
  });

  it('validates the table description, naming the bad part', () => {
    expect(rejection('Id == 1', { name: "Ev'ents", columns: EVENTS.columns }).field).toBe('table.name');
    expect(rejection('Id == 1', { name: 'Events', columns: [] }).field).toBe('table.columns');
    expect(rejection('Id == 1', { name: 'Events', columns: [{ name: 'Id', type: 'longx' }] }).field).toBe(
      'table.columns[0].type',
    );
    expect(rejection('Id == 1', { name: 'Events', columns: [{ name: 'I|d', type: 'long' }] }).field).toBe(
      'table.columns[0].name',
    );
  });

  it('binds columns of the given table only', () => {
    const other: PredicateTable = { name: 'Other', columns: [{ name: 'Id', type: 'long' }] };
    expect(parseSimplePredicate('Id == 1', other).table).toBe('Other');
    expect(rejection('Name == "x"', other).field).toBe('predicate');
  });

  it('cannot smuggle a second operator through the canonical text', () => {
    const predicate = parseSimplePredicate("Name == '| take 1; .drop table Events'", EVENTS);
    const { root, syntax } = checkKql(`Events | where ${predicate.text}`);
    expect(syntax).toEqual([]);
    expect(findNames(root).map((n) => n.name)).toEqual(['Events', 'Name']);
  });
});
