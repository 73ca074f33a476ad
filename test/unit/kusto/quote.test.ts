import { ValidationError } from '../../../lib/errors';
import {
  KUSTO_SCALAR_TYPES,
  MAX_NAME_LENGTH,
  boolLiteral,
  columnType,
  datetimeLiteral,
  encodePathSegment,
  integerLiteral,
  managedIdentity,
  obfuscatedLiteral,
  quoteName,
  storageConnectionString,
  stringLiteral,
  textLiteral,
  timespanLiteral,
  validateContainer,
  validateCursor,
  validateGuid,
  validateName,
  validateStorageAccount,
} from '../../../lib/kusto/quote';
import type { StorageTarget } from '../../../lib/kusto/quote';
import { checkKql, findLiterals, findNames, warmUpParser } from '../../helpers/kqlAssert';

/** Runs `fn` and returns the ValidationError it throws (failing the test if it does not). */
function validationError(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

/** Queries (not control commands) parse in about a millisecond, so literals are checked in bulk this way. */
function parsedLiteralsOf(query: string): ReturnType<typeof findLiterals> {
  const { root, syntax } = checkKql(query);
  expect(syntax).toEqual([]);
  return findLiterals(root);
}

beforeAll(() => warmUpParser('query'));

describe('validateName / quoteName', () => {
  const accepted = [
    'Events',
    'a',
    'with space.and-dash_1',
    'Ünïcødé 名前',
    'ℌ𝔢𝔩𝔩𝔬', // letters outside the BMP
    'where', // a keyword: only usable bracket-quoted
    '1day', // looks like a timespan literal
    'x'.repeat(MAX_NAME_LENGTH),
  ];
  it.each(accepted)('accepts %j and the parser reads exactly that one name back', (name) => {
    const quoted = quoteName(name, 'table');
    expect(quoted.startsWith("['") && quoted.endsWith("']")).toBe(true);
    const { root, syntax } = checkKql(quoted);
    expect(syntax).toEqual([]);
    expect(findNames(root).map((n) => n.name)).toEqual([name]);
  });

  const rejected: unknown[] = [
    '',
    "O'Brien",
    'a"b',
    'a]b',
    'a[b',
    'a\nb',
    'a\rb',
    'tab\tname',
    'a|b',
    'a;b',
    'a//b',
    'a/*b*/',
    'a<|b',
    'a,b',
    'a:b',
    'a(b)',
    'a$b',
    'a\\b',
    'a\u0000b',
    'a\u2028b',
    'zero\u200bwidth',
    '²', // superscript two is numeric but not a decimal digit
    'x'.repeat(MAX_NAME_LENGTH + 1),
    42,
    null,
    undefined,
  ];
  it.each(rejected)('rejects %j naming the parameter', (value) => {
    const error = validationError(() => quoteName(value, 'externalTable'));
    expect(error.field).toBe('externalTable');
    expect(error.message.startsWith('externalTable: ')).toBe(true);
  });

  it('accepts decimal digits of other scripts', () => {
    expect(validateName('T٣', 'table')).toBe('T٣');
  });

  it('keeps error messages short for huge inputs', () => {
    const error = validationError(() => validateName(`${'y'.repeat(5000)};`, 'table'));
    expect(error.message.length).toBeLessThan(200);
  });
});

describe('stringLiteral', () => {
  const samples = [
    '',
    'plain',
    "it's",
    'say "hi"',
    'back\\slash\\',
    'trailing backslash\\',
    'line\nbreak\r\nand\ttab',
    "x' | .drop table T //",
    "'; .drop table ['T'] <| ",
    '\u0000\u0001\u001f\u007f\u0085\u009f\u2028\u2029',
    '😀 名前 Ünï',
    '\ud800 lone high, lone low \udc00, reversed \udc00\ud800',
    "h@'x'",
    '```multi```',
    '/* not a comment */ // nor this',
  ];
  it.each(samples)('%j is exactly one literal with the same value', (value) => {
    const literal = stringLiteral(value);
    expect(literal).not.toMatch(/[\n\r\u2028\u2029]/);
    const literals = parsedLiteralsOf(`print x = ${literal}`);
    expect(literals).toEqual([expect.objectContaining({ kind: 'StringLiteralExpression', value })]);
  });

  it('round-trips random text (seeded) through the parser', () => {
    let seed = 12345;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const pool = '\'"\\\n\r\t|;/*`[](){}@h$ aZ09é名😀';
    for (let round = 0; round < 200; round++) {
      let value = '';
      const length = random(40);
      for (let i = 0; i < length; i++) {
        const pick = random(4);
        if (pick === 0) value += String.fromCharCode(random(0x80));
        else if (pick === 1) value += String.fromCharCode(random(0x10000));
        else value += [...pool][random([...pool].length)]!;
      }
      const literals = parsedLiteralsOf(`print x = ${stringLiteral(value)}`);
      expect(literals.map((l) => l.value)).toEqual([value]);
    }
  });
});

describe('textLiteral', () => {
  it('quotes strings like stringLiteral and rejects other types, naming the parameter', () => {
    expect(textLiteral("it's", 'docString')).toBe(stringLiteral("it's"));
    for (const bad of [42, null, undefined, {}, ['x']])
      expect(validationError(() => textLiteral(bad, 'folder')).field).toBe('folder');
  });
});

describe('obfuscatedLiteral', () => {
  it.each(["https://a.blob.core.windows.net/c/it's;impersonate", "''", 'back\\slash'])(
    '%j is one obfuscated literal with the same value',
    (value) => {
      const literal = obfuscatedLiteral(value, 'storage');
      expect(literal.startsWith("h@'")).toBe(true);
      expect(parsedLiteralsOf(`print x = ${literal}`).map((l) => l.value)).toEqual([value]);
    },
  );

  it.each(['', 'a\nb', 'a\rb', 'a\u0000b', 'a\u2028b', 'a\ud800b'])('rejects %j', (value) => {
    expect(validationError(() => obfuscatedLiteral(value, 'storage[0]')).field).toBe('storage[0]');
  });
});

describe('datetimeLiteral', () => {
  it('renders UTC with seven fractional digits, read back as the same instant', () => {
    const date = new Date('2025-03-04T05:06:07.123Z');
    const literal = datetimeLiteral(date, 'since');
    expect(literal).toBe('datetime(2025-03-04T05:06:07.1230000Z)');
    const [parsed] = parsedLiteralsOf(`print x = ${literal}`);
    expect(parsed?.kind).toBe('DateTimeLiteralExpression');
    expect(new Date(parsed!.value).getTime()).toBe(date.getTime());
  });

  it.each([
    new Date('nope'),
    new Date(Date.UTC(10000, 0, 1)),
    new Date(Date.UTC(-1, 0, 1)),
    '2025-01-01' as unknown as Date,
  ])('rejects %p', (value) => {
    expect(validationError(() => datetimeLiteral(value, 'range.from')).field).toBe('range.from');
  });
});

describe('timespanLiteral', () => {
  it.each([
    [0, '0s'],
    [1500, '1500ms'],
    [90_000, '90s'],
    [300_000, '5m'],
    [36 * 3_600_000, '36h'],
    [2 * 86_400_000, '2d'],
    [86_400_000 + 1, '86400001ms'],
  ])('%d ms -> %s, which the parser reads as the same duration', (ms, expected) => {
    const literal = timespanLiteral(ms, 'forcedLatencyMs');
    expect(literal).toBe(expected);
    const { root } = checkKql(`print x = ${literal}`);
    let ticks: string | undefined;
    const visit = (n: typeof root): void => {
      if (!n.IsToken && n.IsLiteral) ticks = String(n.LiteralValue.getTicks());
      else for (let i = 0; i < n.ChildCount; i++) if (n.GetChild(i)) visit(n.GetChild(i)!);
    };
    visit(root);
    expect(ticks).toBe(String(BigInt(ms) * 10_000n));
  });

  it.each([-1, 1.5, NaN, Infinity, Number.MAX_SAFE_INTEGER + 2])('rejects %p', (ms) => {
    expect(validationError(() => timespanLiteral(ms, 'intervalBetweenRunsMs')).field).toBe(
      'intervalBetweenRunsMs',
    );
  });
});

describe('validateCursor / validateGuid / integerLiteral / boolLiteral', () => {
  it('accepts digit-only cursors', () => {
    expect(validateCursor('636751928823156645', 'cursor')).toBe('636751928823156645');
  });
  it.each(['', '12a', "1') | take 1 //", ' 1', '1 ', '-1', '1'.repeat(41), 5])(
    'rejects cursor %p',
    (value) => {
      expect(validationError(() => validateCursor(value, 'cursor')).field).toBe('cursor');
    },
  );

  it('accepts guids and lower-cases them', () => {
    expect(validateGuid('8F2C2F1E-1C2B-4C4B-9B8A-1A2B3C4D5E6F', 'operationId')).toBe(
      '8f2c2f1e-1c2b-4c4b-9b8a-1a2b3c4d5e6f',
    );
  });
  it.each([
    '',
    '8f2c2f1e1c2b4c4b9b8a1a2b3c4d5e6f',
    '{8f2c2f1e-1c2b-4c4b-9b8a-1a2b3c4d5e6f}',
    '8f2c2f1e-1c2b-4c4b-9b8a-1a2b3c4d5e6f) | take 1',
    '8f2c2f1e-1c2b-4c4b-9b8a-1a2b3c4d5e6g',
    null,
  ])('rejects guid %p', (value) => {
    expect(validationError(() => validateGuid(value, 'operationIds[3]')).field).toBe('operationIds[3]');
  });

  it('bounds integers', () => {
    expect(integerLiteral(5, 'n', 1, 10)).toBe('5');
    expect(integerLiteral(10, 'n', 1, 10)).toBe('10');
    for (const bad of [0, 11, 2.5, NaN, '5', Number.MAX_SAFE_INTEGER + 1]) {
      expect(validationError(() => integerLiteral(bad, 'sizeLimitBytes', 1, 10)).field).toBe(
        'sizeLimitBytes',
      );
    }
  });

  it('renders booleans and rejects everything else', () => {
    expect(boolLiteral(true, 'distributed')).toBe('true');
    expect(boolLiteral(false, 'distributed')).toBe('false');
    expect(validationError(() => boolLiteral('true', 'distributed')).field).toBe('distributed');
  });

  it('accepts system or an object id as managed identity', () => {
    expect(managedIdentity('system', 'mi')).toBe('system');
    expect(managedIdentity('8F2C2F1E-1C2B-4C4B-9B8A-1A2B3C4D5E6F', 'mi')).toBe(
      '8f2c2f1e-1c2b-4c4b-9b8a-1a2b3c4d5e6f',
    );
    for (const bad of ['System', "system'", '', 'user'])
      expect(validationError(() => managedIdentity(bad, 'mi')).field).toBe('mi');
  });
});

describe('columnType', () => {
  it.each([
    ['long', 'long'],
    ['Int64', 'long'],
    ['int32', 'int'],
    ['double', 'real'],
    ['boolean', 'bool'],
    ['date', 'datetime'],
    ['time', 'timespan'],
    ['uniqueid', 'guid'],
    ['decimal', 'decimal'],
    ['dynamic', 'dynamic'],
    ['string', 'string'],
  ])('%s -> %s', (input, canonical) => {
    expect(columnType(input, 'columns[0].type')).toBe(canonical);
  });

  it.each(['longx', 'string; drop', '', 'System.String', 'char', null])('rejects %p', (value) => {
    expect(validationError(() => columnType(value, 'columns[2].type')).field).toBe('columns[2].type');
  });

  it('lists only types the parser accepts in a schema', () => {
    const columns = KUSTO_SCALAR_TYPES.map((t, i) => `c${i}:${t}`).join(', ');
    expect(checkKql(`datatable(${columns})[]`).syntax).toEqual([]);
    expect([...KUSTO_SCALAR_TYPES].sort()).toEqual([
      'bool',
      'datetime',
      'decimal',
      'dynamic',
      'guid',
      'int',
      'long',
      'real',
      'string',
      'timespan',
    ]);
  });
});

describe('storage names and paths', () => {
  it.each(['abc', 'devstoreaccount1', 'a'.repeat(24)])('accepts account %s', (name) => {
    expect(validateStorageAccount(name, 'account')).toBe(name);
  });
  it.each(['ab', 'a'.repeat(25), 'Abc', 'ab-c', 'ab.c', "ab'c", ''])('rejects account %j', (name) => {
    expect(validationError(() => validateStorageAccount(name, 'storage[1].account')).field).toBe(
      'storage[1].account',
    );
  });

  it.each(['abc', 'backup', 'a-b-c', 'a1-2b', 'a'.repeat(63)])('accepts container %s', (name) => {
    expect(validateContainer(name, 'container')).toBe(name);
  });
  it.each(['ab', 'a'.repeat(64), '-abc', 'abc-', 'a--b', 'Backup', 'a_b', 'a/b', "ab'c"])(
    'rejects container %j',
    (name) => {
      expect(validationError(() => validateContainer(name, 'container')).field).toBe('container');
    },
  );

  it.each(['db1', 'My Table', "it's", 'a/b', '?x#y;impersonate', 'Ünï名', '%41', '(x)*!', '.hidden', 'a..b'])(
    'encodes segment %j so that it decodes back and stays one segment',
    (segment) => {
      const encoded = encodePathSegment(segment, 'path[0]');
      expect(encoded).toMatch(/^[A-Za-z0-9%._~-]+$/);
      expect(decodeURIComponent(encoded)).toBe(segment);
    },
  );
  it.each(['', '.', '..', 'ends.', '\ud800'])('rejects segment %j', (segment) => {
    expect(validationError(() => encodePathSegment(segment, 'storage.path[2]')).field).toBe(
      'storage.path[2]',
    );
  });
});

describe('storageConnectionString', () => {
  const base: StorageTarget = {
    account: 'acct',
    container: 'backup',
    path: ['db1', 'My Table'],
    auth: { kind: 'impersonate' },
  };

  it('builds the blob URL with impersonation', () => {
    expect(storageConnectionString(base)).toBe(
      'https://acct.blob.core.windows.net/backup/db1/My%20Table;impersonate',
    );
  });

  it('builds managed identity forms', () => {
    expect(
      storageConnectionString({ ...base, path: [], auth: { kind: 'managedIdentity', identity: 'system' } }),
    ).toBe('https://acct.blob.core.windows.net/backup;managed_identity=system');
    expect(
      storageConnectionString({
        ...base,
        path: ['x'],
        auth: { kind: 'managedIdentity', identity: '8F2C2F1E-1C2B-4C4B-9B8A-1A2B3C4D5E6F' },
      }),
    ).toBe(
      'https://acct.blob.core.windows.net/backup/x;managed_identity=8f2c2f1e-1c2b-4c4b-9b8a-1a2b3c4d5e6f',
    );
  });

  it('accepts an https endpoint for other clouds and http only on loopback', () => {
    expect(storageConnectionString({ ...base, endpoint: 'https://acct.blob.core.chinacloudapi.cn/' })).toBe(
      'https://acct.blob.core.chinacloudapi.cn/backup/db1/My%20Table;impersonate',
    );
    expect(
      storageConnectionString({
        ...base,
        account: 'devstoreaccount1',
        endpoint: 'http://127.0.0.1:10000/devstoreaccount1',
      }),
    ).toBe('http://127.0.0.1:10000/devstoreaccount1/backup/db1/My%20Table;impersonate');
  });

  it.each([
    ['http://acct.blob.core.windows.net', 'storage.endpoint'],
    ['https://user:pw@acct.blob.core.windows.net', 'storage.endpoint'],
    ['https://acct.blob.core.windows.net?sv=1&sig=secret', 'storage.endpoint'],
    ['https://acct.blob.core.windows.net/#x', 'storage.endpoint'],
    ["https://acct.blob.core.windows.net/it's", 'storage.endpoint'],
    ['not a url', 'storage.endpoint'],
  ])('rejects endpoint %s', (endpoint, field) => {
    expect(validationError(() => storageConnectionString({ ...base, endpoint })).field).toBe(field);
  });

  it('names the offending part', () => {
    const cases: [Partial<StorageTarget>, string][] = [
      [{ account: 'Bad' }, 'storage.account'],
      [{ container: 'x' }, 'storage.container'],
      [{ path: ['ok', '..'] }, 'storage.path[1]'],
      [{ path: 'db1' as unknown as string[] }, 'storage.path'],
      [{ path: Array.from({ length: 300 }, () => 'a') }, 'storage.path'],
      [{ path: ['x'.repeat(1100)] }, 'storage.path'],
      [{ auth: { kind: 'key' } as unknown as StorageTarget['auth'] }, 'storage.auth'],
      [{ auth: undefined }, 'storage.auth'],
      [{ auth: { kind: 'managedIdentity', identity: "system';" } }, 'storage.auth.identity'],
    ];
    for (const [patch, field] of cases) {
      expect(validationError(() => storageConnectionString({ ...base, ...patch })).field).toBe(field);
    }
  });

  it('is exactly one literal whose decoded path segments equal the inputs', () => {
    const segments = ["it's", 'a/b', 'Ünï名', '?x#y;impersonate'];
    const url = storageConnectionString({ ...base, path: segments });
    const literals = parsedLiteralsOf(`print x = ${obfuscatedLiteral(url, 'storage')}`);
    expect(literals).toHaveLength(1);
    const value = literals[0]!.value;
    expect(value.endsWith(';impersonate')).toBe(true);
    const path = new URL(value.slice(0, -';impersonate'.length)).pathname.split('/').slice(2);
    expect(path.map(decodeURIComponent)).toEqual(segments);
  });
});
