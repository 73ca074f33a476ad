import { classifyFailure, fixFor, latestFailure } from '../../../lib/domain/exportFailures';

test.each([
  ["Permanent failure: external table not found: 'adxbackup_T'.", 'external-table-missing'],
  [
    "Entity 'adxbackup_T' of kind 'ExternalTable' was not found (BadRequest_EntityNotFound)",
    'external-table-missing',
  ],
  [
    "Permanent failure: schema mismatch between the query output and the external table 'adxbackup_T': column 'Region' is not in the external table.",
    'schema-mismatch',
  ],
  ['Query schema does not match the external table schema', 'schema-mismatch'],
  [
    "Permanent failure: storage account not accessible. Access to container 'backup' was denied (403 AuthorizationPermissionMismatch)",
    'storage-inaccessible',
  ],
  ['This request is not authorized to perform this operation.', 'storage-inaccessible'],
  [
    "The management command was aborted due to throttling. CommandType: 'DataExport', Capacity: 4, Origin: 'CapacityPolicy/Export'",
    'throttling',
  ],
  ['Partial query failure: Low memory condition (E_LOW_MEMORY_CONDITION).', 'throttling'],
  ['Something unexpected happened', 'unknown'],
] as const)('%s -> %s', (details, cause) => {
  expect(classifyFailure(details)).toBe(cause);
});

test('latestFailure picks the newest, whatever the order', () => {
  const f = (iso: string) => ({
    timestamp: new Date(iso),
    operationId: iso,
    name: 'x',
    failureKind: 'Failure',
    details: iso,
  });
  expect(
    latestFailure([f('2026-01-02T00:00:00Z'), f('2026-01-03T00:00:00Z'), f('2026-01-01T00:00:00Z')])
      ?.operationId,
  ).toBe('2026-01-03T00:00:00Z');
  expect(latestFailure([])).toBeUndefined();
});

test('every cause has a fix naming what to do', () => {
  const target = {
    exportName: 'adxbackup_T',
    containers: ['https://a.blob.core.windows.net/c'],
    managedIdentity: 'system',
  };
  expect(fixFor('storage-inaccessible', target)).toMatch(
    /a\.blob\.core\.windows\.net\/c.*managedIdentity 'system'.*firewall/,
  );
  expect(fixFor('unknown', target)).toContain(".show continuous-export adxbackup_T failures'");
  expect(fixFor('throttling', target)).toContain('ExportCapacity');
  expect(fixFor('external-table-missing', target)).toContain('recreates');
  expect(fixFor('schema-mismatch', target)).toContain('realigns');
});
