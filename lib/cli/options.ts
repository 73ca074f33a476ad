/**
 * Validation of command-line values, before anything is sent: every problem becomes a
 * {@link UsageError} naming the option, reusing the same validators as the HTTP API.
 */
import type { Config } from '../config';
import { ValidationError } from '../errors';
import { normalizeClusterUri } from '../kusto/auth';
import { validateName } from '../kusto/quote';
import { UsageError } from './io';

/** Runs `check`, turning its ValidationError into a UsageError for `option`. */
export function asOption<T>(option: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const prefix = `${error.field}: `;
    throw new UsageError(
      option,
      error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message,
    );
  }
}

/** The cluster: the option, else `ADX_BACKUP_CLUSTER_URI`; https, or http on loopback only. */
export function clusterOption(value: string | undefined, config: Config, option = '--cluster'): string {
  const raw = value ?? config.clusterUri;
  if (raw === undefined) throw new UsageError(option, 'is required (or set ADX_BACKUP_CLUSTER_URI)');
  return asOption(option, () => normalizeClusterUri(raw, option));
}

/** A required Kusto entity name (database, table). */
export function nameOption(value: string | undefined, option: string): string {
  if (value === undefined) throw new UsageError(option, 'is required');
  asOption(option, () => validateName(value, option));
  return value;
}

/** Databases: the options, else `ADX_BACKUP_DATABASES`; at least one. */
export function databasesOption(values: readonly string[] | undefined, config: Config): string[] {
  const list = values && values.length > 0 ? values : config.databases;
  if (list.length === 0) throw new UsageError('--database', 'is required (or set ADX_BACKUP_DATABASES)');
  return list.map((d) => nameOption(d, '--database'));
}

/** `Table=Column` pairs of `--partition-column`. */
export function pairsOption(values: readonly string[] | undefined, option: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    const m = /^([^=]+)=([^=]+)$/.exec(v);
    if (!m) throw new UsageError(option, `expected Name=Value, got '${v}'`);
    out[m[1]!.trim()] = m[2]!.trim();
  }
  return out;
}
