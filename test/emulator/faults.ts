/**
 * Fault injection switches. Tests set them in-process (`emulator.faults`) or over the admin HTTP
 * route; the command handlers, the export runner, the ingestion consumer and the Event Grid
 * publisher consult them.
 */
export class Faults {
  /** Remaining forced 429s per command family (the command's leading keywords, e.g. `export`, `show operations`). */
  private readonly throttles = new Map<string, number>();
  /** Exports (async or continuous) whose input exceeds this many rows fail with E_LOW_MEMORY_CONDITION. */
  exportRowLimit: number | null = null;
  /** Containers (by name) that exports cannot write to: "storage account not accessible". */
  readonly inaccessibleContainers = new Set<string>();
  /** When set, every request is refused with 403 (auth refused). */
  refuseAuth = false;
  /** Async operations stay InProgress while true. */
  holdOperations = false;
  /** Next N artifacts written by an export are left as truncated partial files and the run fails. */
  partialFilesNext = 0;
  /** Next N Event Grid deliveries are dropped / sent twice. */
  eventGridDropNext = 0;
  eventGridDuplicateNext = 0;
  /** Next N ingestion messages fail permanently (recorded in `.show ingestion failures`). */
  ingestionFailNext = 0;

  /** Throttles the next `times` commands of a family with HTTP 429. */
  throttle(family: string, times: number): void {
    this.throttles.set(family.toLowerCase(), times);
  }

  /**
   * True when a command whose leading keywords are `verb` must be throttled now; consumes one.
   * A family matches when the verb starts with it (`show` throttles every `.show ...`).
   */
  consumeThrottle(verb: string): boolean {
    const v = verb.toLowerCase();
    for (const [family, left] of this.throttles) {
      if (left > 0 && (v === family || v.startsWith(`${family} `))) {
        this.throttles.set(family, left - 1);
        return true;
      }
    }
    return false;
  }

  /** Clears every fault. */
  reset(): void {
    this.throttles.clear();
    this.exportRowLimit = null;
    this.inaccessibleContainers.clear();
    this.refuseAuth = false;
    this.holdOperations = false;
    this.partialFilesNext = 0;
    this.eventGridDropNext = 0;
    this.eventGridDuplicateNext = 0;
    this.ingestionFailNext = 0;
  }
}
