/**
 * Function registrations: wiring only. Each trigger points at a handler built from lib/ with its
 * dependencies; no logic lives here.
 */
import { app } from '@azure/functions';
import { loadConfig } from '../lib/config';
import { FunctionNames } from '../lib/names';
import { makeHealthHandler } from '../lib/http/health';
import { version } from '../lib/version';
import { productionSetupDeps } from '../lib/wiring/setupDeps';
import { registerSetupFunctions } from './setup';
import './catalog';
import './deletions';
import './monitor';
import './restore';
import './verify';

app.http(FunctionNames.health, {
  methods: ['GET'],
  route: 'health',
  authLevel: 'anonymous',
  handler: makeHealthHandler({ loadConfig: () => loadConfig(), version }),
});

registerSetupFunctions(productionSetupDeps());
