/**
 * Extent commands: `.show table T extents` (also `tables (A, B)`, `database [D]`, `cluster`; filters
 * by extent id and `where tags has|!has|contains|!contains 'x'`) and `.move extents` (all, or by id)
 * from one table to another, keeping each extent's cursor, ingestion time, creation time and tags.
 */
import { childrenOf, type SyntaxElement } from '../../../lib/kusto/language';
import type { CommandInvocation, CommandResult, CommandSpec } from './registry';
import { kindOf, listItems, textOf, unsupported } from '../kql/syntax';
import { literalValue } from '../kql/literals';
import { KustoError } from '../kustoError';
import { EXTENTS } from '../schemas';
import type { Database, Extent, Table } from '../state';
import { deletedCount, extentSize, requireDatabase, requireTable } from '../tables';
import type { Column, KValue } from '../values';
import { boolProperty, childNodes, childTokens, namesIn, valueText, withProperties } from './nodes';

/** `.move extents` answer (KQL `MoveExtentsFrom`). */
const MOVE_RESULT: Column[] = [
  { name: 'OriginalExtentId', type: 'string' },
  { name: 'ResultExtentId', type: 'string' },
  { name: 'Details', type: 'string' },
];

function extentRow(db: Database, table: Table, e: Extent): KValue[] {
  const size = extentSize(e);
  return [
    e.id,
    db.name,
    table.name,
    e.creationTime,
    size,
    size,
    size,
    0,
    1,
    1,
    '',
    e.rows.length,
    e.creationTime,
    e.tags.join('\n'),
    'StorageV3',
    deletedCount(e),
  ];
}

/** Which tables the scope node (`table T`, `tables (A, B)`, `database [D]`) names. */
function scopeTables(
  inv: CommandInvocation,
  scope: SyntaxElement | undefined,
): { db: Database; table: Table }[] {
  const state = inv.core.state;
  if (!scope) {
    // `.show cluster extents`
    return [...state.databases.values()].flatMap((db) =>
      [...db.tables.values()].map((table) => ({ db, table })),
    );
  }
  const keyword = childTokens(scope)[0];
  const names = namesIn(scope);
  if (keyword === 'database') {
    const db = requireDatabase(inv.core, names[0] ?? inv.database);
    return [...db.tables.values()].map((table) => ({ db, table }));
  }
  if (keyword === 'table' || keyword === 'tables') {
    const db = requireDatabase(inv.core, inv.database);
    return names.map((n) => ({ db, table: requireTable(db, n) }));
  }
  throw unsupported(`'.show ${textOf(scope)} extents'`);
}

type TagTest = (tags: readonly string[]) => boolean;

/** `where tags has 'x' and tags !contains 'y'`: tag comparisons are case-insensitive. */
function tagFilter(where: SyntaxElement): TagTest {
  const tests: TagTest[] = [];
  for (const item of listItems(childNodes(where, 'List')[0])) {
    if (item.IsToken) continue; // `and`
    const parts = childrenOf(item);
    const op = String(parts[1]?.Text ?? '').toLowerCase();
    const valueNode = parts[2];
    if (!valueNode) throw KustoError.badRequest(`Syntax error: invalid extent tag filter '${textOf(item)}'.`);
    const value = valueText(literalValue(valueNode).value ?? '').toLowerCase();
    const equals = (tags: readonly string[]): boolean => tags.some((t) => t.toLowerCase() === value);
    const contains = (tags: readonly string[]): boolean => tags.some((t) => t.toLowerCase().includes(value));
    if (op === 'has') tests.push(equals);
    else if (op === '!has') tests.push((t) => !equals(t));
    else if (op === 'contains') tests.push(contains);
    else if (op === '!contains') tests.push((t) => !contains(t));
    else throw unsupported(`Extent tag operator '${op}'`);
  }
  return (tags) => tests.every((t) => t(tags));
}

/** Extent ids of an id list (items are guid or string literals, each wrapped in a CustomNode). */
function extentIds(list: SyntaxElement | undefined): Set<string> {
  return new Set(
    listItems(list).map((item) => valueText(literalValue(childNodes(item)[0] ?? item).value).toLowerCase()),
  );
}

function showExtents(inv: CommandInvocation, clusterWide: boolean): CommandResult {
  const parts = childrenOf(inv.body);
  const at = parts.findIndex((p) => p.IsToken && String(p.Text).toLowerCase() === 'extents');
  const scope = clusterWide ? undefined : parts[1];
  let ids: Set<string> | undefined;
  let tags: TagTest = () => true;
  for (const extra of parts.slice(at + 1)) {
    if (extra.IsToken) {
      if (String(extra.Text).toLowerCase() === 'hot') continue; // every emulator extent is hot
      throw unsupported(`'.show extents ... ${String(extra.Text)}'`);
    }
    const first = String(extra.GetChild(0)?.Text ?? '').toLowerCase();
    if (first === 'where') tags = tagFilter(extra);
    else if (first === '(') ids = extentIds(childNodes(extra, 'List')[0]);
    else throw unsupported(`'.show extents ... ${textOf(extra)}'`);
  }
  const rows: KValue[][] = [];
  for (const { db, table } of scopeTables(inv, scope)) {
    for (const e of table.extents) {
      if (ids && !ids.has(e.id.toLowerCase())) continue;
      if (!tags(e.tags)) continue;
      rows.push(extentRow(db, table, e));
    }
  }
  return { columns: EXTENTS, rows };
}

/** Source and destination of `.move extents [all] from table S to table T [with (...)] [(ids)]`. */
function moveExtents(inv: CommandInvocation): CommandResult {
  if (childTokens(inv.body).includes('async')) throw unsupported("'.move async extents'");
  const spec = childNodes(inv.body)[0];
  if (!spec || kindOf(spec) !== 'CustomNode' || !childTokens(spec).includes('from')) {
    throw unsupported(`'${textOf(inv.body)}' (only '.move extents [all] from table S to table T' is)`);
  }
  const [sourceName, targetName] = namesIn(spec).slice(0, 2);
  if (sourceName === undefined || targetName === undefined)
    throw KustoError.badRequest('Syntax error: expected source and destination tables.');
  const db = requireDatabase(inv.core, inv.database);
  const source = requireTable(db, sourceName);
  const target = requireTable(db, targetName);
  if (source === target)
    throw KustoError.badRequest('Source and destination tables of .move extents must differ.');
  for (const c of source.columns) {
    const match = target.columns.find((t) => t.name === c.name);
    if (!match || match.type !== c.type) {
      throw KustoError.badRequest(
        `Cannot move extents from '${source.name}' to '${target.name}': column '${c.name}:${c.type}' does not exist in the destination with the same type.`,
      );
    }
  }
  let moving = [...source.extents];
  if (!childTokens(spec).includes('all')) {
    // `.move extents from table S to table T (id, ...)`: the id list sits directly in the spec node.
    const ids = extentIds(childNodes(spec, 'List')[0]);
    moving = source.extents.filter((e) => ids.has(e.id.toLowerCase()));
    const missing = [...ids].filter((id) => !moving.some((e) => e.id.toLowerCase() === id));
    if (missing.length > 0)
      throw KustoError.badRequest(
        `Extent(s) ${missing.join(', ')} were not found in table '${source.name}'.`,
      );
  }
  const renew = boolProperty(withProperties(spec), 'setNewIngestionTime') === true;
  const state = inv.core.state;
  const rows: KValue[][] = [];
  // One pass rather than a search and splice per extent: moving 100,000 extents must stay linear.
  const leaving = new Set(moving);
  source.extents = source.extents.filter((e) => !leaving.has(e));
  for (const extent of moving) {
    const moved: Extent = {
      ...extent,
      id: state.newId(),
      tags: [...extent.tags],
      ...(renew
        ? { ingestionTime: target.ingestionTimePolicy ? state.clock.now() : null, cursor: state.nextCursor() }
        : {}),
    };
    target.extents.push(moved);
    rows.push([extent.id, moved.id, '']);
  }
  return { columns: MOVE_RESULT, rows };
}

/** The extent commands. */
export const extentCommands: CommandSpec[] = [
  { pattern: ['show', '$node', 'extents'], mutating: false, run: (inv) => showExtents(inv, false) },
  {
    pattern: ['show', 'cluster', 'extents'],
    mutating: false,
    needsDatabase: false,
    run: (inv) => showExtents(inv, true),
  },
  { pattern: ['move', 'extents', '$node'], mutating: true, run: moveExtents },
  { pattern: ['move', 'async', 'extents', '$node'], mutating: true, run: moveExtents },
];
