/**
 * Storage side of `externaldata`: each listed file (a storage connection string naming one blob,
 * any auth suffix) is downloaded from Azurite and decoded by format with the query's schema.
 */
import type { EmulatorCore } from '../core';
import type { Relation, Row } from '../kql/types';
import { KustoError } from '../kustoError';
import type { Column } from '../values';
import { maskConnectionString } from './connectionStrings';
import { decodeArtifact } from './formats';
import { storageNotAccessible } from './writer';

/** The rows of the listed files, in list order. */
export async function externalDataRelation(
  core: EmulatorCore,
  uris: readonly string[],
  format: string,
  columns: readonly Column[],
  ignoreFirstRecord: boolean,
): Promise<Relation> {
  const rows: Row[] = [];
  for (const uri of uris) {
    const location = core.blobs.resolve(uri);
    if (core.faults.inaccessibleContainers.has(location.container))
      throw storageNotAccessible(uri, location.container);
    let bytes: Uint8Array;
    try {
      bytes = await core.blobs.download(location.container, location.prefix);
    } catch (error) {
      const status = (error as { statusCode?: unknown } | null)?.statusCode;
      throw KustoError.badRequest(
        `externaldata: failed to download '${maskConnectionString(uri)}'${status === 404 ? ': the blob does not exist' : ''}.`,
      );
    }
    for (const values of await decodeArtifact(format, bytes, columns, ignoreFirstRecord, location.url))
      rows.push({ values });
  }
  return { columns: columns.map((c) => ({ ...c })), rows };
}
