/**
 * Kusto storage connection strings (reference §1.11): parsing into account / container / path and
 * masking of their secrets for command results.
 *
 * Accepted forms (any auth suffix: `;impersonate`, `;managed_identity=...`, `;token=...`,
 * `;sharedkey=...`, `;<account key>`, `?<sas>`):
 * - `https://<account>.blob.core.windows.net/<container>[/<path>]` (any cloud's host suffix),
 * - `https://<account>.dfs.core.windows.net/<filesystem>[/<path>]`,
 * - `abfss://<filesystem>@<account>.dfs.core.windows.net[/<path>]` (also `abfs`, `wasb`, `wasbs`),
 * - path-style URLs of a local storage emulator: `http://127.0.0.1:<port>/<account>/<container>[/<path>]`.
 */
import { KustoError } from '../kustoError';

/** A connection string split into its parts. */
export interface StorageLocation {
  /** The URL part, without auth suffix or query. */
  readonly url: string;
  /** Storage account named by the URL. */
  readonly account: string;
  /** Container (ADLS: file system). */
  readonly container: string;
  /** Path below the container, without leading or trailing `/` (may be empty). */
  readonly prefix: string;
  /** `dfs` for ADLS Gen2 forms (`abfss://`, `*.dfs.*`), `blob` otherwise. */
  readonly endpoint: 'blob' | 'dfs';
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\]|::1)$/i;

/** What a masked secret is shown as in command results (reference §1.11 example). */
export const MASK = '*******';

/** Auth options that carry no secret and are therefore shown as written. */
const PUBLIC_OPTION = /^(impersonate|managed_identity=.*)$/i;

/** Splits `url;option` / `url?sas` into the URL and its auth part. */
function splitAuth(connectionString: string): { url: string; auth: string } {
  const text = connectionString.trim();
  const semi = text.indexOf(';');
  const query = text.indexOf('?');
  const cut = [semi, query].filter((i) => i >= 0).sort((a, b) => a - b)[0];
  return cut === undefined ? { url: text, auth: '' } : { url: text.slice(0, cut), auth: text.slice(cut) };
}

function decodeSegments(path: string): string[] {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => decodeURIComponent(s));
}

/** Parses a storage connection string; throws a 400 for anything that is not a storage URL. */
export function parseConnectionString(connectionString: string): StorageLocation {
  const { url } = splitAuth(connectionString);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw KustoError.badRequest(
      `Invalid storage connection string: '${maskConnectionString(connectionString)}'.`,
    );
  }
  const scheme = parsed.protocol.replace(/:$/, '').toLowerCase();
  const host = parsed.hostname.toLowerCase();
  const segments = decodeSegments(parsed.pathname);
  let account: string;
  let container: string | undefined;
  let rest: string[];
  if (scheme === 'abfss' || scheme === 'abfs' || scheme === 'wasbs' || scheme === 'wasb') {
    // <scheme>://<container>@<account>.<endpoint>/<path>
    account = host.split('.')[0] ?? '';
    container = decodeURIComponent(parsed.username);
    rest = segments;
  } else if (scheme === 'http' || scheme === 'https') {
    if (LOOPBACK.test(host) || !host.includes('.')) {
      // Path-style (storage emulator): /<account>/<container>/<path>
      account = segments[0] ?? '';
      container = segments[1];
      rest = segments.slice(2);
    } else {
      account = host.split('.')[0] ?? '';
      container = segments[0];
      rest = segments.slice(1);
    }
  } else {
    throw KustoError.badRequest(`Unsupported storage connection string scheme '${scheme}'.`);
  }
  if (!container) {
    throw KustoError.badRequest(
      `Storage connection string must name a container: '${maskConnectionString(connectionString)}'.`,
    );
  }
  const endpoint = scheme.startsWith('abfs') || host.includes('.dfs.') ? 'dfs' : 'blob';
  return { url, account, container, prefix: rest.join('/'), endpoint };
}

/**
 * The connection string as command results show it: the URL as written, public auth options
 * (`;impersonate`, `;managed_identity=...`) kept, every other option or SAS replaced by `*******`.
 */
export function maskConnectionString(connectionString: string): string {
  const { url, auth } = splitAuth(connectionString);
  if (auth === '') return url;
  if (auth.startsWith('?')) return `${url}?${MASK}`;
  const option = auth.slice(1);
  if (PUBLIC_OPTION.test(option)) return `${url};${option}`;
  return `${url};${MASK}`;
}
