/**
 * `GET /api/status[?clusterUri=...][&database=...]`: what the monitor last saw, per database (the
 * tick's outcome and a summary) and per table (state, lateness, last failure, last action, alert).
 * Reads the status store only; it never talks to the cluster.
 */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { Config } from '../config';
import { ConfigError, ValidationError } from '../errors';
import { normalizeClusterUri } from '../kusto/auth';
import { validateName } from '../kusto/quote';
import type { MonitorStatusStore } from '../storage/monitorStatus';

/** Dependencies of the handler. */
export interface StatusHandlerDeps {
  readonly config: () => Config;
  readonly status: () => Pick<MonitorStatusStore, 'listDatabases' | 'listTables'>;
}

/** Builds the handler: 200 with the statuses, 400 naming a bad parameter, 404 for a database never checked. */
export function makeStatusHandler(deps: StatusHandlerDeps): (req: HttpRequest) => Promise<HttpResponseInit> {
  return async (req) => {
    let clusterUri: string;
    let database: string | undefined;
    try {
      const config = deps.config();
      const raw = req.query.get('clusterUri') ?? config.clusterUri;
      if (raw === undefined)
        throw new ValidationError('clusterUri', 'is required (no ADX_BACKUP_CLUSTER_URI configured)');
      clusterUri = normalizeClusterUri(raw, 'clusterUri');
      const name = req.query.get('database');
      database = name === null ? undefined : validateName(name, 'database');
    } catch (error) {
      if (error instanceof ConfigError)
        return { status: 500, jsonBody: { error: 'misconfigured', problems: error.problems } };
      if (error instanceof ValidationError) {
        return {
          status: 400,
          jsonBody: { error: 'invalid-request', field: error.field, message: error.message },
        };
      }
      throw error;
    }
    const store = deps.status();
    const all = await store.listDatabases(clusterUri);
    const picked = database === undefined ? all : all.filter((d) => d.database === database);
    if (database !== undefined && picked.length === 0) {
      return {
        status: 404,
        jsonBody: {
          error: 'no-status',
          message: `the monitor has not checked database '${database}' of ${clusterUri} yet`,
        },
      };
    }
    const databases = await Promise.all(
      picked.map(async (d) => ({ ...d, tables: await store.listTables(clusterUri, d.database) })),
    );
    return { status: 200, jsonBody: { clusterUri, databases } };
  };
}
