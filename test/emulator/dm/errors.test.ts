import { IngestionError, asIngestionError, permanent, transient } from './errors';

describe('IngestionError', () => {
  it('carries code, details and permanence', () => {
    const p = permanent('Download_SourceNotFound', 'gone');
    expect(p).toBeInstanceOf(IngestionError);
    expect([p.code, p.details, p.permanent, p.message]).toEqual([
      'Download_SourceNotFound',
      'gone',
      true,
      'Download_SourceNotFound: gone',
    ]);
    expect(transient('Download_UnknownError', 'reset').permanent).toBe(false);
  });

  it('keeps ingestion errors and turns anything else into a transient internal error', () => {
    const p = permanent('X', 'y');
    expect(asIngestionError(p)).toBe(p);
    const other = asIngestionError(new Error('boom'));
    expect([other.code, other.details, other.permanent]).toEqual([
      'General_InternalServerError',
      'boom',
      false,
    ]);
    expect(asIngestionError('text').details).toBe('text');
  });
});
