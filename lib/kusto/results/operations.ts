/**
 * Readers for asynchronous operations and the capacity that bounds how many may run (reference
 * §1.6, §1.7, §1.17).
 */
import { PermanentError } from '../../errors';
import type { ResultTable } from '../types';
import { rowsOf } from './cells';

/** Reads the answer of `.export async ...`: one row with the `OperationId`. */
export function parseOperationId(table: ResultTable): string {
  const rows = rowsOf(table, 'export async result', ['OperationId']);
  const id = rows[0]?.str('OperationId') ?? '';
  if (rows.length !== 1 || id === '') {
    throw new PermanentError(`export async result: expected one OperationId, got ${rows.length} row(s)`);
  }
  return id;
}

/** One row of `.show operations` (reference §1.7). Only the id, state and status are required. */
export interface KustoOperation {
  readonly operationId: string;
  readonly operation?: string;
  readonly nodeId?: string;
  readonly startedOn?: Date;
  readonly lastUpdatedOn?: Date;
  readonly durationMs?: number;
  /** `InProgress`, `Completed`, `Failed`, `PartiallySucceeded`, `Abandoned`, `BadInput`, `Scheduled`, `Throttled`, `Canceled`, `Skipped`. */
  readonly state: string;
  /** Error text for failures. */
  readonly status: string;
  readonly rootActivityId?: string;
  readonly shouldRetry?: boolean;
  readonly database?: string;
  readonly principal?: string;
  readonly user?: string;
}

/** Reads `.show operations` in any of its forms, projected ones (`| project OperationId, State, ...`) included. */
export function parseOperations(table: ResultTable): KustoOperation[] {
  return rowsOf(
    table,
    'operations',
    ['OperationId', 'State', 'Status'],
    [
      'Operation',
      'NodeId',
      'StartedOn',
      'LastUpdatedOn',
      'Duration',
      'RootActivityId',
      'ShouldRetry',
      'Database',
      'Principal',
      'User',
    ],
  ).map((r) => ({
    operationId: r.str('OperationId'),
    operation: r.optStr('Operation'),
    nodeId: r.optStr('NodeId'),
    startedOn: r.date('StartedOn'),
    lastUpdatedOn: r.date('LastUpdatedOn'),
    durationMs: r.timespanMs('Duration'),
    state: r.str('State'),
    status: r.str('Status'),
    rootActivityId: r.optStr('RootActivityId'),
    shouldRetry: r.bool('ShouldRetry'),
    database: r.optStr('Database'),
    principal: r.optStr('Principal'),
    user: r.optStr('User'),
  }));
}

/**
 * The latest row per operation id (`.show operations` without ids returns several rows per
 * operation): the one with the greatest `LastUpdatedOn`, later rows winning ties.
 */
export function latestByOperationId(operations: readonly KustoOperation[]): Map<string, KustoOperation> {
  const latest = new Map<string, KustoOperation>();
  for (const op of operations) {
    const seen = latest.get(op.operationId);
    if (!seen || (op.lastUpdatedOn?.getTime() ?? -Infinity) >= (seen.lastUpdatedOn?.getTime() ?? -Infinity)) {
      latest.set(op.operationId, op);
    }
  }
  return latest;
}

/** One row of `.show capacity` (reference §1.17). */
export interface Capacity {
  readonly resource: string;
  readonly total: number;
  readonly consumed: number;
  readonly remaining: number;
  readonly origin?: string;
}

/** Reads `.show capacity`. */
export function parseCapacity(table: ResultTable): Capacity[] {
  return rowsOf(table, 'capacity', ['Resource', 'Total', 'Consumed', 'Remaining'], ['Origin']).map((r) => ({
    resource: r.str('Resource'),
    total: r.long('Total') ?? 0,
    consumed: r.long('Consumed') ?? 0,
    remaining: r.long('Remaining') ?? 0,
    origin: r.optStr('Origin'),
  }));
}

const resourceKey = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * The capacity row of a resource, whatever its spelling on this cluster version
 * (`DataExport`, `data-export`, ...; reference §1.17 leaves it unconfirmed).
 */
export function findCapacity(capacities: readonly Capacity[], resource: string): Capacity | undefined {
  const key = resourceKey(resource);
  return capacities.find((c) => resourceKey(c.resource) === key);
}
