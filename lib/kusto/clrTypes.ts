/**
 * .NET (CLR) type names to Kusto types. Kusto names column types by their .NET type where it has no
 * Kusto name at hand: v1 `DataType` (`Int64`) and schema JSON `Type` (`System.Int64`).
 */

/** Full .NET name to Kusto type; `SByte` is how Kusto stores `bool`. */
const CLR_TO_KUSTO: ReadonlyMap<string, string> = new Map([
  ['System.String', 'string'],
  ['System.DateTime', 'datetime'],
  ['System.TimeSpan', 'timespan'],
  ['System.Int32', 'int'],
  ['System.Int64', 'long'],
  ['System.Double', 'real'],
  ['System.Boolean', 'bool'],
  ['System.SByte', 'bool'],
  ['System.Guid', 'guid'],
  ['System.Object', 'dynamic'],
  ['System.Data.SqlTypes.SqlDecimal', 'decimal'],
  ['System.Decimal', 'decimal'],
]);

/** The same table keyed by the lower-cased simple name (`int64`, `sqldecimal`). */
const BY_SIMPLE_NAME: ReadonlyMap<string, string> = new Map(
  [...CLR_TO_KUSTO].map(([name, kusto]) => [name.slice(name.lastIndexOf('.') + 1).toLowerCase(), kusto]),
);

/**
 * The Kusto type of a schema JSON `Type` (`System.Int64`), or undefined when unknown: the name must
 * match exactly, since a schema with an unknown type cannot be restored faithfully.
 */
export function kustoTypeOfClrName(fullName: string): string | undefined {
  return CLR_TO_KUSTO.get(fullName);
}

/**
 * The Kusto type of a v1 `DataType` (`Int64`, `System.Int64`, any case). An unknown name is
 * returned lower-cased rather than rejected: a result column's type is informational.
 */
export function kustoTypeOfDataType(dataType: string): string {
  return BY_SIMPLE_NAME.get(dataType.replace(/^System\./, '').toLowerCase()) ?? dataType.toLowerCase();
}
