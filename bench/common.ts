/**
 * What the benchmark sections share: timing and rounding, a bounded pool, acceptance targets, the
 * plain-text tables `npm run bench` prints, and a probe that counts durable history events per
 * generation (the runner's own statistics keep one figure per instance).
 */
import { cpus, loadavg, totalmem } from 'node:os';
import type { RegisteredFunction } from '../lib/runtime/functionsCoreStub';
import { registry } from '../lib/runtime/functionsCoreStub';

/** Seconds since `start` (a `performance.now()` reading). */
export const seconds = (start: number): number => (performance.now() - start) / 1000;

/** `n` rounded to `digits` decimals. */
export const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** Runs `work` over `items` with at most `limit` in flight. */
export async function pool<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/** The machine a run was measured on. */
export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
  readonly loadAverage: readonly number[];
}

/** Describes this machine now (the load average tells a reader whether something else was running). */
export function machineInfo(): MachineInfo {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAverage: loadavg().map((l) => round(l, 2)),
  };
}

/** One acceptance bound and whether the run met it. */
export interface Target {
  readonly section: string;
  readonly name: string;
  readonly actual: number;
  readonly bound: number;
  readonly op: '>=' | '<=' | '<' | '==';
  readonly pass: boolean;
}

/** Checks `actual op bound`. */
export function target(
  section: string,
  name: string,
  actual: number,
  op: Target['op'],
  bound: number,
): Target {
  const pass =
    op === '>='
      ? actual >= bound
      : op === '<='
        ? actual <= bound
        : op === '<'
          ? actual < bound
          : actual === bound;
  return { section, name, actual, bound, op, pass };
}

/** `PASS`/`FAIL` with the figure and its bound. */
export function verdict(t: Target): string {
  return `${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.actual} (target ${t.op} ${t.bound})`;
}

/** Formats a number with thousands separators; other values as they are. */
function cell(value: unknown): string {
  if (typeof value === 'number')
    return Number.isInteger(value) ? value.toLocaleString('en-US') : String(value);
  return String(value);
}

/** A plain-text table: the first column left-aligned, the others right-aligned. */
export function textTable(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const text = [headers, ...rows.map((r) => r.map(cell))];
  const widths = headers.map((_, c) => Math.max(...text.map((r) => String(r[c] ?? '').length)));
  const line = (r: readonly unknown[]): string =>
    r
      .map((v, c) => (c === 0 ? String(v).padEnd(widths[c]!) : String(v).padStart(widths[c]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(text[0]!), rule, ...text.slice(1).map(line)].join('\n');
}

/** Writes a line to stdout (progress and tables; the bench is a command-line tool). */
export function say(text = ''): void {
  process.stdout.write(`${text}\n`);
}

/** Totals of a {@link HistoryProbe}. */
export interface HistoryTotals {
  /** Distinct instance ids (sub-orchestrations included). */
  readonly instances: number;
  /** Generations (an instance that continued as new counts once per generation). */
  readonly generations: number;
  /** Events of every generation of every instance: what the task hub stores over the run. */
  readonly totalEvents: number;
  /** The largest single history (one generation of one instance). */
  readonly largest: number;
  /** Largest history by orchestrator name. */
  readonly largestByOrchestrator: Readonly<Record<string, number>>;
}

/** Counts history events per generation of the named orchestrators. */
export interface HistoryProbe {
  totals(): HistoryTotals;
  /** Puts the original handlers back. */
  remove(): void;
}

/**
 * Wraps the registered orchestrators `names` to read the history each episode is given. The local
 * runner's `stats.histories` keeps the largest generation per instance id, which is right for the
 * 2,000-event bound but undercounts what a run stores in total once instances continue as new; the
 * first episode of every generation is the one that is not replaying, and the last one sees the full
 * history. Call after the orchestrators are registered; a later registration replaces the wrapper.
 */
export function probeHistories(names: readonly string[]): HistoryProbe {
  const generations: { name: string; instanceId: string; events: number }[] = [];
  const current = new Map<string, number>();
  const originals = new Map<string, RegisteredFunction>();
  for (const name of names) {
    const original = registry.get(name);
    if (!original) throw new Error(`orchestrator ${name} is not registered`);
    originals.set(name, original);
    registry.set(name, {
      ...original,
      handler: (...args: unknown[]) => {
        const trigger = args[0] as { instanceId: string; isReplaying: boolean; history: unknown[] };
        const at = current.get(trigger.instanceId);
        if (!trigger.isReplaying || at === undefined) {
          current.set(trigger.instanceId, generations.length);
          generations.push({ name, instanceId: trigger.instanceId, events: trigger.history.length });
        } else {
          generations[at]!.events = trigger.history.length;
        }
        return original.handler(...args);
      },
    });
  }
  return {
    totals() {
      const largestByOrchestrator: Record<string, number> = {};
      for (const g of generations)
        largestByOrchestrator[g.name] = Math.max(largestByOrchestrator[g.name] ?? 0, g.events);
      return {
        instances: new Set(generations.map((g) => g.instanceId)).size,
        generations: generations.length,
        totalEvents: generations.reduce((n, g) => n + g.events, 0),
        largest: Math.max(0, ...generations.map((g) => g.events)),
        largestByOrchestrator,
      };
    },
    remove() {
      for (const [name, original] of originals) registry.set(name, original);
    },
  };
}

/** Runs a section's `main` when its file is run directly, exiting 1 on an error. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
