/**
 * Validation and quoting of every value that reaches Kusto command text: entity names, string
 * literals, datetimes, timespans, cursors, operation ids, integers and storage connection strings.
 * Builders in `commands.ts` only ever concatenate the output of these functions, so each function
 * either returns text that the Kusto parser reads back as exactly one token of the intended value, or
 * throws a `ValidationError` naming the offending parameter.
 */
import { ValidationError } from '../errors';

/** Longest entity name Kusto accepts (characters). */
export const MAX_NAME_LENGTH = 1024;

/*
 * Kusto identifiers may hold letters, digits, `_`, space, `.` and `-`. Decimal digits only (`\p{Nd}`):
 * the service checks with .NET's char.IsLetterOrDigit, which excludes other numeric characters.
 */
const NAME_PATTERN = /^[\p{L}\p{Nd}_ .-]+$/u;

function fail(field: string, message: string): never {
  throw new ValidationError(field, message);
}

/** Shortens hostile input for error messages so that huge or multi-line values stay readable. */
function preview(value: string): string {
  const shown = value.length > 40 ? `${value.slice(0, 40)}...` : value;
  return JSON.stringify(shown);
}

/**
 * Checks that `value` is a valid Kusto entity name (table, column, database, export...) and returns
 * it unchanged.
 */
export function validateName(value: unknown, field: string): string {
  if (typeof value !== 'string') fail(field, 'must be a string');
  if (value.length === 0) fail(field, 'must not be empty');
  if (value.length > MAX_NAME_LENGTH)
    fail(field, `must be at most ${MAX_NAME_LENGTH} characters (got ${value.length})`);
  if (!NAME_PATTERN.test(value)) {
    fail(field, `${preview(value)} may contain only letters, digits, '_', ' ', '.' and '-'`);
  }
  return value;
}

/** Escapes text for the inside of a single-quoted, non-verbatim Kusto string literal. */
function escapeStringContent(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    const code = ch.charCodeAt(0);
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029) {
      // Control and line-separator characters could end a line or a token in some readers; escaped
      // they are plain data.
      out += unicodeEscape(code);
    } else if (code >= 0xd800 && code <= 0xdfff) {
      // A well-formed surrogate pair is copied as is; a lone surrogate cannot travel as UTF-8.
      const next = value.charCodeAt(i + 1);
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        out += ch + value[i + 1]!;
        i++;
      } else {
        out += unicodeEscape(code);
      }
    } else out += ch;
  }
  return out;
}

function unicodeEscape(code: number): string {
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Validates an entity name and returns it bracket-quoted (`['name']`), the only form builders emit. */
export function quoteName(value: unknown, field: string): string {
  return `[${stringLiteral(validateName(value, field))}]`;
}

/** Any text as exactly one single-quoted Kusto string literal whose value is `value`. */
export function stringLiteral(value: string): string {
  return `'${escapeStringContent(value)}'`;
}

/**
 * {@link stringLiteral} for caller-supplied values that may not be strings at run time (JSON input):
 * anything else is rejected instead of being rendered as an empty or `[object Object]` literal.
 */
export function textLiteral(value: unknown, field: string): string {
  if (typeof value !== 'string') fail(field, 'must be a string');
  return stringLiteral(value);
}

/**
 * An obfuscated verbatim literal (`h@'...'`): the service hides its value from traces and logs,
 * which is what connection strings need. Verbatim literals have no escapes except a doubled quote
 * and cannot span lines, so line breaks and control characters are rejected.
 */
export function obfuscatedLiteral(value: string, field: string): string {
  if (value.length === 0) fail(field, 'must not be empty');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(value))
    fail(field, 'must not contain control characters or line breaks');
  if (/[\ud800-\udfff]/.test(value.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))) {
    fail(field, 'must not contain unpaired surrogates');
  }
  return `h@'${value.replace(/'/g, "''")}'`;
}

/**
 * A `datetime(...)` literal with 7 fractional digits, always UTC. Kusto datetimes cover years
 * 0001-9999, so dates outside that range are rejected rather than rendered with a sign.
 */
export function datetimeLiteral(value: Date, field: string): string {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) fail(field, 'must be a valid date');
  const year = value.getUTCFullYear();
  if (year < 1 || year > 9999) fail(field, `year ${year} is outside 0001..9999`);
  const iso = value.toISOString(); // yyyy-MM-ddTHH:mm:ss.fffZ
  return `datetime(${iso.slice(0, 23)}0000Z)`;
}

const TIMESPAN_UNITS: readonly (readonly [number, string])[] = [
  [86_400_000, 'd'],
  [3_600_000, 'h'],
  [60_000, 'm'],
  [1_000, 's'],
];

/**
 * A timespan literal from whole milliseconds, in the largest unit that divides it exactly
 * (`5m`, `36h`, `1500ms`) so that commands stay readable in `.show commands` output.
 */
export function timespanLiteral(milliseconds: number, field: string): string {
  if (!Number.isSafeInteger(milliseconds) || milliseconds < 0) {
    fail(field, 'must be a whole, non-negative number of milliseconds');
  }
  if (milliseconds === 0) return '0s';
  for (const [size, unit] of TIMESPAN_UNITS) {
    if (milliseconds % size === 0) return `${milliseconds / size}${unit}`;
  }
  return `${milliseconds}ms`;
}

/** Checks a database cursor (decimal digits, as `StartCursor` reports it) and returns it. */
export function validateCursor(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^[0-9]{1,40}$/.test(value))
    fail(field, 'must be a database cursor (1-40 decimal digits)');
  return value;
}

const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks a guid (operation id, managed identity object id) and returns it in lower case. */
export function validateGuid(value: unknown, field: string): string {
  if (typeof value !== 'string' || !GUID_PATTERN.test(value))
    fail(field, 'must be a guid (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)');
  return value.toLowerCase();
}

/** Checks that `value` is an integer in `[min, max]` and returns its decimal text. */
export function integerLiteral(value: unknown, field: string, min: number, max: number): string {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) fail(field, 'must be an integer');
  if (value < min || value > max) fail(field, `must be between ${min} and ${max} (got ${value})`);
  return String(value);
}

/** Checks a boolean and returns `true`/`false`. */
export function boolLiteral(value: unknown, field: string): string {
  if (typeof value !== 'boolean') fail(field, 'must be a boolean');
  return value ? 'true' : 'false';
}

/*
 * Documented Kusto scalar types and their synonyms, mapped to the canonical name that
 * `.show table T schema as json` reports as CslType, so a desired-vs-actual schema diff compares like
 * with like.
 */
const SCALAR_TYPES: Readonly<Record<string, string>> = {
  bool: 'bool',
  boolean: 'bool',
  datetime: 'datetime',
  date: 'datetime',
  decimal: 'decimal',
  dynamic: 'dynamic',
  guid: 'guid',
  uniqueid: 'guid',
  int: 'int',
  int32: 'int',
  long: 'long',
  int64: 'long',
  real: 'real',
  double: 'real',
  string: 'string',
  timespan: 'timespan',
  time: 'timespan',
};

/** Canonical Kusto scalar type names (`bool`, `datetime`, ... `timespan`). */
export const KUSTO_SCALAR_TYPES: readonly string[] = [...new Set(Object.values(SCALAR_TYPES))];

/** Validates a column type against the Kusto scalar types and returns its canonical name. */
export function columnType(value: unknown, field: string): string {
  const canonical = typeof value === 'string' ? SCALAR_TYPES[value.toLowerCase()] : undefined;
  if (canonical === undefined) fail(field, `must be one of ${KUSTO_SCALAR_TYPES.join(', ')}`);
  return canonical;
}

/** Checks an Azure Storage account name (3-24 lower-case letters and digits) and returns it. */
export function validateStorageAccount(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^[a-z0-9]{3,24}$/.test(value)) {
    fail(field, 'must be a storage account name: 3-24 lower-case letters and digits');
  }
  return value;
}

/**
 * Checks an Azure blob container name (3-63 characters: lower-case letters, digits and single
 * hyphens, starting and ending with a letter or digit) and returns it.
 */
export function validateContainer(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/.test(value)) {
    fail(
      field,
      'must be a container name: 3-63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit',
    );
  }
  return value;
}

/** Azure limits a blob name to 1024 characters and 254 path segments. */
const MAX_BLOB_PATH = 1024;
const MAX_PATH_SEGMENTS = 254;

/**
 * Percent-encodes one blob path segment. Beyond `encodeURIComponent`, the characters it leaves alone
 * that matter inside a connection string (`'`, `!`, `(`, `)`, `*`) are encoded too. `.`/`..` would
 * be collapsed by URL normalisation and names ending in `.` are not usable as blob directories, so
 * they are rejected instead.
 */
export function encodePathSegment(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) fail(field, 'must be a non-empty string');
  if (value.endsWith('.'))
    fail(field, `${preview(value)} must not end with '.' (not usable as a blob path segment)`);
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch {
    fail(field, 'must not contain unpaired surrogates');
  }
  return encoded.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** How the cluster authenticates to storage: its caller's identity, or a managed identity. */
export type StorageAuth =
  | { readonly kind: 'impersonate' }
  /** `identity` is `system` or the object id (guid) of a user-assigned identity. */
  | { readonly kind: 'managedIdentity'; readonly identity: string };

/** Where an external table or export writes: an account, a container and a path inside it. */
export interface StorageTarget {
  /** Storage account name. */
  readonly account: string;
  readonly container: string;
  /** Path segments below the container (e.g. database and table names); each is percent-encoded. */
  readonly path: readonly string[];
  readonly auth: StorageAuth;
  /**
   * Blob endpoint of the account, for sovereign clouds or a local emulator
   * (`https://acct.blob.core.chinacloudapi.cn`, `http://127.0.0.1:10000/devstoreaccount1`).
   * Defaults to `https://<account>.blob.core.windows.net`.
   */
  readonly endpoint?: string;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function validateEndpoint(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    fail(field, 'must be an absolute URL');
  }
  // Plain http is only acceptable for a local emulator; anywhere else it would leak data in transit.
  const loopback = LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    fail(field, 'must use https (http is allowed only for loopback emulators)');
  }
  if (url.username || url.password || url.search || url.hash) {
    fail(field, 'must not contain credentials, a query or a fragment');
  }
  const base = `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  if (!/^https?:\/\/[A-Za-z0-9.:[\]-]+(?:\/[A-Za-z0-9._-]+)*$/.test(base)) {
    fail(field, 'must be a plain blob endpoint URL');
  }
  return base;
}

/**
 * Builds an identity-based storage connection string
 * (`https://<account>.blob.core.windows.net/<container>/<path>;impersonate` or
 * `...;managed_identity=<system|object id>`) from validated parts. Account keys and SAS tokens are
 * deliberately not supported.
 */
export function storageConnectionString(target: StorageTarget, field = 'storage'): string {
  const account = validateStorageAccount(target.account, `${field}.account`);
  const container = validateContainer(target.container, `${field}.container`);
  if (!Array.isArray(target.path)) fail(`${field}.path`, 'must be an array of path segments');
  if (target.path.length > MAX_PATH_SEGMENTS - 1)
    fail(`${field}.path`, `must have fewer than ${MAX_PATH_SEGMENTS} segments`);
  const segments = target.path.map((s, i) => encodePathSegment(s, `${field}.path[${i}]`));
  const blobPath = segments.join('/');
  if (blobPath.length > MAX_BLOB_PATH)
    fail(`${field}.path`, `encoded path must be at most ${MAX_BLOB_PATH} characters`);
  const base =
    target.endpoint === undefined
      ? `https://${account}.blob.core.windows.net`
      : validateEndpoint(target.endpoint, `${field}.endpoint`);
  const url = [base, container, ...segments].join('/');
  return `${url};${storageAuthSuffix(target.auth, `${field}.auth`)}`;
}

function storageAuthSuffix(auth: StorageAuth, field: string): string {
  if (auth?.kind === 'impersonate') return 'impersonate';
  if (auth?.kind === 'managedIdentity')
    return `managed_identity=${managedIdentity(auth.identity, `${field}.identity`)}`;
  return fail(field, "must be { kind: 'impersonate' } or { kind: 'managedIdentity', identity }");
}

/** Checks a managed identity reference: `system` or an object id guid. */
export function managedIdentity(value: unknown, field: string): string {
  if (value === 'system') return 'system';
  if (typeof value === 'string' && GUID_PATTERN.test(value)) return value.toLowerCase();
  return fail(field, "must be 'system' or an object id guid");
}
