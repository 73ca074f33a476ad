/**
 * `startEmulator()`: the project's model of Azure Data Explorer. Builds the shared core (state,
 * faults, blob store, Event Grid publisher, export engine, ingestion engine), registers every
 * command, starts the HTTP server on loopback and returns a handle that tests and the demo drive
 * (virtual clock, faults, command log, databases, continuous exports, ingestion).
 */
import { CommandRegistry } from './commands/registry';
import { registerCoreCommands } from './commands';
import type { EmulatorCore } from './core';
import { createIngestionEngine, registerIngestionCommands } from './dm';
import {
  createBlobStore,
  createEventGridPublisher,
  createExportEngine,
  externalDataRelation,
  externalTableRelation,
  registerExportCommands,
} from './exports';
import { Faults } from './faults';
import { semanticError } from './kql/syntax';
import type { QueryEnv } from './kql/types';
import { KustoError } from './kustoError';
import { tableRelation } from './relation';
import { startServer } from './server';
import { Clock, EmulatorState, type CommandLogEntry, type Database, type StorageEndpoints } from './state';
import { startAzurite } from '../helpers/azurite';

/** Options of `startEmulator`. */
export interface EmulatorOptions {
  /** Storage to use (Azurite); when absent the emulator starts its own in-memory Azurite. */
  readonly storage?: StorageEndpoints;
  /** Virtual clock start; default 2026-01-01T00:00:00Z. */
  readonly start?: Date;
  /** Databases to create up front. */
  readonly databases?: readonly string[];
  /** Event Grid webhook for BlobCreated events of export artifacts. */
  readonly eventGridUrl?: string;
  /** Port on 127.0.0.1; default 0 (any free port). */
  readonly port?: number;
}

/** The emulator's virtual clock as tests see it. */
export interface EmulatorClock {
  now(): Date;
  /** Moves time forward, running continuous exports at each moment they fall due on the way. */
  advance(ms: number): Promise<void>;
  /** Sets the time (nothing runs). */
  set(date: Date): void;
}

/** A running emulator. */
export interface EmulatorHandle {
  /** Engine and data-management endpoint (one loopback URL serves both). */
  readonly url: string;
  readonly storage: StorageEndpoints;
  readonly state: EmulatorState;
  readonly faults: Faults;
  readonly clock: EmulatorClock;
  /** Every request received (the same array as `state.commandLog`). */
  readonly commandLog: CommandLogEntry[];
  readonly registry: CommandRegistry;
  /** The shared core the command handlers see. */
  readonly core: EmulatorCore;
  createDatabase(name: string): Database;
  /** Sets (or clears) the Event Grid webhook. */
  setEventGridUrl(url?: string): void;
  /** Runs every continuous export that is due now. */
  runContinuousExports(): Promise<void>;
  /** Resolves when every queued ingestion message has been processed. */
  drainIngestion(): Promise<void>;
  /** Resolves when no export, ingestion or Event Grid delivery is in flight. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const DEFAULT_START = Date.UTC(2026, 0, 1);
/** Upper bound on export rounds one `advance` runs, so a long jump cannot spin for minutes. */
const MAX_ADVANCE_STEPS = 10_000;

/** The query environment of a database: its tables, its external tables, the clock and the cursor. */
function queryEnvFor(core: EmulatorCore, database: string): QueryEnv {
  const { state } = core;
  return {
    now: () => state.clock.now(),
    table(name) {
      const db = state.database(database);
      if (!db) throw KustoError.databaseNotFound(database);
      const table = db.tables.get(name);
      if (!table) throw semanticError(`'table' operator: Failed to resolve table expression named '${name}'`);
      return tableRelation(table);
    },
    externalTable: (name) => externalTableRelation(core, database, name),
    externalData: (uris, format, columns, ignoreFirstRecord) =>
      externalDataRelation(core, uris, format, columns, ignoreFirstRecord),
    currentCursor: () => state.currentCursor(),
  };
}

/** When the next enabled continuous export falls due after `after`, or undefined. */
function nextDue(state: EmulatorState, after: number): number | undefined {
  let next: number | undefined;
  for (const db of state.databases.values()) {
    for (const e of db.continuousExports.values()) {
      if (e.isDisabled) continue;
      const due = (e.lastRunTime ?? e.createdOn) + e.intervalBetweenRuns;
      if (due > after && (next === undefined || due < next)) next = due;
    }
  }
  return next;
}

/** Starts Azurite (unless given storage), the core and the HTTP server. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const azurite = options.storage ? undefined : await startAzurite();
  const storage: StorageEndpoints = options.storage ?? azurite!;
  const state = new EmulatorState(new Clock(options.start?.getTime() ?? DEFAULT_START), storage);
  const faults = new Faults();
  const eventGrid = createEventGridPublisher(
    { url: options.eventGridUrl, now: () => state.clock.now() },
    storage,
    faults,
  );
  // The engines reach the core lazily: it is assembled after them.
  const built: { core?: EmulatorCore } = {};
  const getCore = (): EmulatorCore => {
    if (!built.core) throw new Error('emulator core used before it was built');
    return built.core;
  };
  const exports = createExportEngine(getCore);
  const ingestion = createIngestionEngine(getCore);
  const core: EmulatorCore = {
    state,
    faults,
    blobs: createBlobStore(storage),
    eventGrid,
    exports,
    ingestion,
    queryEnv: (database) => queryEnvFor(core, database),
  };
  built.core = core;

  const registry = new CommandRegistry();
  registerCoreCommands(registry);
  registerExportCommands(registry);
  registerIngestionCommands(registry);

  for (const name of options.databases ?? []) state.createDatabase(name);

  const advance = async (ms: number): Promise<void> => {
    const target = state.clock.now() + ms;
    // Step through each due time so an export with a 1h interval runs every hour of a 5h jump.
    for (let step = 0; step < MAX_ADVANCE_STEPS; step++) {
      const due = nextDue(state, state.clock.now());
      if (due === undefined || due >= target) break;
      state.clock.set(due);
      await exports.runDueContinuousExports();
    }
    state.clock.set(target);
    await exports.runDueContinuousExports();
  };

  const server = await startServer({
    core,
    registry,
    port: options.port,
    admin: {
      advanceClock: advance,
      setClock: (ms) => state.clock.set(ms),
      createDatabase: (name) => void state.createDatabase(name),
      drainIngestion: () => ingestion.drain(),
    },
  });
  ingestion.start();

  let stopped: Promise<void> | undefined;
  return {
    url: server.url,
    storage,
    state,
    faults,
    clock: {
      now: () => new Date(state.clock.now()),
      advance,
      set: (date) => state.clock.set(date.getTime()),
    },
    commandLog: state.commandLog,
    registry,
    core,
    createDatabase: (name) => state.createDatabase(name),
    setEventGridUrl: (url) => eventGrid.setTarget(url),
    runContinuousExports: () => exports.runDueContinuousExports(),
    drainIngestion: () => ingestion.drain(),
    async idle() {
      await Promise.all([exports.idle(), ingestion.drain(), eventGrid.idle()]);
    },
    stop() {
      stopped ??= (async () => {
        await server.close();
        await ingestion.stop();
        await exports.idle();
        await eventGrid.idle();
        await azurite?.stop();
      })();
      return stopped;
    },
  };
}
