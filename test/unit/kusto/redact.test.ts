import { REDACTED, redact, redactError, redactFields } from '../../../lib/kusto/redact';

describe('redact', () => {
  it.each([
    [
      'a SAS signature in a URL',
      'https://acct.blob.core.windows.net/c/f.parquet?sv=2024-01-01&se=2026-01-01&sp=r&sig=abc%2Bdef%3D',
      'https://acct.blob.core.windows.net/c/f.parquet?sv=2024-01-01&se=2026-01-01&sp=r&sig=[REDACTED]',
    ],
    ['a URL-encoded signature', 'blob?sv=1%26sig%3Dabc123', 'blob?sv=1%26sig%3D[REDACTED]'],
    [
      'an AccountKey',
      'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=Eby8vdM02xNO+/==;EndpointSuffix=core.windows.net',
      'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=[REDACTED];EndpointSuffix=core.windows.net',
    ],
    [
      'a SharedAccessSignature with its own sig',
      'BlobEndpoint=https://a.blob.core.windows.net;SharedAccessSignature=sv=2024&ss=b&sig=xyz',
      'BlobEndpoint=https://a.blob.core.windows.net;SharedAccessSignature=[REDACTED]',
    ],
    [
      'a bearer token',
      'Authorization: Bearer eyJ0eXAiOiJKV1Q.abc-def_ghi',
      `Authorization: Bearer ${REDACTED}`,
    ],
    ['a bare JWT', 'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig', `token ${REDACTED}`],
    [
      ';token= in a storage connection string',
      "h'https://a.blob.core.windows.net/c;token=aadtoken123'",
      "h'https://a.blob.core.windows.net/c;token=[REDACTED]'",
    ],
    [
      'an account key after ; in a Kusto storage connection string',
      "dataformat=parquet ('https://a.blob.core.windows.net/c;Eby8vdM02xNOcqFl+/K1SZFPTOtr/KBHBeksoGMGw==')",
      "dataformat=parquet ('https://a.blob.core.windows.net/c;[REDACTED]')",
    ],
    [
      'a sharedkey for ADLS Gen2',
      "'abfss://fs@a.dfs.core.windows.net/p;sharedkey=Eby8vdM02x=='",
      "'abfss://fs@a.dfs.core.windows.net/p;sharedkey=[REDACTED]'",
    ],
    ['a non-URL obfuscated literal', "password is h@'hunter2' here", `password is h@'${REDACTED}' here`],
    ['a double-quoted obfuscated literal', 'x h"s3cr3t" y', `x h"${REDACTED}" y`],
  ])('masks %s', (_label, input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('keeps identity-based connection strings intact', () => {
    const text =
      "(h@'https://a.blob.core.windows.net/backup;impersonate', h@'https://b.blob.core.windows.net/backup;managed_identity=system')";
    expect(redact(text)).toBe(text);
  });

  it('masks a secret inside an obfuscated URL literal but keeps the URL', () => {
    expect(redact("h@'https://a.blob.core.windows.net/c?sv=1&sig=SECRET'")).toBe(
      "h@'https://a.blob.core.windows.net/c?sv=1&sig=[REDACTED]'",
    );
  });

  it('leaves ordinary text alone', () => {
    const text = "Semantic error: SEM0100: 'table' operator: Failed to resolve table expression named 'aaa'";
    expect(redact(text)).toBe(text);
  });

  it('masks every secret in a mixed message', () => {
    const out = redact(
      'failed: https://x.blob.core.windows.net/c?sig=S1 AccountKey=S2; Bearer S3 https://y.blob.core.windows.net/c;S4',
    );
    for (const s of ['S1', 'S2', 'S3', 'S4']) expect(out).not.toMatch(new RegExp(`\\b${s}\\b`));
  });
});

describe('redactError', () => {
  it('redacts an Error message without the cause chain', () => {
    const error = new Error('open https://a/c?sig=SECRET failed', { cause: new Error('AccountKey=OTHER') });
    expect(redactError(error)).toBe('open https://a/c?sig=[REDACTED] failed');
  });

  it('handles strings and plain objects', () => {
    expect(redactError('Bearer abc.def')).toBe(`Bearer ${REDACTED}`);
    expect(redactError({ url: 'https://a/c?sig=X' })).toBe('{"url":"https://a/c?sig=[REDACTED]"}');
    expect(redactError(undefined)).toBe('undefined');
  });
});

describe('redactFields', () => {
  it('redacts string values and keeps other values', () => {
    expect(redactFields({ url: 'https://a/c?sig=X', attempt: 2, ok: true })).toEqual({
      url: 'https://a/c?sig=[REDACTED]',
      attempt: 2,
      ok: true,
    });
  });
});

describe('idempotence', () => {
  it('redacting twice changes nothing', () => {
    const text =
      "h@'https://a.blob.core.windows.net/c?sig=X' AccountKey=Y; https://b.blob.core.windows.net/c;token=Z Bearer W https://c.blob.core.windows.net/c;KEY==";
    const once = redact(text);
    expect(redact(once)).toBe(once);
  });
});
