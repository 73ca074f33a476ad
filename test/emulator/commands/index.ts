/** Registers the emulator core's commands: tables, database schema, data, deletion and extents. */
import type { CommandRegistry } from './registry';
import { registerSpecs } from './exact';
import { tableCommands } from './tables';
import { databaseCommands } from './database';
import { dataCommands } from './data';
import { deletionCommands } from './deletion';
import { extentCommands } from './extents';

/** Adds every core command to a registry (export and data-management modules register their own). */
export function registerCoreCommands(registry: CommandRegistry): void {
  registerSpecs(registry, [
    ...tableCommands,
    ...databaseCommands,
    ...dataCommands,
    ...deletionCommands,
    ...extentCommands,
  ]);
}
