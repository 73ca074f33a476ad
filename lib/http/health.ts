/** `GET /api/health`: liveness plus a configuration check an operator can read without logs. */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { ConfigError } from '../errors';
import type { Config } from '../config';

/** Dependencies of the health handler. */
export interface HealthDeps {
  readonly loadConfig: () => Config;
  readonly version: string;
}

/** Builds the handler: 200 with the effective (non-secret) settings, or 500 naming every bad setting. */
export function makeHealthHandler(deps: HealthDeps): (req: HttpRequest) => Promise<HttpResponseInit> {
  return () => {
    try {
      const config = deps.loadConfig();
      return Promise.resolve({
        status: 200,
        jsonBody: {
          status: 'ok',
          version: deps.version,
          databases: config.databases,
          containers: config.containers.length,
          storageAuth: config.storageAuth,
        },
      });
    } catch (error) {
      if (error instanceof ConfigError) {
        return Promise.resolve({
          status: 500,
          jsonBody: { status: 'misconfigured', problems: error.problems },
        });
      }
      throw error;
    }
  };
}
