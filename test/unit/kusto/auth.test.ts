import type { AccessToken, TokenCredential } from '@azure/identity';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { ValidationError } from '../../../lib/errors';
import {
  buildConnectionString,
  createCredential,
  deriveDmUri,
  isLoopbackHost,
  normalizeClusterUri,
  parseClusterUri,
} from '../../../lib/kusto/auth';

describe('isLoopbackHost', () => {
  it.each(['localhost', 'LOCALHOST', '127.0.0.1', '127.10.20.30', '::1', '[::1]'])(
    '%s is loopback',
    (host) => {
      expect(isLoopbackHost(host)).toBe(true);
    },
  );

  it.each([
    'localhost.evil.com',
    '128.0.0.1',
    '127.0.0.256',
    '10.0.0.1',
    'mycluster.kusto.windows.net',
    '0.0.0.0',
  ])('%s is not loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});

describe('parseClusterUri', () => {
  it('accepts https and loopback http', () => {
    expect(normalizeClusterUri('https://mycluster.westeurope.kusto.windows.net/')).toBe(
      'https://mycluster.westeurope.kusto.windows.net',
    );
    expect(normalizeClusterUri('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(normalizeClusterUri('http://localhost:8080/')).toBe('http://localhost:8080');
  });

  it.each([
    ['http://mycluster.westeurope.kusto.windows.net', /http is only allowed for loopback/],
    ['http://10.0.0.5:8080', /http is only allowed for loopback/],
    ['ftp://mycluster', /must use https/],
    ['not a url', /not an absolute URL/],
    ['https://user:pw@mycluster.kusto.windows.net', /credentials/],
    ['https://mycluster.kusto.windows.net?sig=abc', /query string/],
  ])('rejects %s with a ValidationError on clusterUri', (uri, message) => {
    let error: unknown;
    try {
      parseClusterUri(uri);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('clusterUri');
    expect((error as Error).message).toMatch(message);
  });

  it('does not echo credentials from a rejected URI', () => {
    expect(() => parseClusterUri('https://user:topsecret@x.kusto.windows.net')).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('topsecret') as string }) as Error,
    );
  });
});

describe('deriveDmUri', () => {
  it('prefixes ingest- for real clusters', () => {
    expect(deriveDmUri('https://mycluster.westeurope.kusto.windows.net')).toBe(
      'https://ingest-mycluster.westeurope.kusto.windows.net',
    );
  });

  it('keeps loopback, IP and already-ingest hosts', () => {
    expect(deriveDmUri('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(deriveDmUri('http://localhost:8080/')).toBe('http://localhost:8080');
    expect(deriveDmUri('https://10.1.2.3')).toBe('https://10.1.2.3');
    expect(deriveDmUri('https://ingest-mycluster.kusto.windows.net')).toBe(
      'https://ingest-mycluster.kusto.windows.net',
    );
  });
});

describe('buildConnectionString', () => {
  it('configures no authentication for a loopback emulator', () => {
    const kcsb = buildConnectionString('http://127.0.0.1:8080');
    expect(kcsb.dataSource).toBe('http://127.0.0.1:8080');
    expect(kcsb.tokenCredential).toBeUndefined();
    expect(kcsb.accessToken).toBeUndefined();
    expect(kcsb.tokenProvider).toBeUndefined();
    expect(kcsb.useManagedIdentityAuth).toBeFalsy();
    expect(kcsb.useAzLoginAuth).toBeFalsy();
  });

  it('uses DefaultAzureCredential for https by default', () => {
    const kcsb = buildConnectionString('https://mycluster.kusto.windows.net/');
    expect(kcsb.dataSource).toBe('https://mycluster.kusto.windows.net');
    expect(kcsb.tokenCredential).toBeInstanceOf(DefaultAzureCredential);
  });

  it('uses ManagedIdentityCredential when a client id is configured', () => {
    const kcsb = buildConnectionString('https://mycluster.kusto.windows.net', {
      managedIdentityClientId: '00000000-0000-0000-0000-000000000001',
    });
    expect(kcsb.tokenCredential).toBeInstanceOf(ManagedIdentityCredential);
  });

  it('prefers an explicit credential', () => {
    const credential: TokenCredential = {
      getToken: (): Promise<AccessToken> =>
        Promise.resolve({ token: 't', expiresOnTimestamp: Date.now() + 60_000 }),
    };
    expect(buildConnectionString('https://mycluster.kusto.windows.net', { credential }).tokenCredential).toBe(
      credential,
    );
    expect(createCredential({ credential, managedIdentityClientId: 'x' })).toBe(credential);
  });

  it('rejects plain http to a remote host', () => {
    expect(() => buildConnectionString('http://mycluster.kusto.windows.net')).toThrow(ValidationError);
  });
});
