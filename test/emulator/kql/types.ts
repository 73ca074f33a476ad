/** Types shared by the query engine and everything that feeds it rows. */
import type { Column, KValue } from '../values';

/** Hidden per-row metadata: what `ingestion_time()` and the cursor functions read. */
export interface RowMeta {
  readonly ingestionTime: number | null;
  readonly cursor: bigint;
}

export interface Row {
  readonly values: KValue[];
  /** Present for rows read from a table; dropped by summarize and similar operators. */
  readonly meta?: RowMeta;
}

/** A tabular intermediate result. */
export interface Relation {
  readonly columns: Column[];
  readonly rows: Row[];
}

/** What a query can reach: tables, external tables, the clock and the database cursor. */
export interface QueryEnv {
  /** Current time (epoch ms) for now()/ago(). */
  now(): number;
  /** Rows of a table; throws KustoError (400, semantic) when it does not exist. */
  table(name: string): Relation;
  /** Rows of an external table (reads its artifacts from storage); throws when unknown. */
  externalTable(name: string): Relation | Promise<Relation>;
  /** The database cursor now (`cursor_current()`). */
  currentCursor(): bigint;
  /**
   * Rows of `externaldata`: the listed files (storage connection strings) decoded by `format` with
   * `columns`. Environments without storage leave it out, and `externaldata` then fails as unsupported.
   */
  externalData?(
    uris: readonly string[],
    format: string,
    columns: readonly Column[],
    ignoreFirstRecord: boolean,
  ): Promise<Relation>;
}
