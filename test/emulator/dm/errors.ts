/**
 * Ingestion failures as the data-management service classifies them: an error code from the
 * documented list (DOCS `error-codes.md`), its permanence, and a human-readable detail.
 */

/** An ingestion that cannot complete. Thrown inside the pipeline, recorded and reported by callers. */
export class IngestionError extends Error {
  constructor(
    /** Manifest constant, e.g. `Download_SourceNotFound`. */
    readonly code: string,
    /** What went wrong, as shown in `Details`. */
    readonly details: string,
    /** Permanent failures are not worth retrying (`FailureKind`/`FailureStatus`). */
    readonly permanent = true,
  ) {
    super(`${code}: ${details}`);
    this.name = 'IngestionError';
  }
}

/** Shorthand for a permanent failure. */
export function permanent(code: string, details: string): IngestionError {
  return new IngestionError(code, details, true);
}

/** Shorthand for a transient failure (retrying may succeed). */
export function transient(code: string, details: string): IngestionError {
  return new IngestionError(code, details, false);
}

/** Normalises anything thrown inside the pipeline to an IngestionError (unknown errors are transient). */
export function asIngestionError(error: unknown): IngestionError {
  if (error instanceof IngestionError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return transient('General_InternalServerError', message);
}
