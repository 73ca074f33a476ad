import { ReportLevel, ReportMethod, decodeIngestionMessage, encodeMessage, withoutSecrets } from './message';

/** The message azure-kusto-ingest 7 sends (reference §3.5, local-stack notes §2). */
const SDK_MESSAGE = {
  IngestionStatusInTable: null,
  ApplicationForTracing: 'app',
  ClientVersionForTracing: 'Kusto.JavaScript.Client:{7.0.3}|Runtime.Node:{v20.20.2}',
  BlobPath: 'http://127.0.0.1:1/devstoreaccount1/backup/day=2025-01-01/part-000001.parquet?sv=1&sig=abc',
  RawDataSize: 12345,
  DatabaseName: 'db1',
  TableName: 'Events',
  RetainBlobOnSuccess: true,
  FlushImmediately: true,
  IgnoreSizeLimit: false,
  ReportLevel: 2,
  ReportMethod: 0,
  SourceMessageCreationTime: '2026-11-21T09:53:20.288Z',
  Id: '3f8e2a4c-9b1d-4e6f-8a2b-1c3d5e7f9a0b',
  AdditionalProperties: {
    creationTime: '2025-01-01T00:00:00Z',
    authorizationContext: 'ctx',
    format: 'parquet',
  },
};

describe('decodeIngestionMessage', () => {
  it('decodes the base64 JSON the SDK sends', () => {
    expect(decodeIngestionMessage(encodeMessage(SDK_MESSAGE))).toEqual({
      id: SDK_MESSAGE.Id,
      blobPath: SDK_MESSAGE.BlobPath,
      rawDataSize: 12345,
      database: 'db1',
      table: 'Events',
      reportLevel: ReportLevel.FailuresAndSuccesses,
      reportMethod: ReportMethod.Queue,
      properties: SDK_MESSAGE.AdditionalProperties,
    });
  });

  it('accepts plain JSON and defaults absent report settings to FailuresOnly on the queue', () => {
    const m = decodeIngestionMessage(
      JSON.stringify({ ...SDK_MESSAGE, ReportLevel: null, ReportMethod: undefined }),
    );
    expect([m.reportLevel, m.reportMethod]).toEqual([ReportLevel.FailuresOnly, ReportMethod.Queue]);
    expect(decodeIngestionMessage(JSON.stringify({ Id: 'x' })).properties).toEqual({});
  });

  it('rejects text that is not base64 JSON of an object as a corrupted message', () => {
    for (const text of [Buffer.from('nope').toString('base64'), encodeMessage([1, 2]), '{broken']) {
      expect(() => decodeIngestionMessage(text)).toThrow(
        expect.objectContaining({ code: 'BadRequest_CorruptedMessage', permanent: true }),
      );
    }
  });
});

describe('encodeMessage / withoutSecrets', () => {
  it('encodes UTF-8 JSON as base64', () => {
    expect(Buffer.from(encodeMessage({ a: 'é' }), 'base64').toString('utf8')).toBe('{"a":"é"}');
  });

  it('drops the SAS and any Kusto credential suffix', () => {
    expect(withoutSecrets('https://a.blob.core.windows.net/c/b.csv?sv=1&sig=x')).toBe(
      'https://a.blob.core.windows.net/c/b.csv',
    );
    expect(withoutSecrets('https://a.blob.core.windows.net/c/b.csv;impersonate')).toBe(
      'https://a.blob.core.windows.net/c/b.csv',
    );
  });
});
