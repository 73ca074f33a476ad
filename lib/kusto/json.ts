/**
 * Defensive readers for loosely typed JSON: Kusto answers put JSON in string cells, error bodies
 * arrive as text or objects, and nothing in them is guaranteed, so every reader tolerates junk.
 */

/** The value as a plain object, or undefined for null, arrays and scalars. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The value when it is a non-empty string; Kusto sends `""` where a field is not set. */
export function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** JSON text (or an already-parsed value) to a value; undefined when it is not valid JSON. */
export function lenientJson(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? undefined;
  if (value.trim() === '') return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}
