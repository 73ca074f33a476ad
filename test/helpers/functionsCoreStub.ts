/**
 * Stand-in for `@azure/functions-core`, the module only the Functions host injects. With it,
 * `app.*` and `df.app.*` registrations hand their real (wrapped) handlers to this registry instead of
 * being dropped in "test mode", so tests drive the production registration code unchanged.
 * Jest maps the module name here (jest.config.js); scripts outside Jest install it with
 * `installFunctionsCoreStub()` from durableReplay.ts.
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

export function setProgrammingModel(): void {}
export function getProgrammingModel(): undefined {
  return undefined;
}
export function registerHook(): { dispose(): void } {
  return { dispose() {} };
}
export function registerFunction(metadata: any, handler: (...args: any[]) => unknown): { dispose(): void } {
  const bindings = Object.values((metadata?.bindings ?? {}) as Record<string, { type: string }>);
  const trigger = bindings.find((b) => /Trigger$/i.test(b.type));
  registry.set(String(metadata.name), { type: trigger?.type, metadata, handler });
  return {
    dispose() {
      registry.delete(String(metadata.name));
    },
  };
}
