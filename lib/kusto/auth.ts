/**
 * Cluster endpoints and how to authenticate to them: Entra ID for real clusters, nothing at all
 * for a loopback emulator (which must never be sent a token).
 */
import type { TokenCredential } from '@azure/identity';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { KustoConnectionStringBuilder } from 'azure-kusto-data';
import { ValidationError } from '../errors';
import { redact } from './redact';

/** How to obtain tokens for an https cluster. */
export interface ClusterAuthOptions {
  /** Client id of a user-assigned managed identity; selects `ManagedIdentityCredential`. */
  readonly managedIdentityClientId?: string;
  /** An explicit credential (CLI, tests); wins over everything else. */
  readonly credential?: TokenCredential;
}

/** True for `localhost`, `127.0.0.0/8` and `::1`: hosts that never leave the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (host === 'localhost' || host === '::1') return true;
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return octets !== null && octets.slice(1).every((o) => Number(o) <= 255);
}

/**
 * Parses and checks a cluster URI. Only https is accepted, except plain http to a loopback host
 * (the local emulator), so a token can never travel unencrypted. Returns the URI without a
 * trailing slash.
 */
export function parseClusterUri(clusterUri: string, field = 'clusterUri'): URL {
  let url: URL;
  try {
    url = new URL(clusterUri.trim());
  } catch {
    throw new ValidationError(field, `is not an absolute URL: '${redact(clusterUri)}'`);
  }
  if (url.username || url.password) {
    throw new ValidationError(field, 'must not contain credentials');
  }
  if (url.search || url.hash) {
    throw new ValidationError(field, 'must not contain a query string or fragment');
  }
  if (url.protocol === 'http:') {
    if (!isLoopbackHost(url.hostname)) {
      throw new ValidationError(
        field,
        `http is only allowed for loopback hosts; use https for '${url.host}'`,
      );
    }
  } else if (url.protocol !== 'https:') {
    throw new ValidationError(field, `must use https (got '${url.protocol.replace(/:$/, '')}')`);
  }
  return url;
}

/** The URI as the Kusto client expects it: origin plus path, no trailing slash. */
export function normalizeClusterUri(clusterUri: string, field = 'clusterUri'): string {
  return parseClusterUri(clusterUri, field).toString().replace(/\/+$/, '');
}

/**
 * The data-management (ingest) endpoint of a cluster: `https://ingest-<host>` for real clusters.
 * Loopback hosts and IP addresses serve both roles, and a host already named `ingest-...` is kept.
 */
export function deriveDmUri(clusterUri: string): string {
  const url = parseClusterUri(clusterUri);
  const host = url.hostname;
  const isIp = /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.startsWith('[');
  if (isLoopbackHost(host) || isIp || host.toLowerCase().startsWith('ingest-')) {
    return normalizeClusterUri(clusterUri);
  }
  url.hostname = `ingest-${host}`;
  return url.toString().replace(/\/+$/, '');
}

/**
 * The connection-string builder for `clusterUri`. Loopback http gets no authentication at all
 * (the client then sends no `Authorization` header); https uses the given credential, a
 * user-assigned managed identity when a client id is configured, or `DefaultAzureCredential`.
 */
export function buildConnectionString(
  clusterUri: string,
  options: ClusterAuthOptions = {},
): KustoConnectionStringBuilder {
  const url = parseClusterUri(clusterUri);
  const dataSource = normalizeClusterUri(clusterUri);
  if (url.protocol === 'http:') {
    return new KustoConnectionStringBuilder(dataSource);
  }
  return KustoConnectionStringBuilder.withTokenCredential(dataSource, createCredential(options));
}

/** The credential used for https clusters; see {@link buildConnectionString}. */
export function createCredential(options: ClusterAuthOptions = {}): TokenCredential {
  if (options.credential) return options.credential;
  const clientId = options.managedIdentityClientId?.trim();
  if (clientId) return new ManagedIdentityCredential({ clientId });
  return new DefaultAzureCredential();
}
