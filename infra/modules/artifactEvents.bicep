// The BlobCreated subscription of one backup account, delivered to the artifact catalog's Event
// Grid-triggered function. Event Grid checks that the function exists when the subscription is
// created, so this module is deployed only once the code is (see azure.yaml's postdeploy hook).

@description('Event Grid system topic of the backup account.')
param systemTopicName string

@description('Backup container whose blobs are reported.')
param containerName string

@description('Function App name.')
param functionAppName string

@description('Name of the Event Grid-triggered function (lib/names.ts FunctionNames.artifactEvents).')
param functionName string

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = {
  name: systemTopicName
}

resource site 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource blobCreated 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: systemTopic
  name: 'adx-backup-artifacts'
  properties: {
    destination: {
      endpointType: 'AzureFunction'
      properties: {
        resourceId: '${site.id}/functions/${functionName}'
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
      ]
      subjectBeginsWith: '/blobServices/default/containers/${containerName}/'
      // ADLS (dfs endpoint) writes raise a zero-length CreateFile event before FlushWithClose; only
      // committed blobs matter to the catalog.
      advancedFilters: [
        {
          operatorType: 'StringNotIn'
          key: 'data.api'
          values: [
            'CreateFile'
          ]
        }
      ]
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}

output subscriptionName string = blobCreated.name
