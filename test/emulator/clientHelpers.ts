/**
 * Test helpers that drive the emulator through the real `azure-kusto-data` client and read its
 * answers: column names, rows as objects, raw wire cells, and the OneApi body of a failed request.
 */
import type { Client } from 'azure-kusto-data';
import { ClientRequestProperties, type KustoResponseDataSet } from 'azure-kusto-data';

/** A primary result as tests look at it. */
export interface Answer {
  readonly columns: string[];
  /** Column name to Kusto type, as the client saw it. */
  readonly types: string[];
  /** Rows as objects (datetimes become Date, timespans milliseconds, per the client's conversion). */
  readonly rows: Record<string, unknown>[];
  /** Rows as the wire carried them (datetimes as 7-digit strings, timespans c-format). */
  readonly raw: unknown[][];
}

/** The first primary result of a response. */
export function primary(response: KustoResponseDataSet): Answer {
  const table = response.primaryResults[0];
  if (!table) throw new Error('response has no primary result');
  const rows = [...table.rows()];
  return {
    columns: table.columns.map((c) => String(c.name)),
    types: table.columns.map((c) => String(c.type)),
    rows: rows.map((r) => r.toJSON()),
    raw: rows.map((r) => r.raw as unknown[]),
  };
}

/** Runs a command or query (routed by the client: `.` to mgmt, else v2) and returns its primary result. */
export async function run(client: Client, db: string, text: string): Promise<Answer> {
  return primary(await client.execute(db, text));
}

/** Sends text and returns the raw response body (client option `raw`). */
export async function rawBody(
  client: Client,
  db: string,
  text: string,
  endpoint: 'mgmt' | 'v1' | 'v2',
): Promise<unknown> {
  const props = new ClientRequestProperties();
  props.raw = true;
  const send =
    endpoint === 'mgmt'
      ? client.executeMgmt.bind(client)
      : endpoint === 'v1'
        ? client.executeQueryV1.bind(client)
        : client.executeQuery.bind(client);
  return await send(db, text, props);
}

/** What a failed request carried: HTTP status and the OneApi `error` object (if any). */
export interface Failure {
  readonly status: number | undefined;
  readonly error: Record<string, unknown> | undefined;
  readonly thrown: unknown;
}

/** Awaits a request that must fail and returns its status and OneApi error body. */
export async function failure(request: Promise<unknown>): Promise<Failure> {
  try {
    await request;
  } catch (thrown) {
    // 429s come wrapped in ThrottlingError with the AxiosError as `inner`.
    const axios = (thrown as { inner?: unknown }).inner ?? thrown;
    const response = (axios as { response?: { status?: number; data?: { error?: Record<string, unknown> } } })
      .response;
    return { status: response?.status, error: response?.data?.error, thrown };
  }
  throw new Error('request was expected to fail but succeeded');
}
