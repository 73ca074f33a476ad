/**
 * The datetime column a table's backup is partitioned by (one folder per day). An explicit override
 * wins; else a datetime column named like Timestamp; else the first datetime column; else none (the
 * table is exported unpartitioned).
 */
import { ValidationError } from '../errors';

/** A column as listed by the database schema. */
export interface ColumnInfo {
  readonly name: string;
  readonly type: string;
}

/** The partition column, or null for an unpartitioned table. */
export function choosePartitionColumn(
  table: string,
  columns: readonly ColumnInfo[],
  override: string | undefined,
): string | null {
  const datetimes = columns.filter((c) => c.type.toLowerCase() === 'datetime');
  if (override !== undefined) {
    const hit = columns.find((c) => c.name === override);
    if (!hit)
      throw new ValidationError(`partitionColumns.${table}`, `table '${table}' has no column '${override}'`);
    if (hit.type.toLowerCase() !== 'datetime') {
      throw new ValidationError(
        `partitionColumns.${table}`,
        `column '${override}' is ${hit.type}; the partition column must be a datetime`,
      );
    }
    return hit.name;
  }
  const named =
    datetimes.find((c) => /^timestamp$/i.test(c.name)) ?? datetimes.find((c) => /timestamp/i.test(c.name));
  return (named ?? datetimes[0])?.name ?? null;
}
