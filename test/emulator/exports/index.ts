/**
 * The emulator's export side: blob store mapping, Event Grid, external tables, continuous exports,
 * `.export`, async operations and export capacity. The core wires these factories in.
 */
import type { CommandRegistry } from '../commands/registry';
import { registerContinuousExportCommands } from './continuousExports';
import { registerExportToCommands } from './exportCommands';
import { registerExternalTableCommands } from './externalTables';
import { registerOperationCommands } from './operations';

export { createBlobStore } from './blobStore';
export {
  createEventGridPublisher,
  type EventGridControl,
  type EventGridStats,
  type BlobCreatedEvent,
} from './eventGrid';
export { createExportEngine, runContinuousExport, AUTO_DISABLE_AFTER_MS } from './runner';
export { externalDataRelation } from './externalData';
export { externalTableRelation } from './externalTableRelation';
export { loseOperation } from './operations';
export { maskConnectionString, parseConnectionString } from './connectionStrings';

/** Registers every export-side management command. */
export function registerExportCommands(registry: CommandRegistry): void {
  registerExternalTableCommands(registry);
  registerContinuousExportCommands(registry);
  registerExportToCommands(registry);
  registerOperationCommands(registry);
}
