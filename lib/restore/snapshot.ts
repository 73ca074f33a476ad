/**
 * Schema snapshots as a restore reads them: which snapshot was in force at a point in time (blob
 * names sort by time, `<database>/_schema/yyyyMMddTHHmmssZ.kql`), and the tables it defines, read
 * from its `.create table` / `.create-merge table` statements (`.show database schema as csl
 * script`, reference §1.12). Other statements (policies, functions, external tables, continuous
 * exports) are not restored.
 */
import { PermanentError } from '../errors';
import type { ColumnSpec } from '../kusto/commands';

/** A table a snapshot defines. */
export interface SnapshotTable {
  readonly name: string;
  readonly columns: readonly ColumnSpec[];
}

const STAMP = /(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\.kql$/;

/** The time a snapshot blob name encodes, or undefined for a name that is not a snapshot. */
export function snapshotTime(blobName: string): Date | undefined {
  const m = STAMP.exec(blobName);
  if (!m) return undefined;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The latest snapshot taken at or before `asOf` (the latest of all without one), or undefined. */
export function pickSnapshot(blobNames: readonly string[], asOf: Date | null): string | undefined {
  let best: { name: string; at: number } | undefined;
  for (const name of blobNames) {
    const at = snapshotTime(name)?.getTime();
    if (at === undefined || (asOf !== null && at > asOf.getTime())) continue;
    if (!best || at > best.at || (at === best.at && name > best.name)) best = { name, at };
  }
  return best?.name;
}

/** A tiny scanner over one statement: names (plain or `['...']`/`["..."]`), punctuation, words. */
class Scanner {
  private at = 0;
  constructor(private readonly text: string) {}

  private skipSpace(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at]!)) this.at++;
  }

  peek(): string {
    this.skipSpace();
    return this.text[this.at] ?? '';
  }

  expect(ch: string): void {
    if (this.peek() !== ch) throw new Error(`expected '${ch}' at ${this.at}`);
    this.at++;
  }

  /** A word made of identifier characters (keywords, plain names, types). */
  word(): string {
    this.skipSpace();
    const m = /^[\p{L}\p{Nd}_.-]+/u.exec(this.text.slice(this.at));
    if (!m) throw new Error(`expected a name at ${this.at}`);
    this.at += m[0].length;
    return m[0];
  }

  /** A name: plain, or bracket-quoted with a single- or double-quoted string inside. */
  name(): string {
    if (this.peek() !== '[') return this.word();
    this.at++;
    const quote = this.peek();
    if (quote !== "'" && quote !== '"') throw new Error(`expected a quoted name at ${this.at}`);
    this.at++;
    let out = '';
    for (;;) {
      const ch = this.text[this.at++];
      if (ch === undefined) throw new Error('unterminated name');
      if (ch === quote) break;
      if (ch === '\\') {
        const next = this.text[this.at++] ?? '';
        out += next === 'n' ? '\n' : next === 't' ? '\t' : next === 'r' ? '\r' : next;
      } else out += ch;
    }
    this.expect(']');
    return out;
  }
}

/** `.create[-merge] table <name> (<name>:<type>, ...)`; undefined for any other statement. */
function tableOf(statement: string): SnapshotTable | undefined {
  const head = /^\s*\.create(-merge)?\s+table\s+/i.exec(statement);
  if (!head) return undefined;
  const s = new Scanner(statement.slice(head[0].length));
  const name = s.name();
  s.expect('(');
  const columns: ColumnSpec[] = [];
  while (s.peek() !== ')') {
    const column = s.name();
    s.expect(':');
    columns.push({ name: column, type: s.word().toLowerCase() });
    if (s.peek() === ',') s.expect(',');
    else if (s.peek() !== ')') throw new Error(`expected ',' or ')' after column '${column}'`);
  }
  return { name, columns };
}

/**
 * The tables of a snapshot script (statements separated by blank lines, as setup stores them; a
 * statement on several lines is one statement). A table defined twice keeps its last definition.
 * @throws PermanentError naming the statement a table definition could not be read from.
 */
export function parseSnapshotTables(script: string): SnapshotTable[] {
  const tables = new Map<string, SnapshotTable>();
  const statements = script.split(/\r?\n\s*\r?\n|\r?\n(?=\s*\.)/);
  for (const statement of statements) {
    if (!/^\s*\.create(-merge)?\s+table\s/i.test(statement)) continue;
    try {
      const table = tableOf(statement);
      if (table) tables.set(table.name, table);
    } catch (error) {
      const preview = statement.trim().slice(0, 120);
      throw new PermanentError(
        `schema snapshot: cannot read the table definition '${preview}': ${(error as Error).message}`,
      );
    }
  }
  return [...tables.values()];
}
