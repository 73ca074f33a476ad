/**
 * Maps source records onto a table's columns: delimited fields by position (or mapping ordinal),
 * JSON properties and parquet columns by name (or mapping path), then converts every value to the
 * column's type. Values that do not convert become null, as in Kusto.
 */
import { coerce } from '../values';
import type { Column, KValue } from '../values';
import { permanent } from './errors';
import { applyTransform, readPath } from './mapping';
import type { MappingEntry } from './mapping';
import type { SourceData } from './source';

/** Finds a name exactly, else ignoring case. */
function indexByName(names: readonly string[], name: string): number {
  const exact = names.indexOf(name);
  if (exact >= 0) return exact;
  const lower = name.toLowerCase();
  return names.findIndex((n) => n.toLowerCase() === lower);
}

function propertyByName(record: Readonly<Record<string, unknown>>, name: string): unknown {
  if (Object.prototype.hasOwnProperty.call(record, name)) return record[name];
  const key = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : record[key];
}

function checkMapping(mapping: readonly MappingEntry[], columns: readonly Column[]): void {
  for (const m of mapping) {
    if (!columns.some((c) => c.name === m.column)) {
      throw permanent(
        'BadRequest_InconsistentMapping',
        `Ingestion mapping refers to column '${m.column}', which the table does not have.`,
      );
    }
  }
}

/** How each table column gets its value from one record. */
type Getter<R> = (record: R) => unknown;

function fieldGetters(
  columns: readonly Column[],
  mapping: readonly MappingEntry[] | undefined,
): Getter<readonly string[]>[] {
  return columns.map((col, i) => {
    if (!mapping) return (r) => r[i];
    const m = mapping.find((e) => e.column === col.name);
    if (!m) return () => null;
    if (m.constValue !== undefined) return () => m.constValue;
    const ordinal = m.ordinal;
    return ordinal === undefined ? () => null : (r) => applyTransform(r[ordinal], m.transform);
  });
}

function objectGetters(
  columns: readonly Column[],
  mapping: readonly MappingEntry[] | undefined,
): Getter<Readonly<Record<string, unknown>>>[] {
  return columns.map((col) => {
    if (!mapping) return (r) => propertyByName(r, col.name);
    const m = mapping.find((e) => e.column === col.name);
    if (!m) return () => null;
    if (m.constValue !== undefined) return () => m.constValue;
    const path = m.path ?? [col.name];
    return (r) => applyTransform(readPath(r, path), m.transform);
  });
}

function typedGetters(
  sourceColumns: readonly Column[],
  columns: readonly Column[],
  mapping: readonly MappingEntry[] | undefined,
): Getter<readonly KValue[]>[] {
  const names = sourceColumns.map((c) => c.name);
  return columns.map((col) => {
    const m = mapping?.find((e) => e.column === col.name);
    if (mapping && !m) return () => null;
    if (m?.constValue !== undefined) return () => m.constValue;
    // Parquet columns are flat: a mapping path names the source column (`$.x` or `x`).
    const sourceName = m?.path?.[0] ?? col.name;
    const index = indexByName(names, sourceName);
    return index < 0 ? () => null : (r) => applyTransform(r[index], m?.transform);
  });
}

/** Converts a source value to the column type; typed values already of that type pass through. */
function convert(value: unknown, column: Column, sourceType: string | undefined): KValue {
  if (value === undefined || value === null) return null;
  if (sourceType === column.type) return value as KValue;
  return coerce(value, column.type);
}

/**
 * Rows in the table's column order. Throws `Stream_WrongNumberOfFields` when delimited records
 * disagree on their number of fields or have more fields than the table has columns, and
 * `BadRequest_InconsistentMapping` when the mapping names a column the table lacks.
 */
export function projectRows(
  data: SourceData,
  columns: readonly Column[],
  mapping: readonly MappingEntry[] | undefined,
): KValue[][] {
  if (mapping) checkMapping(mapping, columns);
  switch (data.kind) {
    case 'fields': {
      const width = data.records[0]?.length ?? 0;
      data.records.forEach((r, i) => {
        if (r.length !== width) {
          throw permanent(
            'Stream_WrongNumberOfFields',
            `Inconsistent number of fields in the input records: record ${i + 1} has ${r.length} fields, the first has ${width}.`,
          );
        }
      });
      if (!mapping && width > columns.length) {
        throw permanent(
          'Stream_WrongNumberOfFields',
          `Records have ${width} fields but the table has ${columns.length} columns.`,
        );
      }
      const getters = fieldGetters(columns, mapping);
      // An empty field is an empty string only for string columns; every other type reads null.
      const field = (v: unknown, c: Column): KValue =>
        v === '' && c.type !== 'string' ? null : convert(v, c, undefined);
      return data.records.map((r) => columns.map((c, i) => field(getters[i]!(r), c)));
    }
    case 'objects': {
      const getters = objectGetters(columns, mapping);
      return data.records.map((r) => columns.map((c, i) => convert(getters[i]!(r), c, undefined)));
    }
    case 'typed': {
      const getters = typedGetters(data.columns, columns, mapping);
      const sourceTypes = columns.map((c) => {
        const m = mapping?.find((e) => e.column === c.name);
        if (m?.transform || m?.constValue !== undefined) return undefined;
        const index = indexByName(
          data.columns.map((s) => s.name),
          m?.path?.[0] ?? c.name,
        );
        return data.columns[index]?.type;
      });
      return data.rows.map((r) => columns.map((c, i) => convert(getters[i]!(r), c, sourceTypes[i])));
    }
  }
}
