/** Datetime arithmetic for the scalar functions: calendar starts, binning and `format_datetime`. */

export const MS_PER_DAY = 86_400_000;
/** Milliseconds from 0001-01-01 (Kusto's tick origin) to 1970-01-01. */
export const TICK_ORIGIN_MS = 62_135_596_800_000;

/** Rounds `value` down to a multiple of `size`; datetimes are binned from Kusto's origin 0001-01-01. */
export function binValue(value: number, size: number, isDatetime: boolean): number | null {
  if (!(size > 0)) return null;
  if (!isDatetime) return Math.floor(value / size) * size;
  return Math.floor((value + TICK_ORIGIN_MS) / size) * size - TICK_ORIGIN_MS;
}

/** Midnight (UTC) of the day of `ms`, moved by whole days. */
export function startOfDay(ms: number, offsetDays = 0): number {
  return Math.floor(ms / MS_PER_DAY) * MS_PER_DAY + offsetDays * MS_PER_DAY;
}

/** Sunday midnight (UTC) of the week of `ms`, moved by whole weeks. */
export function startOfWeek(ms: number, offsetWeeks = 0): number {
  const day = startOfDay(ms);
  return day - new Date(day).getUTCDay() * MS_PER_DAY + offsetWeeks * 7 * MS_PER_DAY;
}

/** First day (UTC) of the month of `ms`, moved by whole months. */
export function startOfMonth(ms: number, offsetMonths = 0): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offsetMonths, 1);
}

/** January 1st (UTC) of the year of `ms`, moved by whole years. */
export function startOfYear(ms: number, offsetYears = 0): number {
  return Date.UTC(new Date(ms).getUTCFullYear() + offsetYears, 0, 1);
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/**
 * `format_datetime` with .NET-style specifiers: `yyyy yy y MM M dd d HH H hh h mm m ss s tt`,
 * `f`..`fffffff` and `F`..`FFFFFFF`; any other character is copied as is.
 */
export function formatDatetimePattern(ms: number, pattern: string): string {
  const d = new Date(Math.floor(ms));
  const ticks = Math.round((ms - Math.floor(ms / 1000) * 1000) * 10_000); // 100 ns units within the second
  let out = '';
  for (let i = 0; i < pattern.length;) {
    const ch = pattern[i]!;
    let run = 1;
    while (pattern[i + run] === ch) run++;
    i += run;
    const hours = d.getUTCHours();
    switch (ch) {
      case 'y':
        out +=
          run >= 4
            ? pad(d.getUTCFullYear(), run)
            : run === 2
              ? pad(d.getUTCFullYear() % 100, 2)
              : String(d.getUTCFullYear() % 100);
        break;
      case 'M':
        out += pad(d.getUTCMonth() + 1, Math.min(run, 2));
        break;
      case 'd':
        out += pad(d.getUTCDate(), Math.min(run, 2));
        break;
      case 'H':
        out += pad(hours, Math.min(run, 2));
        break;
      case 'h':
        out += pad(hours % 12 === 0 ? 12 : hours % 12, Math.min(run, 2));
        break;
      case 'm':
        out += pad(d.getUTCMinutes(), Math.min(run, 2));
        break;
      case 's':
        out += pad(d.getUTCSeconds(), Math.min(run, 2));
        break;
      case 't':
        out += (hours < 12 ? 'AM' : 'PM').slice(0, Math.min(run, 2));
        break;
      case 'f':
      case 'F': {
        const digits = pad(Math.min(ticks, 9_999_999), 7).slice(0, Math.min(run, 7));
        out += ch === 'F' ? digits.replace(/0+$/, '') : digits;
        break;
      }
      default:
        out += ch.repeat(run);
    }
  }
  return out;
}
