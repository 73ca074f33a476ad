/**
 * A loopback webhook standing in for the Functions Event Grid trigger: the emulator POSTs arrays of
 * BlobCreated events to it, and each event is handed to `handle` (the catalog intake) in delivery
 * order, the way the trigger invokes the function once per event. Outcomes are kept for assertions.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running sink. */
export interface EventGridSink<T> {
  readonly url: string;
  /** Every event received, with what `handle` returned (or the error it threw). */
  readonly received: {
    readonly event: Record<string, unknown>;
    readonly outcome?: T;
    readonly error?: unknown;
  }[];
  stop(): Promise<void>;
}

/** Starts the sink on 127.0.0.1. */
export async function startEventGridSink<T>(
  handle: (event: unknown) => Promise<T>,
): Promise<EventGridSink<T>> {
  const received: EventGridSink<T>['received'] = [];
  let chain = Promise.resolve();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      // Serialised: two deliveries of one event must hit the intake one after the other to test it.
      chain = chain.then(async () => {
        const events = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>[];
        let status = 200;
        for (const event of events) {
          try {
            received.push({ event, outcome: await handle(event) });
          } catch (error) {
            received.push({ event, error });
            status = 500;
          }
        }
        res.writeHead(status).end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/events`,
    received,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
