/**
 * Which tables a setup covers: include/exclude patterns with `*` and `?` wildcards over table names.
 * Kusto names are case-sensitive, and so is matching. Patterns are validated before anything runs,
 * so a typo fails the request instead of silently selecting nothing.
 */
import { ValidationError } from '../errors';

const PATTERN = /^[\p{L}\p{N}_ .\-*?]{1,1024}$/u;

/** Validates a list of patterns; `field` names the request field (e.g. `include`). */
export function validatePatterns(patterns: readonly string[], field: string): void {
  patterns.forEach((p, i) => {
    if (!PATTERN.test(p)) {
      throw new ValidationError(
        `${field}[${i}]`,
        'a pattern may contain letters, digits, _, space, ., - and the wildcards * and ?',
      );
    }
  });
}

function toRegExp(pattern: string): RegExp {
  const body = [...pattern]
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch === '.' ? '\\.' : ch))
    .join('');
  return new RegExp(`^${body}$`, 'u');
}

/**
 * Tables matching any include pattern (all tables when `include` is empty) and no exclude pattern,
 * in the order given.
 */
export function selectTables(
  tables: readonly string[],
  include: readonly string[],
  exclude: readonly string[],
): string[] {
  validatePatterns(include, 'include');
  validatePatterns(exclude, 'exclude');
  const inc = include.map(toRegExp);
  const exc = exclude.map(toRegExp);
  return tables.filter(
    (t) => (inc.length === 0 || inc.some((r) => r.test(t))) && !exc.some((r) => r.test(t)),
  );
}
