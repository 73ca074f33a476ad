/**
 * Schema drift: how a source table's live columns differ from the columns its backup was
 * provisioned with (the catalog record). Any difference (a column added, removed, retyped, or the
 * order changed) means the external table no longer mirrors the table, and continuous export fails
 * permanently on a schema mismatch once rows arrive, so the monitor realigns it before the 7-day
 * auto-disable.
 */
import { columnType } from '../kusto/quote';

/** A column with its Kusto type. */
export interface NamedColumn {
  readonly name: string;
  readonly type: string;
}

/** The differences, all empty/false when the table still matches. */
export interface ColumnDrift {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly retyped: readonly { readonly name: string; readonly from: string; readonly to: string }[];
  /** The columns both have appear in another order. */
  readonly reordered: boolean;
}

/** Types compared by canonical name (`int` and `int32` are one type); unknown names as written. */
function canonical(type: string): string {
  try {
    return columnType(type, 'type');
  } catch {
    return type.toLowerCase();
  }
}

/** The drift from `provisioned` to `live`, or null when they are the same columns in the same order. */
export function columnDrift(
  provisioned: readonly NamedColumn[],
  live: readonly NamedColumn[],
): ColumnDrift | null {
  const before = new Map(provisioned.map((c) => [c.name, canonical(c.type)] as const));
  const after = new Map(live.map((c) => [c.name, canonical(c.type)] as const));
  const added = live.filter((c) => !before.has(c.name)).map((c) => c.name);
  const removed = provisioned.filter((c) => !after.has(c.name)).map((c) => c.name);
  const retyped = live.flatMap((c) => {
    const was = before.get(c.name);
    const now = after.get(c.name)!;
    return was !== undefined && was !== now ? [{ name: c.name, from: was, to: now }] : [];
  });
  const common = (cols: readonly NamedColumn[], other: ReadonlyMap<string, string>): string[] =>
    cols.filter((c) => other.has(c.name)).map((c) => c.name);
  const reordered = common(provisioned, after).join('\u0000') !== common(live, before).join('\u0000');
  if (added.length === 0 && removed.length === 0 && retyped.length === 0 && !reordered) return null;
  return { added, removed, retyped, reordered };
}

/** One line for status and logs: `added Region; retyped Value (long -> real)`. */
export function describeDrift(drift: ColumnDrift): string {
  const parts: string[] = [];
  if (drift.added.length > 0) parts.push(`added ${drift.added.join(', ')}`);
  if (drift.removed.length > 0) parts.push(`removed ${drift.removed.join(', ')}`);
  for (const r of drift.retyped) parts.push(`retyped ${r.name} (${r.from} -> ${r.to})`);
  if (drift.reordered) parts.push('columns reordered');
  return parts.join('; ');
}
