/**
 * Emulator throughput: ingests 1,000,000 rows through the real queued-ingestion client (one parquet
 * blob per 100,000 rows), then exports them to parquet with `.export async to table`, and prints
 * rows/s for each phase. Not a test: run with `npm run bench:emulator` (BENCH_ROWS overrides the count).
 */
import { randomUUID } from 'node:crypto';
import { BlobServiceClient } from '@azure/storage-blob';
import { Client, KustoConnectionStringBuilder } from 'azure-kusto-data';
import { BlobDescriptor, DataFormat, IngestClient, IngestionProperties } from 'azure-kusto-ingest';
import { startEmulator } from '../test/emulator/index';
import { writeParquet } from '../test/emulator/parquet';
import { accountSas } from '../test/emulator/dm/resources';
import type { Column, KValue } from '../test/emulator/values';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const PER_BLOB = 100_000;
const DB = 'bench';
const columns: Column[] = [
  { name: 'Timestamp', type: 'datetime' },
  { name: 'Id', type: 'long' },
  { name: 'Name', type: 'string' },
  { name: 'Value', type: 'real' },
];

async function main(): Promise<void> {
  const emulator = await startEmulator({ databases: [DB] });
  const kusto = new Client(emulator.url);
  try {
    await kusto.execute(DB, '.create table Events (Timestamp:datetime, Id:long, Name:string, Value:real)');
    const sources = BlobServiceClient.fromConnectionString(
      emulator.storage.connectionString,
    ).getContainerClient('bench');
    await sources.createIfNotExists();
    const sas = accountSas(emulator.storage);
    const day0 = Date.UTC(2025, 0, 1);
    const blobs: { url: string; size: number }[] = [];
    for (let start = 0; start < ROWS; start += PER_BLOB) {
      const rows: KValue[][] = [];
      for (let i = start; i < Math.min(ROWS, start + PER_BLOB); i++) {
        rows.push([day0 + (i % 30) * 86_400_000 + i, i, `name-${i % 1000}`, i / 7]);
      }
      const bytes = writeParquet(columns, rows);
      const blob = sources.getBlockBlobClient(`part-${start}.parquet`);
      await blob.uploadData(bytes);
      blobs.push({ url: `${blob.url}?${sas}`, size: bytes.length });
    }

    const ingest = new IngestClient(
      KustoConnectionStringBuilder.withTokenProvider(emulator.url, () => Promise.resolve('bench')),
      new IngestionProperties({ database: DB, table: 'Events', format: DataFormat.PARQUET }),
      false,
    );
    let t = performance.now();
    for (const b of blobs) await ingest.ingestFromBlob(new BlobDescriptor(b.url, b.size, randomUUID()));
    await emulator.drainIngestion();
    const ingestS = (performance.now() - t) / 1000;
    const counted = (await kusto.execute(DB, 'Events | count')).primaryResults[0]?.toJSON().data[0] as {
      Count: number;
    };
    if (counted.Count !== ROWS) throw new Error(`ingested ${counted.Count} rows, expected ${ROWS}`);

    await kusto.execute(
      DB,
      `.create external table Ext (Timestamp:datetime, Id:long, Name:string, Value:real) kind=storage ` +
        `partition by (Day:datetime = startofday(Timestamp)) pathformat = (datetime_pattern("yyyyMMdd", Day)) ` +
        `dataformat=parquet ('${emulator.storage.blobUrl}/backup/bench/Events;impersonate')`,
    );
    t = performance.now();
    const op = (await kusto.execute(DB, '.export async to table Ext <| Events')).primaryResults[0]?.toJSON()
      .data[0] as {
      OperationId: string;
    };
    await emulator.idle();
    const exportS = (performance.now() - t) / 1000;
    const state = emulator.state.operations.get(op.OperationId);
    if (state?.state !== 'Completed') throw new Error(`export ended ${state?.state}: ${state?.status}`);
    const exported = (state.details?.rows ?? []).reduce((n, r) => n + Number(r[2]), 0);
    if (exported !== ROWS) throw new Error(`exported ${exported} rows, expected ${ROWS}`);

    console.log(`rows                 ${ROWS}`);
    console.log(`queued ingestion     ${ingestS.toFixed(1)} s  ${Math.round(ROWS / ingestS)} rows/s`);
    console.log(
      `export to parquet    ${exportS.toFixed(1)} s  ${Math.round(ROWS / exportS)} rows/s (${state.details?.rows.length} files)`,
    );
  } finally {
    kusto.close();
    await emulator.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
