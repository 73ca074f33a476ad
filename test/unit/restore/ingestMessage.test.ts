import { BlobDescriptor, DataFormat, IngestClient, IngestionProperties } from 'azure-kusto-ingest';
import { KustoConnectionStringBuilder } from 'azure-kusto-data';
import {
  artifactKey,
  credentialSuffix,
  encodeIngestionMessage,
  ingestionMessage,
  restoreTag,
  stableUuid,
} from '../../../lib/restore/ingestMessage';
import type { IngestMessageSpec } from '../../../lib/restore/ingestMessage';

const PATH = 'https://acct1.blob.core.windows.net/backup/Sales/Orders/20250101/part-1.parquet';
const SPEC: IngestMessageSpec = {
  id: stableUuid('adxbackup-restore:r1', PATH),
  path: PATH,
  auth: { kind: 'managedIdentity', identity: 'system' },
  rawDataSize: 1234,
  database: 'SalesRestore',
  table: '__restore_0123abcd_Orders',
  authorizationContext: 'ctx-token',
  creationTime: '2025-01-01T00:00:00.000Z',
  tags: [restoreTag('r1')],
  ingestByKey: artifactKey(PATH),
  now: new Date('2026-01-01T00:00:00Z'),
  application: 'adx-backup',
  clientVersion: 'adx-backup:{0.1.0}',
};

/** What the SDK's own queued client puts on the queue for the same blob and properties. */
async function sdkMessage(): Promise<Record<string, unknown>> {
  const client = new IngestClient(new KustoConnectionStringBuilder('http://127.0.0.1:9'), undefined, false);
  let sent: unknown;
  const internals = client as unknown as {
    resourceManager: { getAuthorizationContext(): Promise<string> };
    sendQueueMessage(retries: number, info: unknown): Promise<unknown>;
  };
  internals.resourceManager.getAuthorizationContext = () => Promise.resolve('ctx-token');
  internals.sendQueueMessage = (_retries, info) => {
    sent = info;
    return Promise.resolve({});
  };
  await client.ingestFromBlob(
    new BlobDescriptor(`${PATH};managed_identity=system`, 1234, SPEC.id),
    new IngestionProperties({
      database: 'SalesRestore',
      table: '__restore_0123abcd_Orders',
      format: DataFormat.PARQUET,
      additionalTags: [restoreTag('r1')],
      ingestByTags: [SPEC.ingestByKey],
      ingestIfNotExists: JSON.stringify([SPEC.ingestByKey]),
      additionalProperties: { creationTime: '2025-01-01T00:00:00.000Z' },
    }),
  );
  client.close();
  return JSON.parse(JSON.stringify(sent)) as Record<string, unknown>;
}

describe('ingestionMessage', () => {
  it('is the message azure-kusto-ingest builds for the same blob: same fields, same order, same values', async () => {
    const sdk = await sdkMessage();
    const ours = ingestionMessage(SPEC);
    const tracing = ['SourceMessageCreationTime', 'ApplicationForTracing', 'ClientVersionForTracing'];
    const strip = (m: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(m).filter(([k]) => !tracing.includes(k)));
    expect(Object.keys(ours)).toEqual(Object.keys(sdk));
    expect(Object.keys(ours.AdditionalProperties as object)).toEqual(
      Object.keys(sdk.AdditionalProperties as object),
    );
    expect(strip(ours)).toEqual(strip(sdk));
  });

  it('tags the extent with the restore and the artifact key, and ingests only if the key is absent', () => {
    const props = ingestionMessage(SPEC).AdditionalProperties as Record<string, string>;
    expect(JSON.parse(props.tags!)).toEqual(['adxbackup-restore:r1', `ingest-by:${artifactKey(PATH)}`]);
    expect(JSON.parse(props.ingestIfNotExists!)).toEqual([artifactKey(PATH)]);
    expect(props.format).toBe('parquet');
    const decoded = JSON.parse(
      Buffer.from(encodeIngestionMessage(SPEC), 'base64').toString('utf8'),
    ) as unknown;
    expect(decoded).toEqual(ingestionMessage(SPEC));
  });

  it('omits the creation time for rows without a partition day; never carries a key or SAS', () => {
    const { creationTime: _omit, ...noDay } = SPEC;
    const m = ingestionMessage({ ...noDay, auth: { kind: 'impersonate' } });
    expect(Object.keys(m.AdditionalProperties as object)).not.toContain('creationTime');
    expect(m.BlobPath).toBe(`${PATH};impersonate`);
    expect(
      credentialSuffix({ kind: 'managedIdentity', identity: 'A1B2C3D4-0000-4000-8000-000000000000' }),
    ).toBe(';managed_identity=a1b2c3d4-0000-4000-8000-000000000000');
  });
});

describe('keys and ids', () => {
  it('are stable for a path, differ between paths, and ids are uuid v4', () => {
    expect(artifactKey(PATH)).toBe(artifactKey(PATH));
    expect(artifactKey(PATH)).not.toBe(artifactKey(`${PATH}x`));
    expect(artifactKey(PATH)).toMatch(/^adxbackup:[0-9a-f]{32}$/);
    expect(stableUuid('a', 'b')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(stableUuid('a', 'b')).not.toBe(stableUuid('a', 'c'));
  });
});
