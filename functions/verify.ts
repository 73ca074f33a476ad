/**
 * Registration of the backup verification: the nightly timer, `POST /api/verification/run` and
 * `GET /api/verification/latest`. Wiring only; `deps` is called on each invocation, so production
 * builds it lazily from configuration (importing never throws) and tests register the same
 * functions with their own dependencies.
 */
import { app } from '@azure/functions';
import { timerScheduleFor } from '../lib/config';
import type { VerificationHttpDeps } from '../lib/http/verification';
import { makeVerificationLatestHandler, makeVerificationRunHandler } from '../lib/http/verification';
import { FunctionNames } from '../lib/names';
import type { VerifyTimerDeps } from '../lib/verify/timer';
import { makeVerifyTimerHandler } from '../lib/verify/timer';
import { productionCatalogDeps } from '../lib/wiring/catalogDeps';
import { contextLogger } from '../lib/wiring/setupDeps';

/** Registers the verification functions. */
export function registerVerifyFunctions(
  deps: () => VerifyTimerDeps & VerificationHttpDeps,
  schedule = timerScheduleFor('ADX_BACKUP_VERIFY_SCHEDULE'),
): void {
  app.timer(FunctionNames.verifyTimer, {
    schedule,
    handler: makeVerifyTimerHandler(deps, contextLogger),
  });
  app.http(FunctionNames.verifyRun, {
    methods: ['POST'],
    route: 'verification/run',
    authLevel: 'function',
    handler: makeVerificationRunHandler(deps, contextLogger),
  });
  app.http(FunctionNames.verifyLatest, {
    methods: ['GET'],
    route: 'verification/latest',
    authLevel: 'function',
    handler: makeVerificationLatestHandler(deps, contextLogger),
  });
}

registerVerifyFunctions(productionCatalogDeps());
