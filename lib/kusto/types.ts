/** Types shared by the command builders, the gateway and the result parsers. */

/** Which endpoint serves a command: the engine, or the data-management (ingest-) endpoint. */
export type KustoEndpoint = 'engine' | 'dm';

/**
 * A fully built, validated Kusto command or query. Only the builders in `commands.ts` create these,
 * so the text never contains unvalidated caller input.
 */
export interface KustoCommand {
  /** The command text, ready to send. */
  readonly text: string;
  /** Short operation name used in the client request id `adx-backup.<operation>;<id>`. */
  readonly operation: string;
  /** True when the command changes cluster state. */
  readonly mutating: boolean;
  /** Where the command must be sent. */
  readonly endpoint: KustoEndpoint;
}

/** One column of a result table, with its Kusto type (`string`, `datetime`, `long`...). */
export interface ResultColumn {
  readonly name: string;
  readonly type: string;
}

/** A result table as returned by the gateway: raw JSON cell values (datetimes/timespans as strings). */
export interface ResultTable {
  readonly columns: readonly ResultColumn[];
  readonly rows: readonly (readonly unknown[])[];
}
