/**
 * The demo's source data: the seed table `MyTestTable` with its five rows, and a few larger tables
 * whose rows were ingested over the past days (so the historical export has several days and
 * chunks). Tables are created with the product's own command builders over the real Kusto protocol;
 * rows are appended inside the emulator, standing in for the application that ingests them.
 */
import type { EmulatorHandle } from '../../test/emulator/index';
import { appendExtent } from '../../test/emulator/tables';
import type { KValue } from '../../test/emulator/values';
import { createTable } from '../../lib/kusto/commands';
import type { ColumnSpec } from '../../lib/kusto/commands';
import type { KustoGateway } from '../../lib/kusto/gateway';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** The demo's tables and their columns. */
export const DEMO_TABLES: Record<string, readonly ColumnSpec[]> = {
  MyTestTable: [
    { name: 'id', type: 'int' },
    { name: 'name', type: 'string' },
    { name: 'value', type: 'real' },
    { name: 'timestamp', type: 'datetime' },
  ],
  Events: [
    { name: 'Timestamp', type: 'datetime' },
    { name: 'UserId', type: 'long' },
    { name: 'Action', type: 'string' },
    { name: 'DurationMs', type: 'real' },
  ],
  Metrics: [
    { name: 'Timestamp', type: 'datetime' },
    { name: 'Host', type: 'string' },
    { name: 'Cpu', type: 'real' },
  ],
  Devices: [
    { name: 'DeviceId', type: 'string' },
    { name: 'Model', type: 'string' },
  ],
};

/** Rows of the larger tables per day of history. */
const EVENTS_PER_DAY = 12_000;
const METRICS_PER_DAY = 3_000;
const HISTORY_DAYS = 7;

const ACTIONS = ['view', 'click', 'buy', 'share'];

/** MyTestTable's five seed rows (row `id == 2` is the one the demo deletes later). */
export function seedRows(start: number): KValue[][] {
  return [
    [1, 'alpha', 10.5, start],
    [2, 'bravo', 20.25, start + HOUR],
    [3, 'charlie', 30, start + 2 * HOUR],
    [4, 'delta', 40.75, start + 3 * HOUR],
    [5, 'echo', 50.5, start + 4 * HOUR],
  ];
}

function events(day: number, count: number, offset: number): KValue[][] {
  return Array.from({ length: count }, (_, i) => [
    day + Math.floor((i * DAY) / count),
    offset + i,
    ACTIONS[i % ACTIONS.length]!,
    (i % 997) / 4,
  ]);
}

function metricsRows(day: number, count: number): KValue[][] {
  return Array.from({ length: count }, (_, i) => [
    day + Math.floor((i * DAY) / count),
    `host-${i % 12}`,
    (i % 100) / 1.5,
  ]);
}

/**
 * Creates the tables and ingests their history, day by day, ending at `now` on the emulator clock.
 * Returns the number of rows per table.
 */
export async function seedSource(
  emu: EmulatorHandle,
  gateway: KustoGateway,
  database: string,
): Promise<void> {
  emu.createDatabase(database);
  for (const [table, columns] of Object.entries(DEMO_TABLES)) {
    await gateway.execute(database, createTable(table, columns));
  }
  const end = emu.clock.now().getTime();
  const first = end - HISTORY_DAYS * DAY;
  for (let d = 0; d < HISTORY_DAYS; d++) {
    const day = first + d * DAY;
    emu.clock.set(new Date(day + HOUR));
    appendExtent(emu.state, database, 'Events', events(day, EVENTS_PER_DAY, d * EVENTS_PER_DAY));
    appendExtent(emu.state, database, 'Metrics', metricsRows(day, METRICS_PER_DAY));
  }
  emu.clock.set(new Date(first + 2 * HOUR));
  appendExtent(
    emu.state,
    database,
    'Devices',
    Array.from({ length: 500 }, (_, i) => [`dev-${i}`, `model-${i % 7}`]),
  );
  emu.clock.set(new Date(end - HOUR));
  appendExtent(emu.state, database, 'MyTestTable', seedRows(end - DAY));
  emu.clock.set(new Date(end));
}

/** New rows after setup: three more MyTestTable rows and an hour of events, at the emulator's now. */
export function ingestMore(emu: EmulatorHandle, database: string): void {
  const now = emu.clock.now().getTime();
  appendExtent(emu.state, database, 'MyTestTable', [
    [6, 'foxtrot', 60.5, now],
    [7, 'golf', 70.25, now],
    [8, 'hotel', 80, now],
  ]);
  appendExtent(emu.state, database, 'Events', events(now - HOUR, 2_000, HISTORY_DAYS * EVENTS_PER_DAY));
}
