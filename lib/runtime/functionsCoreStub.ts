/**
 * Stand-in for `@azure/functions-core`, the module only the Functions host injects. With it,
 * `app.*` and `df.app.*` registrations hand their real (wrapped) handlers to this registry instead of
 * being dropped in "test mode", so the local runner (CLI, demo, tests) drives the production
 * registration code unchanged. Jest maps the module name here (jest.config.js, through
 * `test/helpers/functionsCoreStub.ts`); other processes call `installFunctionsCoreStub()`.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */

/** A registered function: trigger type and the handler the worker would call. */
export interface RegisteredFunction {
  readonly type: string | undefined;
  readonly metadata: any;
  readonly handler: (...args: any[]) => unknown;
}

/** Every function registered so far, by name. */
export const registry = new Map<string, RegisteredFunction>();

/** Part of the core API; the stub keeps no programming model. */
export function setProgrammingModel(): void {}
/** Part of the core API; the stub keeps no programming model. */
export function getProgrammingModel(): undefined {
  return undefined;
}
/** Part of the core API; hooks are not run outside the host. */
export function registerHook(): { dispose(): void } {
  return { dispose() {} };
}
/** The part of a registration's metadata the stub reads. */
interface Metadata {
  readonly name?: unknown;
  readonly bindings?: Record<string, { readonly type: string }>;
}

/** Records a registration (the latest one of a name wins). */
export function registerFunction(
  metadata: Metadata,
  handler: (...args: any[]) => unknown,
): { dispose(): void } {
  const bindings = Object.values(metadata?.bindings ?? {});
  const trigger = bindings.find((b) => /Trigger$/i.test(b.type));
  registry.set(String(metadata.name), { type: trigger?.type, metadata, handler });
  return {
    dispose() {
      registry.delete(String(metadata.name));
    },
  };
}
