/**
 * `adx-backup deletions list|add`: the deletion ledger. `add` goes through the same validation and
 * recording as `POST /api/deletions` (`parseDeletionRequest`, `recordDeletion`): the predicate is
 * checked against the live table, recorded, then run on the source. `list` reads the ledger and
 * verifies each table's hash chain. Predicates may hold personal data: they are printed only to the
 * operator who asked, never logged.
 */
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { recordDeletion } from '../../deletions/record';
import { summarizeDeletions } from '../../deletions/status';
import { ValidationError } from '../../errors';
import { DeletionRequestError, parseDeletionRequest } from '../../http/deletionRequest';
import type { CommandContext } from '../context';
import { printResult } from '../context';
import { OperationFailed, UsageError } from '../io';
import { clusterOption, nameOption } from '../options';
import { renderTable } from '../table';

/** Options of `deletions add`. */
export interface DeletionAddOptions {
  readonly cluster?: string;
  readonly database?: string;
  readonly table?: string;
  readonly predicate?: string;
  readonly kind?: string;
  readonly recordOnly?: boolean;
  readonly requestedBy?: string;
}

/** Options of `deletions list`. */
export interface DeletionListOptions {
  readonly database?: string;
  readonly table?: string;
}

const OPTION_OF: Record<string, string> = {
  clusterUri: '--cluster',
  database: '--database',
  table: '--table',
  predicate: '--predicate',
  kind: '--kind',
  requestedBy: '--requested-by',
};

function whoAmI(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

/** Runs `deletions add`; resolves with the exit code (1 when the command failed on the source). */
export async function deletionAddCommand(ctx: CommandContext, opts: DeletionAddOptions): Promise<number> {
  const clusterUri = clusterOption(opts.cluster, ctx.config);
  if (opts.predicate === undefined) throw new UsageError('--predicate', 'is required');
  let request;
  try {
    request = parseDeletionRequest(
      {
        clusterUri,
        database: nameOption(opts.database, '--database'),
        table: nameOption(opts.table, '--table'),
        predicate: opts.predicate,
        kind: opts.kind ?? 'delete',
        execute: opts.recordOnly !== true,
        requestedBy: opts.requestedBy ?? whoAmI(),
      },
      { principal: null },
    );
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const first = error instanceof DeletionRequestError ? error.problems[0] : undefined;
    const field = first?.field ?? error.field;
    throw new UsageError(OPTION_OF[field] ?? field, first?.message ?? error.message);
  }
  const deps = ctx.deps();
  let deletion;
  try {
    deletion = await recordDeletion(
      {
        gateway: deps.gatewayFor(clusterUri),
        ledger: deps.ledger(),
        now: () => new Date(),
        newId: randomUUID,
      },
      request,
    );
  } catch (error) {
    // A predicate that does not fit the live table is still a usage error, found by one read.
    if (error instanceof ValidationError)
      throw new UsageError(OPTION_OF[error.field] ?? '--predicate', error.message);
    throw error;
  }
  printResult(
    ctx,
    { deletion },
    `deletion ${deletion.id} (${deletion.kind}) of ${deletion.database}.${deletion.table}: ${deletion.status}` +
      (deletion.message ? ` (${deletion.message})` : ''),
  );
  if (deletion.status === 'failed' || deletion.status === 'unknown') {
    throw new OperationFailed(
      `the ${deletion.kind} was recorded but ${deletion.status === 'failed' ? 'failed' : 'may not have run'} on the source`,
    );
  }
  return 0;
}

/** Runs `deletions list`; resolves with the exit code (1 when a table's chain fails verification). */
export async function deletionListCommand(ctx: CommandContext, opts: DeletionListOptions): Promise<number> {
  const database = nameOption(opts.database, '--database');
  const table = opts.table === undefined ? undefined : nameOption(opts.table, '--table');
  const ledger = ctx.deps().ledger();
  const chains =
    table === undefined ? await ledger.readDatabase(database) : [await ledger.readTable(database, table)];
  const tables = chains.map((c) => ({
    table: c.table,
    chain: c.verification,
    deletions: summarizeDeletions(c.entries),
  }));
  const rows = tables.flatMap((t) =>
    t.deletions.map((d) => [t.table, d.id, d.kind, d.status, d.requestedAt, d.requestedBy, d.predicate]),
  );
  const broken = tables.filter((t) => !t.chain.valid);
  printResult(
    ctx,
    { database, table: table ?? null, tables },
    [
      rows.length === 0
        ? `no deletions recorded for ${database}${table ? `.${table}` : ''}`
        : renderTable(['table', 'id', 'kind', 'status', 'requested', 'by', 'predicate'], rows),
      ...broken.map(
        (t) => `ledger chain of ${t.table} FAILS verification: ${JSON.stringify(t.chain.problems)}`,
      ),
    ].join('\n'),
  );
  return broken.length === 0 ? 0 : 1;
}
