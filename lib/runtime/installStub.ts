/**
 * Makes `require('@azure/functions-core')` return the registry stub outside the Functions host, so
 * `app.*` / `df.app.*` registrations reach the local runner. `@azure/functions` looks the module up
 * lazily, at the first registration, so this must run before anything registers (not before import).
 */
import Module from 'node:module';
import * as coreStub from './functionsCoreStub';

/** Installs the stub once per process; later calls do nothing. */
export function installFunctionsCoreStub(): void {
  const mod = Module as unknown as {
    _load: (request: string, ...rest: unknown[]) => unknown;
    __adxStub?: boolean;
  };
  if (mod.__adxStub) return;
  const original = mod._load;
  mod._load = function (request: string, ...rest: unknown[]) {
    return request === '@azure/functions-core' ? coreStub : original.call(this, request, ...rest);
  };
  mod.__adxStub = true;
}
