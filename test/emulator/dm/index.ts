/**
 * The emulator's data-management side: ingestion commands and the queued-ingestion consumer.
 */
import type { EmulatorCore } from '../core';
import { createIngestionConsumer } from './consumer';
import type { IngestionConsumer } from './consumer';

export { registerIngestionCommands } from './commands';

/**
 * Creates the queued-ingestion engine: `start()` begins draining every ready-for-aggregation queue,
 * `drain()` resolves once all of them are empty and nothing is in flight, `stop()` ends the loops.
 */
export function createIngestionEngine(coreRef: () => EmulatorCore): IngestionConsumer {
  return createIngestionConsumer(coreRef);
}
