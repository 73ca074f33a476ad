import {
  parseKustoIdentityToken,
  groupIngestionResources,
  parseIngestionFailures,
  parseIngestionResources,
} from '../../../../lib/kusto/results/ingestion';
import { dropColumn, table } from '../../../helpers/resultTables';

describe('ingestion', () => {
  it('reads ingestion failures with 0/1 booleans', () => {
    const t = table(
      'OperationId:guid, Database:string, Table:string, FailedOn:datetime, IngestionSourcePath:string, Details:string, FailureKind:string, RootActivityId:guid, OperationKind:string, OriginatesFromUpdatePolicy:bool, ErrorCode:string, Principal:string, ShouldRetry:bool, User:string, IngestionProperties:string, NumberOfSources:long',
      [
        [
          '3827def6-1',
          'DB1',
          'Table1',
          '2017-02-14T22:25:03.1147331Z',
          'https://x.blob.core.windows.net/c/a.csv',
          "Stream with ID '*****.csv' has a malformed CSV format",
          'Permanent',
          '3c883942-1',
          'DataIngestPull',
          0,
          'Stream_ClosingQuoteMissing',
          'aadapp=xxxxxx',
          0,
          '',
          'Format=Csv',
          1,
        ],
      ],
    );
    expect(parseIngestionFailures(t)[0]).toMatchObject({
      operationId: '3827def6-1',
      failedOn: new Date('2017-02-14T22:25:03.114Z'),
      failureKind: 'Permanent',
      originatesFromUpdatePolicy: false,
      shouldRetry: false,
      errorCode: 'Stream_ClosingQuoteMissing',
      numberOfSources: 1,
    });
    expect(() => parseIngestionFailures(dropColumn(t, 'FailedOn'))).toThrow("'FailedOn'");
  });

  it('reads and groups ingestion resources', () => {
    const t = table('ResourceTypeName:string, StorageRoot:string', [
      [
        'SecuredReadyForAggregationQueue',
        'https://a.queue.core.windows.net/readyforaggregation-secured?sas1',
      ],
      [
        'SecuredReadyForAggregationQueue',
        'https://b.queue.core.windows.net/readyforaggregation-secured?sas2',
      ],
      ['TempStorage', 'https://a.blob.core.windows.net/tempstorage?sas'],
      ['FailedIngestionsQueue', 'https://a.queue.core.windows.net/failedingestions?sas'],
      ['SuccessfulIngestionsQueue', 'https://a.queue.core.windows.net/successfulingestions?sas'],
      ['IngestionsStatusTable', 'https://a.table.core.windows.net/ingestionsstatus?sas'],
    ]);
    const grouped = groupIngestionResources(parseIngestionResources(t));
    expect(grouped.readyForAggregationQueues).toHaveLength(2);
    expect(grouped.tempStorage).toEqual(['https://a.blob.core.windows.net/tempstorage?sas']);
    expect(grouped.statusTables).toHaveLength(1);
  });

  it('reads the kusto identity token, refusing an empty answer', () => {
    expect(parseKustoIdentityToken(table('AuthorizationContext:string', [['ctx-123']]))).toBe('ctx-123');
    expect(() => parseKustoIdentityToken(table('AuthorizationContext:string', []))).toThrow('empty result');
    expect(() => parseKustoIdentityToken(table('AuthorizationContext:string', [['']]))).toThrow(
      'empty result',
    );
    expect(() => parseKustoIdentityToken(table('Other:string', [['x']]))).toThrow("'AuthorizationContext'");
  });
});
