/**
 * Progress bars for long work (historical export, restore), drawn with `cli-progress` on stderr.
 * They are off when stderr is not a terminal or with `--json`, so logs and pipes get no control
 * characters; the final result is printed either way.
 */
import { Presets, SingleBar } from 'cli-progress';
import type { CliIo } from './io';

/** A bar that counts up to a total that may grow as work is discovered. */
export interface ProgressBar {
  /** Sets the total (e.g. rows planned so far). */
  setTotal(total: number): void;
  /** Sets the value and an optional short detail shown after the counts. */
  update(value: number, detail?: string): void;
  /** Removes nothing: draws the final state and releases the terminal. */
  stop(): void;
}

const NOOP: ProgressBar = { setTotal: () => undefined, update: () => undefined, stop: () => undefined };

/** A bar labelled `label` counting `unit`; a no-op unless `io` has a terminal and `json` is off. */
export function createProgressBar(
  io: CliIo,
  options: { label: string; unit: string; json: boolean },
): ProgressBar {
  const stream = io.progressStream;
  if (!stream || options.json) return NOOP;
  const bar = new SingleBar(
    {
      stream,
      format: `${options.label} |{bar}| {value}/{total} ${options.unit} {detail}`,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 20,
    },
    Presets.shades_classic,
  );
  let started = false;
  let total = 0;
  const ensure = (): void => {
    if (!started) {
      bar.start(total, 0, { detail: '' });
      started = true;
    }
  };
  return {
    setTotal(value) {
      total = value;
      ensure();
      bar.setTotal(value);
    },
    update(value, detail = '') {
      ensure();
      bar.update(value, { detail });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
