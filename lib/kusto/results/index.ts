/**
 * Typed readers for the result tables of the commands the control plane sends (reference §1, §3).
 * The row-access machinery in `cells.ts` stays internal: only the scalar parsers are public.
 */
export { parseKustoDateTime, parseKustoTimespan } from './cells';
export * from './exports';
export * from './extents';
export * from './ingestion';
export * from './operations';
export * from './schema';
