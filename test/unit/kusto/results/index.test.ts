import * as results from '../../../../lib/kusto/results';

describe('results barrel', () => {
  it('exports every parser the single results module exported, and nothing of the row machinery', () => {
    expect(Object.keys(results).sort()).toEqual([
      'findCapacity',
      'groupIngestionResources',
      'latestByOperationId',
      'parseCapacity',
      'parseContinuousExportFailures',
      'parseContinuousExports',
      'parseCslScript',
      'parseDatabaseSchema',
      'parseExportToTableDetails',
      'parseExportedArtifacts',
      'parseExtentRowCounts',
      'parseExternalTables',
      'parseIngestionFailures',
      'parseIngestionResources',
      'parseKustoDateTime',
      'parseKustoIdentityToken',
      'parseKustoTimespan',
      'parseOperationId',
      'parseOperations',
      'parsePolicies',
      'parseTableSchemas',
      'parseTables',
    ]);
  });
});
