/**
 * `externaldata (schema) [uri, ...] [with (format=..., ignoreFirstRecord=...)]`: rows read from an
 * explicit list of storage files. The syntax is decoded here; reading the files is the environment's
 * job (`QueryEnv.externalData`), since only the emulator core knows the storage.
 */
import { childrenOf } from '../../../lib/kusto/language';
import { KustoError } from '../kustoError';
import { parseType, type Column } from '../values';
import { isLiteral, literalValue, nameOf } from './literals';
import { kindOf, listItems, part, textOf, unsupported, type SyntaxElement } from './syntax';
import type { QueryEnv, Relation } from './types';

/** Columns of a `(Name:type, ...)` row schema (datatable and externaldata). */
export function rowSchemaColumns(schema: SyntaxElement, construct: string): Column[] {
  return listItems(schema.Columns as SyntaxElement | null).map((declaration) => {
    const typeNode = part(declaration, 'Type');
    const type = parseType(String((typeNode.Type as SyntaxElement | null)?.Text ?? textOf(typeNode)));
    if (!type) throw unsupported(`The ${construct} column type '${textOf(typeNode)}'`);
    return { name: nameOf(part(declaration, 'Name')), type };
  });
}

/** `name=value` pairs of the `with (...)` clause as text, names lower-cased (Kusto property names are case-insensitive). */
function withProperties(clause: SyntaxElement | null | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!clause) return out;
  for (const list of childrenOf(clause).filter((c) => !c.IsToken && kindOf(c) === 'List')) {
    for (const item of listItems(list)) {
      const parts = childrenOf(item);
      const name = parts[0];
      const value = parts[parts.length - 1];
      if (!name || !value || parts.length < 3) continue;
      const key = (name.IsToken ? String(name.Text) : nameOf(name)).toLowerCase();
      const literal = isLiteral(value) ? literalValue(value).value : undefined;
      out.set(
        key,
        typeof literal === 'string' || typeof literal === 'boolean' ? String(literal) : textOf(value),
      );
    }
  }
  return out;
}

/** Evaluates an `ExternalDataExpression` node through the environment's storage reader. */
export async function evaluateExternalData(node: SyntaxElement, env: QueryEnv): Promise<Relation> {
  if (!env.externalData) throw unsupported('externaldata in this context');
  const columns = rowSchemaColumns(part(node, 'Schema'), 'externaldata');
  const uris = listItems(node.URIs as SyntaxElement | null).map((item) => {
    const value = isLiteral(item) ? literalValue(item).value : undefined;
    if (typeof value !== 'string' || value.trim() === '')
      throw KustoError.badRequest(
        `externaldata: expected a storage connection string literal, found '${textOf(item)}'.`,
      );
    return value;
  });
  if (uris.length === 0)
    throw KustoError.badRequest('externaldata: at least one storage connection string is required.');
  const props = withProperties(node.WithClause as SyntaxElement | null);
  const format = props.get('format') ?? 'csv';
  const ignoreFirstRecord = props.get('ignorefirstrecord')?.toLowerCase() === 'true';
  return env.externalData(uris, format, columns, ignoreFirstRecord);
}
