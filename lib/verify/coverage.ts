/**
 * Which days of a table the backup must already hold, from its continuous export's row of
 * `.show continuous-exports` (reference §1.1):
 * - `ExportedTo` is the newest ingestion time exported. A day is verified once it ended at or before
 *   it, and the source is counted only up to it (rows ingested later, e.g. late-arriving rows of an
 *   old day, are not expected in the backup yet).
 * - The artifacts of a run that finished after `ExportedTo` was read are not counted either: their
 *   rows were ingested after it. Runs start at least `IntervalBetweenRuns` apart and list their
 *   artifacts with a Timestamp at or after their start, so when no run is in progress at the read,
 *   every artifact listed before `LastRunTime + IntervalBetweenRuns` is covered; while one is in
 *   progress, only those listed before its `LastRunTime`.
 */
import type { ContinuousExport } from '../kusto/results';
import type { ArtifactRecord } from '../storage/catalog';

const DAY_MS = 86_400_000;

/** What the export row says about coverage. */
export interface ExportCoverage {
  readonly exportedTo: Date;
  /** Continuous artifacts committed at or after this are newer than `exportedTo`; null: no bound. */
  readonly artifactCutoff: Date | null;
}

/** Coverage of an export, or why there is none. */
export function coverageOf(exp: ContinuousExport | undefined): ExportCoverage | { readonly reason: string } {
  if (!exp) return { reason: 'its continuous export does not exist' };
  if (!exp.exportedTo) return { reason: 'its continuous export has not exported anything yet' };
  let artifactCutoff: Date | null = null;
  if (exp.lastRunTime) {
    const start = exp.lastRunTime.getTime();
    artifactCutoff = new Date(exp.isRunning ? start : start + (exp.intervalBetweenRunsMs ?? 0));
  }
  return { exportedTo: exp.exportedTo, artifactCutoff };
}

/** True when the backup must hold the whole day (a null day is always checked). */
export function isDayCovered(day: string | null, exportedTo: Date): boolean {
  if (day === null) return true;
  return Date.parse(`${day}T00:00:00Z`) + DAY_MS <= exportedTo.getTime();
}

/** True when a committed artifact's rows are among those `exportedTo` covers. */
export function isArtifactCovered(artifact: ArtifactRecord, coverage: ExportCoverage): boolean {
  if (artifact.source !== 'continuous' || coverage.artifactCutoff === null || artifact.committedAt === null)
    return true;
  return Date.parse(artifact.committedAt) < coverage.artifactCutoff.getTime();
}
