/**
 * Resolves a restore request against the backup and the target, reading only: the schema snapshot in
 * force (at `asOf`), the tables it names, each target table's state (missing, compatible,
 * incompatible, exported). The HTTP starter runs it to refuse a bad restore before anything starts
 * (404/409, nothing created); the restore's first activity runs it again before any data moves.
 */
import { NotFoundError } from '../errors';
import type { KustoGateway } from '../kusto/gateway';
import { restoreStagingTableName } from '../names';
import type { CatalogStore } from '../storage/catalog';
import type { RestoreBlobs } from './blobs';
import { parseSnapshotTables, pickSnapshot, snapshotTime } from './snapshot';
import type { SnapshotTable } from './snapshot';
import { exportsOfTable, incompatibilities, readTarget } from './target';
import type { RestoreRequest, RestoreTable } from './types';

/** What resolving reads through. */
export interface ResolveDeps {
  readonly gatewayFor: (clusterUri: string) => KustoGateway;
  readonly catalog: Pick<CatalogStore, 'getTable'>;
  readonly blobs: RestoreBlobs;
}

/** Why a restore is refused: HTTP status, error code and every problem with its field. */
export interface Rejection {
  readonly status: 400 | 404 | 409;
  readonly error: string;
  readonly problems: readonly { readonly field: string; readonly message: string }[];
}

/** A restore that can go ahead. */
export interface ResolvedRestore {
  readonly snapshot: { readonly containerUrl: string; readonly blobName: string; readonly takenAt: string };
  readonly tables: readonly RestoreTable[];
  readonly warnings: readonly string[];
}

const reject = (status: Rejection['status'], error: string, field: string, message: string): Rejection => ({
  status,
  error,
  problems: [{ field, message }],
});

/** The snapshot in force at `asOf` across the backup containers (the latest one of them all). */
async function findSnapshot(
  blobs: RestoreBlobs,
  request: RestoreRequest,
): Promise<{ containerUrl: string; blobName: string } | undefined> {
  const asOf = request.asOf === null ? null : new Date(request.asOf);
  let best: { containerUrl: string; blobName: string; at: number } | undefined;
  for (const containerUrl of request.source.containers) {
    const names = await blobs.listNames(containerUrl, `${request.source.database}/_schema/`);
    const name = pickSnapshot(names, asOf);
    const at = name === undefined ? undefined : snapshotTime(name)!.getTime();
    if (name !== undefined && at !== undefined && (!best || at > best.at))
      best = { containerUrl, blobName: name, at };
  }
  return best;
}

/** The snapshot tables the request selects, or the first table it names that the backup lacks. */
function selectTables(
  request: RestoreRequest,
  tables: readonly SnapshotTable[],
): { selected: SnapshotTable[] } | { rejection: Rejection } {
  const byName = new Map(tables.map((t) => [t.name, t] as const));
  const names = request.source.tables === 'all' ? tables.map((t) => t.name) : request.source.tables;
  for (const [i, name] of names.entries()) {
    if (!byName.has(name))
      return {
        rejection: reject(404, 'table-not-found', `source.tables[${i}]`, `the backup has no table '${name}'`),
      };
  }
  for (const from of Object.keys(request.renames)) {
    if (!byName.has(from))
      return {
        rejection: reject(404, 'table-not-found', `renames.${from}`, `the backup has no table '${from}'`),
      };
  }
  const selected = names.map((n) => byName.get(n)!);
  const targets = new Map<string, string>();
  for (const t of selected) {
    const target = request.renames[t.name] ?? t.name;
    const other = targets.get(target);
    if (other !== undefined)
      return {
        rejection: reject(
          400,
          'invalid-request',
          `renames`,
          `'${other}' and '${t.name}' would both be restored into '${target}'`,
        ),
      };
    targets.set(target, t.name);
  }
  return { selected };
}

/**
 * Resolves `request`. `createdTargets` are target tables an earlier run of the same restore created
 * (they exist now, but not because of the user).
 */
export async function resolveRestore(
  deps: ResolveDeps,
  request: RestoreRequest,
  createdTargets: ReadonlySet<string> = new Set(),
): Promise<{ resolved: ResolvedRestore } | { rejection: Rejection }> {
  const snapshot = await findSnapshot(deps.blobs, request);
  if (!snapshot) {
    const when = request.asOf === null ? '' : ` taken at or before ${request.asOf}`;
    return {
      rejection: reject(
        404,
        'backup-not-found',
        request.asOf === null ? 'source.database' : 'asOf',
        `no schema snapshot of database '${request.source.database}'${when} in the backup containers`,
      ),
    };
  }
  const text = await deps.blobs.readText(snapshot.containerUrl, snapshot.blobName);
  const picked = selectTables(request, parseSnapshotTables(text));
  if ('rejection' in picked) return picked;
  let target;
  try {
    target = await readTarget(deps.gatewayFor(request.target.clusterUri), request.target.database);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    return { rejection: reject(404, 'target-database-not-found', 'target.database', error.message) };
  }
  const problems: { status: 409; error: string; field: string; message: string }[] = [];
  const warnings: string[] = [];
  const tables: RestoreTable[] = [];
  for (const t of picked.selected) {
    const name = request.renames[t.name] ?? t.name;
    const field = `target.tables.${name}`;
    const existing = target.tables.get(name);
    const exists = existing !== undefined && !createdTargets.has(name);
    if (exists && request.mode === 'new-tables')
      problems.push({
        status: 409,
        error: 'target-table-exists',
        field,
        message: `table '${name}' already exists in the target (mode new-tables); use mode append or a rename`,
      });
    const incompatible = existing === undefined ? [] : incompatibilities(t.columns, existing);
    if (incompatible.length > 0)
      problems.push({
        status: 409,
        error: 'target-table-incompatible',
        field,
        message: `table '${name}' cannot receive the backup's rows: ${incompatible.join('; ')}`,
      });
    const exportedBy = exportsOfTable(target.exports, name);
    if (exportedBy.length > 0 && !request.allowExportedTarget)
      problems.push({
        status: 409,
        error: 'target-exported',
        field,
        message: `table '${name}' is exported by continuous export ${exportedBy.join(', ')}: restored rows would be exported again; set allowExportedTarget to restore anyway`,
      });
    else if (exportedBy.length > 0)
      warnings.push(
        `rows restored into '${name}' may be exported again by continuous export ${exportedBy.join(', ')}`,
      );
    const record =
      request.source.clusterUri === null
        ? undefined
        : await deps.catalog.getTable(request.source.clusterUri, request.source.database, t.name);
    tables.push({
      source: t.name,
      target: name,
      staging: restoreStagingTableName(request.restoreId, name),
      columns: t.columns,
      // Only a datetime column the snapshot still has; otherwise progress is counted per table.
      partitionColumn: t.columns.some((c) => c.name === record?.partitionColumn && c.type === 'datetime')
        ? record!.partitionColumn
        : null,
      targetExists: exists,
      exportedBy,
    });
  }
  const [first] = problems;
  if (first)
    return {
      rejection: {
        status: first.status,
        error: first.error,
        problems: problems.map((p) => ({ field: p.field, message: p.message })),
      },
    };
  return {
    resolved: {
      snapshot: { ...snapshot, takenAt: snapshotTime(snapshot.blobName)!.toISOString() },
      tables,
      warnings,
    },
  };
}
