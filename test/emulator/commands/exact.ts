/**
 * Registration helper: the registry matches patterns as shape prefixes, so a handler for
 * `.show tables` would also catch `.show tables details`. Specs marked `exact` refuse longer shapes
 * (as unsupported) instead of answering them wrongly.
 */
import type { CommandRegistry, CommandSpec } from './registry';
import { unsupported } from '../kql/syntax';

/** A command spec that may only match shapes of exactly its pattern's length. */
export interface ExactSpec extends CommandSpec {
  readonly exact?: boolean;
}

/** Adds specs to the registry, wrapping `exact` ones with the shape-length check. */
export function registerSpecs(registry: CommandRegistry, specs: readonly ExactSpec[]): void {
  for (const spec of specs) {
    if (!spec.exact) {
      registry.add(spec);
      continue;
    }
    registry.add({
      ...spec,
      run(inv) {
        if (inv.shape.length !== spec.pattern.length) {
          throw unsupported(`Control command '.${inv.shape.filter((s) => !s.startsWith('$')).join(' ')}'`);
        }
        return spec.run(inv);
      },
    });
  }
}
