/**
 * Async operations (reference §1.7, §1.8) and export capacity (§1.17): starting an operation in the
 * background on the real event loop, its state changes, `.show operations` in log mode and by id,
 * `.show operation X details`, `.show capacity`, and `loseOperation` for tests that need an id to
 * disappear before its 6 hours are up.
 *
 * Operation names for exports are not confirmed by any source (reference appendix 1): the emulator
 * uses `DataExportToFile` (seen as the command type of `.export to csv` in the Spark connector's
 * tests) for storage exports and `DataExportToExternalTable` for exports to an external table.
 */
import { childrenOf } from '../../../lib/kusto/language';
import type { CommandRegistry, CommandResult } from '../commands/registry';
import type { EmulatorCore } from '../core';
import { isLiteral, literalValue } from '../kql/literals';
import { KustoError } from '../kustoError';
import { CAPACITY, OPERATIONS } from '../schemas';
import type { EmulatorState, Operation, OperationState } from '../state';
import type { KValue } from '../values';
import { activityOf, exportsInFlight } from './activity';
import { ExportWriteError } from './writer';
import { leaves, valueText } from './syntax';

/** Operation name of `.export async to table`. [unconfirmed] */
export const EXPORT_TO_TABLE_OPERATION = 'DataExportToExternalTable';
/** Operation name of `.export async to csv|parquet|...`. [unconfirmed] */
export const EXPORT_TO_STORAGE_OPERATION = 'DataExportToFile';

const HOUR = 3_600_000;
/** By-id lookups only see operations updated within this window (reference §1.7). */
export const OPERATION_ID_WINDOW_MS = 6 * HOUR;
/** Log mode shows this much history. */
export const OPERATION_LOG_RETENTION_MS = 14 * 24 * HOUR;

/** How often a held operation checks whether it may proceed (real time). */
const HOLD_POLL_MS = 5;

/** The throttling text for an export that finds no free capacity (reference §4 format; Origin unconfirmed). */
export function exportThrottledMessage(commandType: string, capacity: number): string {
  return `The management command was aborted due to throttling. Retrying after some backoff might succeed. CommandType: '${commandType}', Capacity: ${capacity}, Origin: 'CapacityPolicy/Export'`;
}

/** 429 for a synchronous export that finds no free capacity. */
export function exportThrottled(commandType: string, capacity: number): KustoError {
  return new KustoError(
    429,
    'TooManyRequests',
    exportThrottledMessage(commandType, capacity),
    'Kusto.DataNode.Exceptions.ControlCommandThrottledException',
    false,
  );
}

/** Moves an operation to a new state and appends the log record. */
export function setOperationState(
  state: EmulatorState,
  op: Operation,
  next: OperationState,
  status: string,
  shouldRetry: boolean,
): void {
  op.state = next;
  op.status = status;
  op.shouldRetry = shouldRetry;
  op.lastUpdatedOn = state.clock.now();
  op.log.push({ lastUpdatedOn: op.lastUpdatedOn, state: next, status, shouldRetry });
}

function newOperation(state: EmulatorState, database: string, name: string): Operation {
  const now = state.clock.now();
  const op: Operation = {
    id: state.newId(),
    operation: name,
    database,
    rootActivityId: state.newId(),
    startedOn: now,
    lastUpdatedOn: now,
    state: 'InProgress',
    status: '',
    shouldRetry: false,
    details: null,
    log: [],
    lost: false,
  };
  state.operations.set(op.id, op);
  return op;
}

/** Resolves once `faults.holdOperations` is off. */
async function whileHeld(core: EmulatorCore): Promise<void> {
  while (core.faults.holdOperations) await new Promise((resolve) => setTimeout(resolve, HOLD_POLL_MS));
}

/**
 * Starts `work` as an async operation and returns its id at once. Without free export capacity
 * the operation is recorded as Throttled (ShouldRetry true) and never runs. Otherwise it runs in the
 * background: Completed with the work's result as details, or Failed with the error text and
 * ShouldRetry from the error's transience.
 */
export function startOperation(
  core: EmulatorCore,
  database: string,
  name: string,
  work: () => Promise<CommandResult>,
): string {
  const { state } = core;
  const op = newOperation(state, database, name);
  if (exportsInFlight(state) >= state.capacity.exportTotal) {
    setOperationState(state, op, 'Throttled', exportThrottledMessage(name, state.capacity.exportTotal), true);
    return op.id;
  }
  setOperationState(state, op, 'InProgress', '', false);
  const activity = activityOf(state);
  const run = async (): Promise<void> => {
    try {
      await whileHeld(core);
      const result = await work();
      op.details = { columns: result.columns, rows: result.rows };
      setOperationState(state, op, 'Completed', '', false);
    } catch (error) {
      const kusto =
        error instanceof ExportWriteError
          ? error.kustoError
          : error instanceof KustoError
            ? error
            : undefined;
      const message = kusto?.message ?? (error as Error).message ?? String(error);
      setOperationState(state, op, 'Failed', message, kusto ? !kusto.permanent : false);
    } finally {
      activity.async.delete(op.id);
    }
  };
  // Registered before it starts so capacity counts it from the first moment. The work starts on a
  // later turn of the event loop so the command answers with the OperationId at once, as ADX does,
  // instead of after the export has run.
  const promise = new Promise<void>((resolve) => setImmediate(resolve)).then(run);
  activity.async.set(op.id, promise);
  return op.id;
}

/** Makes by-id lookups forget an operation (what happens to real operations after ~6 hours). */
export function loseOperation(core: EmulatorCore, id: string): boolean {
  const op = core.state.operations.get(id.toLowerCase());
  if (!op) return false;
  op.lost = true;
  return true;
}

const adminEpochs = new WeakMap<EmulatorState, number>();

/** When this emulator's admin node "started": the first time anybody asked. */
function adminEpoch(state: EmulatorState): number {
  let epoch = adminEpochs.get(state);
  if (epoch === undefined) {
    epoch = state.clock.now();
    adminEpochs.set(state, epoch);
  }
  return epoch;
}

function operationRow(
  state: EmulatorState,
  op: Operation,
  record: { lastUpdatedOn: number; state: OperationState; status: string; shouldRetry: boolean },
): KValue[] {
  return [
    op.id,
    op.operation,
    '',
    op.startedOn,
    record.lastUpdatedOn,
    Math.max(0, record.lastUpdatedOn - op.startedOn),
    record.state,
    record.status,
    op.rootActivityId,
    record.shouldRetry,
    op.database,
    '',
    '',
    adminEpoch(state),
    '',
  ];
}

/** `.show operations`: every state change of the last 14 days, oldest first (log mode). */
export function operationLog(state: EmulatorState): KValue[][] {
  const since = state.clock.now() - OPERATION_LOG_RETENTION_MS;
  const rows: { at: number; row: KValue[] }[] = [];
  for (const op of state.operations.values()) {
    for (const record of op.log)
      if (record.lastUpdatedOn >= since)
        rows.push({ at: record.lastUpdatedOn, row: operationRow(state, op, record) });
  }
  return rows.sort((a, b) => a.at - b.at).map((r) => r.row);
}

/**
 * `.show operations (ids)`: the latest record per id, for operations updated less than 6 hours ago
 * (running ones count as fresh) and not lost. Unknown ids are simply absent.
 */
export function operationsById(state: EmulatorState, ids: readonly string[]): KValue[][] {
  const now = state.clock.now();
  const rows: KValue[][] = [];
  const seen = new Set<string>();
  for (const raw of ids) {
    const id = raw.trim().toLowerCase();
    if (seen.has(id)) continue;
    seen.add(id);
    const op = state.operations.get(id);
    if (!op || op.lost) continue;
    if (op.state !== 'InProgress' && now - op.lastUpdatedOn >= OPERATION_ID_WINDOW_MS) continue;
    rows.push(operationRow(state, op, op));
  }
  return rows;
}

/** Literal values (guids or strings) below the command's children after `show operations`. */
function idsOf(children: ReturnType<typeof childrenOf>): string[] {
  return children
    .flatMap(leaves)
    .filter((leaf) => !leaf.IsToken && isLiteral(leaf))
    .map((leaf) => valueText(literalValue(leaf).value ?? ''));
}

/** Ingestion capacity shown beside exports: the documented formula for one 8-core node (min(512, 8 × 0.75)). */
const INGESTION_CAPACITY = 6;

/** `.show capacity` rows (reference §1.17): DataExport from `capacity.exportTotal` and running exports, plus Ingestions. */
export function capacityRows(state: EmulatorState): KValue[][] {
  const exportTotal = state.capacity.exportTotal;
  const exportUsed = Math.min(exportsInFlight(state), exportTotal);
  return [
    ['Ingestions', INGESTION_CAPACITY, 0, INGESTION_CAPACITY, 'CapacityPolicy/Ingestion'],
    ['DataExport', exportTotal, exportUsed, exportTotal - exportUsed, 'CapacityPolicy/Export'],
  ];
}

/** Registers `.show operations`, `.show operation X details` and `.show capacity`. */
export function registerOperationCommands(registry: CommandRegistry): void {
  registry.add(
    {
      pattern: ['show', 'operations'],
      mutating: false,
      run(inv) {
        const rest = childrenOf(inv.body).slice(2);
        const rows =
          rest.length === 0 ? operationLog(inv.core.state) : operationsById(inv.core.state, idsOf(rest));
        return { columns: OPERATIONS, rows };
      },
    },
    {
      pattern: ['show', 'operation', '$literal', 'details'],
      mutating: false,
      run(inv) {
        const id = idsOf(childrenOf(inv.body).slice(2, 3))[0] ?? '';
        const op = inv.core.state.operations.get(id.toLowerCase());
        if (!op || op.lost) throw KustoError.notFound('Operation', id);
        if (op.state !== 'Completed' || !op.details) {
          throw KustoError.badRequest(
            `Operation '${id}' has no details: details are available only for operations that completed successfully (state: ${op.state}).`,
          );
        }
        return { columns: op.details.columns, rows: op.details.rows };
      },
    },
    {
      pattern: ['show', 'capacity'],
      mutating: false,
      run(inv) {
        const rows = capacityRows(inv.core.state);
        const filter = childrenOf(inv.body)
          .slice(2)
          .flatMap(leaves)
          .map((l) => String(l.Text).toLowerCase().replace(/[-_]/g, ''))
          .join('');
        return {
          columns: CAPACITY,
          rows: filter ? rows.filter((r) => valueText(r[0]).toLowerCase() === filter) : rows,
        };
      },
    },
  );
}
