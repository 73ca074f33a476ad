/**
 * Masks secrets in text that may reach an error message or a log line: Kusto echoes command text
 * (with its storage connection strings) back in errors, and SDK errors can carry request headers.
 */

/** What a masked secret is replaced with. */
export const REDACTED = '[REDACTED]';

/**
 * A secret value: runs until a character that ends it inside a connection string, URL, quoted
 * literal or JSON. Never starts at an existing mask, so redacting twice changes nothing.
 */
const VALUE = String.raw`(?!\[REDACTED\])[^\s;&'",)\]}]+`;

/** Kusto storage connection-string options after `;` that carry no secret. */
const SAFE_STORAGE_OPTION = /^(impersonate|managed_identity=[^\s;'",)]*)$/i;

const RULES: readonly [RegExp, string | ((...m: string[]) => string)][] = [
  // SAS signature, plain or URL-encoded (`%26sig%3D`), wherever it appears.
  [new RegExp(String.raw`(?<![A-Za-z])sig(=|%3D)${VALUE}`, 'gi'), (_m, eq) => `sig${eq}${REDACTED}`],
  // Connection-string keys (`AccountKey=...`, `SharedAccessSignature=sv=..&sig=..`, passwords, app keys).
  [
    /\b(AccountKey|SharedAccessSignature|SharedAccessKey|sharedkey|Password|pwd|AppKey|Application Key|ApplicationKey|ClientSecret|client_secret|access_token)=([^;'"\s]+)/gi,
    (_m, key) => `${key}=${REDACTED}`,
  ],
  // `;token=<AAD token>` in storage connection strings.
  [new RegExp(String.raw`;token=${VALUE}`, 'gi'), `;token=${REDACTED}`],
  // Bearer tokens (Authorization headers, error dumps).
  [/\bBearer\s+[A-Za-z0-9\-._~+/]+=*/g, `Bearer ${REDACTED}`],
  // Bare JWTs.
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, REDACTED],
];

/** `<scheme>://<host/path>;<option>`: a storage URL followed by one Kusto auth option. */
const STORAGE_OPTION = /\b((?:https?|abfss?|wasbs?|adl):\/\/[^\s;'"]+);([^\s'",)]+)/gi;

/** Kusto obfuscated string literals `h'..'`, `h@'..'`, `H"..."`, `h@"..."`. */
const OBFUSCATED_LITERAL = /\b([hH]@?)(['"])(.*?)\2/g;

function maskStorageOption(_m: string, url: string, option: string): string {
  if (SAFE_STORAGE_OPTION.test(option)) return `${url};${option}`;
  const eq = option.indexOf('=');
  // `;<accountKey>` (blob) has no `=` before base64 padding; `;key=value` keeps its key name.
  if (eq > 0 && /^[A-Za-z_]+$/.test(option.slice(0, eq))) return `${url};${option.slice(0, eq)}=${REDACTED}`;
  return `${url};${REDACTED}`;
}

function redactPlain(text: string): string {
  let out = text;
  for (const [pattern, replacement] of RULES) {
    out = out.replace(pattern, replacement as (substring: string, ...args: string[]) => string);
  }
  return out.replace(STORAGE_OPTION, maskStorageOption);
}

/**
 * Returns `text` with every secret it can recognise masked: SAS signatures, account keys,
 * `SharedAccessSignature=`, bearer tokens and JWTs, `;token=`, `;sharedkey=`, raw account keys after
 * `;` in Kusto storage connection strings, and obfuscated `h'...'` literals that are not URLs.
 */
export function redact(text: string): string {
  const withLiterals = text.replace(OBFUSCATED_LITERAL, (_m, prefix: string, quote: string, body: string) => {
    // An obfuscated literal is, by the author's own declaration, sensitive; only a URL keeps its shape.
    const inner = body.includes('://') ? redactPlain(body) : REDACTED;
    return `${prefix}${quote}${inner}${quote}`;
  });
  return redactPlain(withLiterals);
}

/**
 * A safe one-line description of any thrown value: its message (or string form) with secrets
 * masked. Never includes the cause chain, request config or response body, which can hold secrets.
 */
export function redactError(error: unknown): string {
  if (error instanceof Error) {
    return redact(error.message || error.name);
  }
  if (typeof error === 'string') return redact(error);
  try {
    return redact(JSON.stringify(error) ?? String(error));
  } catch {
    return redact(String(error));
  }
}

/** Structured log fields with every string value passed through {@link redact}. */
export function redactFields<T extends Readonly<Record<string, unknown>>>(fields: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = typeof value === 'string' ? redact(value) : value;
  }
  return out as T;
}
