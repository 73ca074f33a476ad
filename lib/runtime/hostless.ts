/**
 * Import this module first in any process that runs the function app's registrations without the
 * Functions host (the CLI, the demo). `@azure/functions` looks for the host's core module at the
 * first registration and, when it is missing, stays in "test mode" for the life of the process,
 * dropping every registration; some function modules register on import, so the stub must be in
 * place before any of them is loaded.
 */
import { installFunctionsCoreStub } from './installStub';

installFunctionsCoreStub();
