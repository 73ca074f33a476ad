/**
 * Command dispatch. A control command is parsed with the official Kusto parser; its *shape* is the
 * sequence of direct children of the command's top CustomNode, rendered as lower-cased keyword text
 * for tokens and `$name` for names (NameDeclaration/NameReference), `$literal` for literals and
 * `$node` for anything else. Handlers register a pattern that must be a prefix of that shape; the
 * longest matching pattern wins. Handlers then read what they need from the syntax tree.
 */
import type { SyntaxElement } from '../../../lib/kusto/language';
import type { Column, KValue } from '../values';
import type { EmulatorCore } from '../core';

/** A tabular answer (one v1 table). */
export interface CommandResult {
  readonly columns: Column[];
  readonly rows: KValue[][];
}

/** One command invocation as handlers see it. */
export interface CommandInvocation {
  readonly core: EmulatorCore;
  /** Database named in the request body (`db`). */
  readonly database: string;
  /** Full command text as received. */
  readonly text: string;
  /** The CustomCommand node. */
  readonly command: SyntaxElement;
  /** The top CustomNode under the CustomCommand (its children make the shape). */
  readonly body: SyntaxElement;
  /** The computed shape. */
  readonly shape: readonly string[];
  /** Request's client request id, if any. */
  readonly clientRequestId: string | undefined;
}

export interface CommandSpec {
  /** Shape prefix, e.g. `['show', 'continuous-export', '$name', 'failures']`. */
  readonly pattern: readonly string[];
  /** Whether the command changes state (recorded in the command log). */
  readonly mutating: boolean;
  /** Data-management commands (`.get ingestion resources`...) are served with db NetDefaultDB. */
  readonly dataManagement?: boolean;
  /** Whether the request's database must exist (default true; false for DM and cluster-level commands). */
  readonly needsDatabase?: boolean;
  run(inv: CommandInvocation): CommandResult | Promise<CommandResult>;
}

export class CommandRegistry {
  private readonly specs: CommandSpec[] = [];

  add(...specs: CommandSpec[]): void {
    this.specs.push(...specs);
  }

  /** The spec whose pattern is the longest prefix of `shape`, if any. */
  match(shape: readonly string[]): CommandSpec | undefined {
    let best: CommandSpec | undefined;
    for (const spec of this.specs) {
      if (spec.pattern.length > shape.length) continue;
      if (!spec.pattern.every((p, i) => p === shape[i])) continue;
      if (!best || spec.pattern.length > best.pattern.length) best = spec;
    }
    return best;
  }

  all(): readonly CommandSpec[] {
    return this.specs;
  }
}
