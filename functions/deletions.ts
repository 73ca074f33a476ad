/**
 * Registration of the deletion ledger's HTTP functions. Wiring only; `deps` is called on each
 * invocation, so production builds it lazily from configuration (importing never throws) and tests
 * register the same functions with their own dependencies.
 */
import { app } from '@azure/functions';
import type { DeletionDeps } from '../lib/http/deletions';
import {
  makeDeletionScrubHandler,
  makeDeletionsCreateHandler,
  makeDeletionsListHandler,
} from '../lib/http/deletions';
import { FunctionNames } from '../lib/names';
import { productionDeletionDeps } from '../lib/wiring/deletionDeps';

/** Registers `POST/GET /api/deletions` and `POST /api/deletions/{id}/scrub`. */
export function registerDeletionFunctions(deps: () => DeletionDeps): void {
  app.http(FunctionNames.deletionsCreate, {
    methods: ['POST'],
    route: 'deletions',
    authLevel: 'function',
    handler: makeDeletionsCreateHandler(deps),
  });
  app.http(FunctionNames.deletionsList, {
    methods: ['GET'],
    route: 'deletions',
    authLevel: 'function',
    handler: makeDeletionsListHandler(deps),
  });
  app.http(FunctionNames.deletionsScrub, {
    methods: ['POST'],
    route: 'deletions/{id}/scrub',
    authLevel: 'function',
    handler: makeDeletionScrubHandler(deps),
  });
}

registerDeletionFunctions(productionDeletionDeps());
