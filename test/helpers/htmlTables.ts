/**
 * Reads the tables of an HTML page back (for tests of generated reports): every `<table>` with its
 * attributes, and its body rows (rows with `<td>` cells) with their attributes and the cells' text,
 * entities decoded. A small tokenizer for well-formed generated HTML, not a general HTML parser.
 */

/** One parsed table. */
export interface HtmlTable {
  readonly attributes: Readonly<Record<string, string>>;
  readonly rows: readonly {
    readonly attributes: Readonly<Record<string, string>>;
    readonly cells: string[];
  }[];
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

/** Decodes the entities generated HTML uses. */
export function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ENTITIES[name] ?? '');
}

function attributesOf(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([a-zA-Z-]+)="([^"]*)"/g)) out[m[1]!] = decodeEntities(m[2]!);
  return out;
}

/** Every table of the page, in order. */
export function htmlTables(html: string): HtmlTable[] {
  const tables: HtmlTable[] = [];
  for (const table of html.matchAll(/<table([^>]*)>([\s\S]*?)<\/table>/g)) {
    const rows: { attributes: Record<string, string>; cells: string[] }[] = [];
    for (const row of table[2]!.matchAll(/<tr([^>]*)>([\s\S]*?)<\/tr>/g)) {
      const cells = [...row[2]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) =>
        decodeEntities(c[1]!.replace(/<[^>]*>/g, '')),
      );
      if (cells.length > 0) rows.push({ attributes: attributesOf(row[1]!), cells });
    }
    tables.push({ attributes: attributesOf(table[1]!), rows });
  }
  return tables;
}
