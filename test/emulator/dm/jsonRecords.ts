/**
 * JSON records: a sequence of top-level JSON objects (one per line for `json`, possibly spanning
 * lines for `multijson`), or one array of objects. Both formats accept all three layouts, which is
 * what callers usually mean.
 */
import { permanent } from './errors';

const wrongFormat = (why: string): Error =>
  permanent('BadRequest_NoRecordsOrWrongFormat', `The data does not match the JSON format: ${why}.`);

/** Offsets [start, end) of every top-level object or array in the text. */
function topLevelValues(text: string): [number, number][] {
  const spans: [number, number][] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      if (depth === 0) throw wrongFormat(`unexpected string at offset ${i}`);
      inString = true;
    } else if (c === '{' || c === '[') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth < 0) throw wrongFormat(`unbalanced '${c}' at offset ${i}`);
      if (depth === 0) spans.push([start, i + 1]);
    } else if (depth === 0 && !/[\s,]/.test(c)) {
      throw wrongFormat(`unexpected '${c}' at offset ${i}`);
    }
  }
  if (depth !== 0 || inString) throw wrongFormat('the text ends inside a value');
  return spans;
}

/** Parses the records (each an object); throws `BadRequest_NoRecordsOrWrongFormat` otherwise. */
export function parseJsonRecords(text: string): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  for (const [start, end] of topLevelValues(text)) {
    let value: unknown;
    try {
      value = JSON.parse(text.slice(start, end));
    } catch (error) {
      throw wrongFormat((error as Error).message);
    }
    for (const item of Array.isArray(value) ? (value as unknown[]) : [value]) {
      if (!item || typeof item !== 'object' || Array.isArray(item))
        throw wrongFormat('a record is not an object');
      records.push(item as Record<string, unknown>);
    }
  }
  return records;
}
