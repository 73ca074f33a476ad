/**
 * Continuous-export commands (reference §1.1–§1.5): `.create-or-alter continuous-export`, `.show
 * continuous-exports`, `.show continuous-export N [exported-artifacts | failures]`, `.enable`,
 * `.disable` and `.drop continuous-export N`. Definitions are validated against the state the
 * way the docs describe; runs happen in `runner.ts`.
 */
import { childrenOf } from '../../../lib/kusto/language';
import { childNodes, isName, namesIn, queryInput } from '../commands/nodes';
import type { CommandInvocation, CommandRegistry, CommandResult } from '../commands/registry';
import type { EmulatorCore } from '../core';
import { nameOf } from '../kql/literals';
import { KustoError } from '../kustoError';
import { CONTINUOUS_EXPORT, EXPORT_FAILURES, EXPORTED_ARTIFACTS } from '../schemas';
import type { ContinuousExport, Database, ExternalTable } from '../state';
import { requireDatabase, touchSchema } from '../tables';
import type { KValue } from '../values';
import { parseConnectionString } from './connectionStrings';
import { externalTableNotFound, runQuery, schemaMismatch, schemaMismatchError, schemaOnlyEnv } from './query';
import {
  clause,
  leadingToken,
  propertyEntries,
  referencedTables,
  tokenText,
  valueText,
  type PropertyEntry,
} from './syntax';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Artifact and failure history is kept this long (reference §1.2, §1.3). */
export const HISTORY_RETENTION_MS = 14 * DAY;
/** Default `intervalBetweenRuns` when none is given (the docs give no default) [unconfirmed]. */
export const DEFAULT_INTERVAL_MS = 60 * MINUTE;
/** Largest `sizeLimit` a continuous export accepts (1 GB, reference §1.4). */
const MAX_SIZE_LIMIT = 1024 * 1024 * 1024;

/** Properties shown in `ExportProperties`, with the casing the JSON uses. */
const EXPORT_PROPERTY_KEYS: Readonly<Record<string, string>> = {
  sizelimit: 'SizeLimit',
  distributed: 'Distributed',
  distribution: 'Distribution',
  distributionkind: 'DistributionKind',
  parquetrowgroupsize: 'ParquetRowGroupSize',
  usenativeparquetwriter: 'UseNativeParquetWriter',
  managedidentity: 'ManagedIdentity',
};
/** Properties with columns of their own (or none shown). */
const OTHER_PROPERTIES = new Set(['intervalbetweenruns', 'forcedlatency', 'isdisabled']);

/** A continuous export by name, or a 400. */
export function requireContinuousExport(db: Database, name: string): ContinuousExport {
  const exp = db.continuousExports.get(name);
  if (!exp) throw KustoError.notFound('Continuous export', name);
  return exp;
}

/** A property of an export by case-insensitive name. */
export function exportProperty(exp: ContinuousExport, name: string): unknown {
  const key = Object.keys(exp.properties).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : exp.properties[key];
}

/** `ExportProperties` JSON (2-space indented, as in the docs' example `{\n  "SizeLimit": 104857600\n}`). */
export function exportPropertiesJson(exp: ContinuousExport): string {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(exp.properties)) {
    const key = EXPORT_PROPERTY_KEYS[name.toLowerCase()];
    if (key) out[key] = value;
  }
  return JSON.stringify(out, null, 2);
}

/** `CursorScopedTables` JSON: `[\n  "['DB'].['T']"\n]`. */
export function cursorScopedTablesJson(database: string, tables: readonly string[]): string {
  const quote = (s: string): string => s.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
  return JSON.stringify(
    tables.map((t) => `['${quote(database)}'].['${quote(t)}']`),
    null,
    2,
  );
}

/** One `CONTINUOUS_EXPORT` row (all 13 columns). */
export function continuousExportRow(database: string, exp: ContinuousExport): KValue[] {
  return [
    exp.name,
    exp.externalTableName,
    exp.query,
    exp.forcedLatency,
    exp.intervalBetweenRuns,
    cursorScopedTablesJson(database, exp.cursorScopedTables),
    exportPropertiesJson(exp),
    exp.lastRunTime,
    exp.startCursor.toString(),
    exp.isDisabled,
    exp.lastRunResult ?? '',
    exp.exportedTo,
    exp.isRunning,
  ];
}

function rowsOf(db: Database, exports: Iterable<ContinuousExport>): CommandResult {
  return { columns: CONTINUOUS_EXPORT, rows: [...exports].map((e) => continuousExportRow(db.name, e)) };
}

/** Decoded and validated `with (...)` properties of a continuous export. */
interface ExportSettings {
  readonly properties: Record<string, unknown>;
  readonly intervalBetweenRuns: number | undefined;
  readonly forcedLatency: number | undefined;
  readonly isDisabled: boolean | undefined;
}

function asTimespan(entry: PropertyEntry): number {
  if (typeof entry.value !== 'number' || !Number.isFinite(entry.value) || entry.value < 0) {
    throw KustoError.badRequest(
      `Continuous export property '${entry.name}' must be a non-negative timespan.`,
    );
  }
  return entry.value;
}

function settingsOf(entries: readonly PropertyEntry[]): ExportSettings {
  const properties: Record<string, unknown> = {};
  let intervalBetweenRuns: number | undefined;
  let forcedLatency: number | undefined;
  let isDisabled: boolean | undefined;
  for (const entry of entries) {
    const key = entry.name.toLowerCase();
    if (!EXPORT_PROPERTY_KEYS[key] && !OTHER_PROPERTIES.has(key)) {
      throw KustoError.badRequest(`'${entry.name}' is not a valid continuous export property.`);
    }
    properties[entry.name] = entry.value;
    if (key === 'intervalbetweenruns') {
      intervalBetweenRuns = asTimespan(entry);
      if (intervalBetweenRuns < MINUTE)
        throw KustoError.badRequest('intervalBetweenRuns must be at least 1 minute.');
    } else if (key === 'forcedlatency') {
      forcedLatency = asTimespan(entry);
    } else if (key === 'isdisabled') {
      isDisabled = entry.value === true || valueText(entry.value).toLowerCase() === 'true';
    } else if (key === 'sizelimit') {
      const n = Number(entry.value);
      if (!Number.isFinite(n) || n <= 0 || n > MAX_SIZE_LIMIT)
        throw KustoError.badRequest('sizeLimit must be a positive number of bytes, at most 1 GB.');
    } else if (key === 'parquetrowgroupsize') {
      const n = Number(entry.value);
      if (!Number.isInteger(n) || n <= 0)
        throw KustoError.badRequest('parquetRowGroupSize must be a positive integer.');
    }
  }
  return { properties, intervalBetweenRuns, forcedLatency, isDisabled };
}

/**
 * The fact tables of a definition: the `over (...)` list, or every table the query references. They
 * must be tables of the database with the IngestionTime policy enabled (reference §1.4).
 */
function factTablesOf(db: Database, over: readonly string[] | undefined, query: string): string[] {
  const tables = over ?? referencedTables(query, new Set(db.tables.keys()));
  if (tables.length === 0)
    throw KustoError.badRequest(
      'A continuous export needs at least one fact table: the query references no table of the database.',
    );
  for (const name of tables) {
    const table = db.tables.get(name);
    if (!table) throw KustoError.notFound('Table', name);
    if (!table.ingestionTimePolicy) {
      throw KustoError.badRequest(
        `Continuous export requires the IngestionTime policy to be enabled on fact table '${name}'.`,
      );
    }
  }
  return [...tables];
}

/** The docs' error for impersonation without a managed identity (create-alter-continuous.md). */
function checkIdentity(table: ExternalTable, settings: ExportSettings): void {
  const usesImpersonation = table.connectionStrings.some((cs) => /;\s*impersonate\s*$/i.test(cs.trim()));
  const identity = Object.entries(settings.properties).find(
    ([k]) => k.toLowerCase() === 'managedidentity',
  )?.[1];
  if (
    usesImpersonation &&
    (identity === undefined || identity === null || valueText(identity).trim() === '')
  ) {
    throw KustoError.badRequest(
      "Error: continuous export to external tables with impersonation requires setting the 'managedIdentity' property in the continuous export configuration.",
    );
  }
  for (const cs of table.connectionStrings) parseConnectionString(cs);
}

async function createOrAlter(inv: CommandInvocation): Promise<CommandResult> {
  const { core } = inv;
  const db = requireDatabase(core, inv.database);
  const children = childrenOf(inv.body);
  const nameNode = children.find(isName);
  if (!nameNode) throw KustoError.badRequest('Syntax error: expected a continuous export name.');
  const name = nameOf(nameNode);
  const tableAt = children.findIndex((c) => tokenText(c) === 'table');
  const tableNode = children.slice(tableAt + 1).find(isName);
  if (tableAt < 0 || !tableNode)
    throw KustoError.badRequest("Syntax error: expected 'to table <ExternalTableName>'.");
  const externalTableName = nameOf(tableNode);
  const overClause = childNodes(inv.body).find((c) => leadingToken(c) === 'over');
  const over = overClause ? namesIn(overClause) : undefined;
  const input = queryInput(inv.body, inv.text);
  const query = input?.text.trim() ?? '';
  if (query === '') throw KustoError.badRequest("Syntax error: expected a query after '<|'.");
  const settings = settingsOf(propertyEntries(clause(inv.body, 'with')));

  const table = db.externalTables.get(externalTableName);
  if (!table) throw externalTableNotFound(externalTableName);
  const factTables = factTablesOf(db, over, query);
  checkIdentity(table, settings);
  const output = (await runQuery(query, schemaOnlyEnv(core, db))).columns;
  const why = schemaMismatch(output, table);
  if (why) throw schemaMismatchError(table, output, why);

  const now = core.state.clock.now();
  const existing = db.continuousExports.get(name);
  const exp: ContinuousExport = existing ?? {
    name,
    externalTableName,
    query,
    cursorScopedTables: factTables,
    intervalBetweenRuns: DEFAULT_INTERVAL_MS,
    forcedLatency: null,
    properties: {},
    // Everything at or before this cursor is history (exported with cursor_before_or_at).
    startCursor: core.state.currentCursor(),
    exportedCursor: core.state.currentCursor(),
    createdOn: now,
    lastRunTime: null,
    lastRunResult: null,
    exportedTo: null,
    isDisabled: false,
    isRunning: false,
    permanentFailureSince: null,
    lastSuccessRun: null,
  };
  exp.externalTableName = externalTableName;
  exp.query = query;
  exp.cursorScopedTables = factTables;
  exp.properties = settings.properties;
  exp.intervalBetweenRuns = settings.intervalBetweenRuns ?? DEFAULT_INTERVAL_MS;
  exp.forcedLatency = settings.forcedLatency ?? null;
  if (settings.isDisabled !== undefined) exp.isDisabled = settings.isDisabled;
  db.continuousExports.set(name, exp);
  touchSchema(db);
  return rowsOf(db, [exp]);
}

/** The export named by the command (the first name after `continuous-export`). */
function named(inv: CommandInvocation): { db: Database; exp: ContinuousExport } {
  const db = requireDatabase(inv.core, inv.database);
  const nameNode = childrenOf(inv.body).find(isName);
  if (!nameNode) throw KustoError.badRequest('Syntax error: expected a continuous export name.');
  return { db, exp: requireContinuousExport(db, nameOf(nameNode)) };
}

/** Artifacts recorded by successful runs in the last 14 days. */
export function artifactRows(core: EmulatorCore, db: Database, exportName: string): KValue[][] {
  const since = core.state.clock.now() - HISTORY_RETENTION_MS;
  return db.artifacts
    .filter((a) => a.exportName === exportName && a.timestamp >= since)
    .map((a) => [a.timestamp, a.externalTableName, a.path, a.numRecords, a.sizeInBytes]);
}

/** Failures recorded in the last 14 days. */
export function failureRows(core: EmulatorCore, db: Database, exportName: string): KValue[][] {
  const since = core.state.clock.now() - HISTORY_RETENTION_MS;
  return db.exportFailures
    .filter((f) => f.exportName === exportName && f.timestamp >= since)
    .map((f) => [f.timestamp, f.operationId, f.exportName, f.lastSuccessRun, f.failureKind, f.details]);
}

/** Registers the continuous-export commands. */
export function registerContinuousExportCommands(registry: CommandRegistry): void {
  registry.add(
    { pattern: ['create-or-alter', 'continuous-export', '$name'], mutating: true, run: createOrAlter },
    {
      pattern: ['show', 'continuous-exports'],
      mutating: false,
      run(inv) {
        const db = requireDatabase(inv.core, inv.database);
        return rowsOf(db, db.continuousExports.values());
      },
    },
    {
      pattern: ['show', 'continuous-export', '$name'],
      mutating: false,
      run(inv) {
        const { db, exp } = named(inv);
        return rowsOf(db, [exp]);
      },
    },
    {
      pattern: ['show', 'continuous-export', '$name', 'exported-artifacts'],
      mutating: false,
      run(inv) {
        const { db, exp } = named(inv);
        return { columns: EXPORTED_ARTIFACTS, rows: artifactRows(inv.core, db, exp.name) };
      },
    },
    {
      pattern: ['show', 'continuous-export', '$name', 'failures'],
      mutating: false,
      run(inv) {
        const { db, exp } = named(inv);
        return { columns: EXPORT_FAILURES, rows: failureRows(inv.core, db, exp.name) };
      },
    },
    {
      pattern: ['enable', 'continuous-export', '$name'],
      mutating: true,
      run(inv) {
        const { db, exp } = named(inv);
        exp.isDisabled = false;
        // A re-enabled export starts a fresh failure streak; it resumes from its cursor (no gap).
        exp.permanentFailureSince = null;
        touchSchema(db);
        return rowsOf(db, [exp]);
      },
    },
    {
      pattern: ['disable', 'continuous-export', '$name'],
      mutating: true,
      run(inv) {
        const { db, exp } = named(inv);
        exp.isDisabled = true;
        touchSchema(db);
        return rowsOf(db, [exp]);
      },
    },
    {
      pattern: ['drop', 'continuous-export', '$name'],
      mutating: true,
      run(inv) {
        const { db, exp } = named(inv);
        db.continuousExports.delete(exp.name);
        // History belongs to the export: a new export with the same name starts clean.
        db.artifacts = db.artifacts.filter((a) => a.exportName !== exp.name);
        db.exportFailures = db.exportFailures.filter((f) => f.exportName !== exp.name);
        touchSchema(db);
        return rowsOf(db, db.continuousExports.values());
      },
    },
  );
}
