/**
 * Reading an external table for `external_table('X')`: every artifact under its connection strings
 * (honouring `namePrefix` / `fileExtension`), decoded by format. Partition virtual columns are not
 * materialised; columns come from the files.
 */
import type { EmulatorCore } from '../core';
import type { Relation, Row } from '../kql/types';
import { KustoError } from '../kustoError';
import { requireDatabase } from '../tables';
import { tableProperty } from './externalTables';
import { decodeArtifact, headerMode } from './formats';
import { storageNotAccessible } from './writer';

/** The rows of an external table, read from storage now. */
export async function externalTableRelation(
  core: EmulatorCore,
  database: string,
  name: string,
): Promise<Relation> {
  const db = requireDatabase(core, database);
  const table = db.externalTables.get(name);
  if (!table) throw KustoError.notFound('External table', name);
  const namePrefix = tableProperty(table, 'namePrefix');
  const fileExtension = tableProperty(table, 'fileExtension');
  const headers = headerMode(tableProperty(table, 'includeHeaders') as string | undefined);
  const rows: Row[] = [];
  for (const cs of table.connectionStrings) {
    const location = core.blobs.resolve(cs);
    if (core.faults.inaccessibleContainers.has(location.container))
      throw storageNotAccessible(cs, location.container);
    const prefix = location.prefix === '' ? '' : `${location.prefix}/`;
    const blobs = (await core.blobs.list(location.container, prefix)).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    const firstInFolder = new Set<string>();
    for (const blob of blobs) {
      const fileName = blob.name.slice(blob.name.lastIndexOf('/') + 1);
      if (typeof namePrefix === 'string' && namePrefix !== '' && !fileName.startsWith(namePrefix)) continue;
      if (typeof fileExtension === 'string' && fileExtension !== '' && !fileName.endsWith(fileExtension))
        continue;
      const folder = blob.name.slice(0, blob.name.lastIndexOf('/') + 1);
      const skipHeader = headers === 'all' || (headers === 'firstfile' && !firstInFolder.has(folder));
      firstInFolder.add(folder);
      const bytes = await core.blobs.download(location.container, blob.name);
      for (const values of await decodeArtifact(table.dataFormat, bytes, table.columns, skipHeader, blob.url))
        rows.push({ values });
    }
  }
  return { columns: table.columns.map((c) => ({ ...c })), rows };
}
