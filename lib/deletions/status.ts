/**
 * What the ledger's entries say about each deletion: one summary per `deletion` entry with its
 * status (from its `execution` entry) and its scrubs. Pure.
 */
import type {
  DeletionEntry,
  DeletionKind,
  LedgerDetails,
  LedgerEntry,
  LedgerOutcome,
  PredicateColumn,
} from '../storage/ledgerChain';

/**
 * `succeeded` / `failed`: the command ran on the source with that outcome. `unknown`: it was sent but
 * the answer was lost, so it may have run. `recorded`: recorded only (`execute: false`, the rows were
 * removed some other way). `pending`: no outcome was recorded (in flight, or the process stopped
 * between sending the command and recording its outcome).
 */
export type DeletionStatus = LedgerOutcome | 'recorded' | 'pending';

/** One scrub of the backup for a deletion. */
export interface ScrubRecord {
  readonly id: string;
  readonly time: string;
  readonly outcome: LedgerOutcome;
  readonly message: string;
  readonly details: LedgerDetails;
}

/** A deletion as the API and the restore see it. */
export interface DeletionSummary {
  readonly id: string;
  /** Position of the deletion entry in its table's chain: deletions apply in this order. */
  readonly seq: number;
  readonly cluster: string;
  readonly database: string;
  readonly table: string;
  readonly kind: DeletionKind;
  readonly predicate: string;
  readonly columns: readonly PredicateColumn[];
  readonly requestedBy: string;
  readonly principal: string | null;
  readonly requestedAt: string;
  readonly execute: boolean;
  readonly status: DeletionStatus;
  /** When the outcome was recorded. */
  readonly executedAt: string | null;
  /** The server's message on failure, a summary on success. */
  readonly message: string | null;
  readonly details: LedgerDetails | null;
  readonly scrubs: readonly ScrubRecord[];
}

/** Summaries of every deletion among `entries` (one table's chain or several), in chain order. */
export function summarizeDeletions(entries: readonly LedgerEntry[]): DeletionSummary[] {
  const executions = new Map<string, LedgerEntry & { type: 'execution' }>();
  const scrubs = new Map<string, ScrubRecord[]>();
  for (const e of entries) {
    if (e.type === 'execution' && !executions.has(e.deletionId)) executions.set(e.deletionId, e);
    if (e.type === 'scrub') {
      const { id, time, outcome, message, details } = e;
      scrubs.set(e.deletionId, [
        ...(scrubs.get(e.deletionId) ?? []),
        { id, time, outcome, message, details },
      ]);
    }
  }
  return entries
    .filter((e): e is DeletionEntry => e.type === 'deletion')
    .map((d) => {
      const execution = executions.get(d.id);
      const status: DeletionStatus = !d.execute ? 'recorded' : (execution?.outcome ?? 'pending');
      return {
        id: d.id,
        seq: d.seq,
        cluster: d.cluster,
        database: d.database,
        table: d.table,
        kind: d.kind,
        predicate: d.predicate,
        columns: d.columns,
        requestedBy: d.requestedBy,
        principal: d.principal,
        requestedAt: d.time,
        execute: d.execute,
        status,
        executedAt: execution?.time ?? null,
        message: execution?.message ?? null,
        details: execution?.details ?? null,
        scrubs: scrubs.get(d.id) ?? [],
      };
    });
}

/**
 * Whether a restore must re-apply the deletion. Only a deletion that failed on the source is left
 * out (its rows are still in the source); one whose outcome is unknown or pending is applied, since
 * restoring rows that may have been purged is the worse mistake.
 */
export function appliesOnRestore(deletion: Pick<DeletionSummary, 'status'>): boolean {
  return deletion.status !== 'failed';
}
