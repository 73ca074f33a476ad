// The Function App on the Flex Consumption plan (FC1, Linux, Node 22). It runs as the user-assigned
// identity: host storage (AzureWebJobsStorage__*), the deployment package, Application Insights and
// every adx-backup setting are identity-based; no key, SAS or connection string with a secret is set.

@description('Function App name.')
param name string

@description('Flex Consumption plan name.')
param planName string

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('azd service name (azure.yaml), set as the azd-service-name tag so `azd deploy` finds the app.')
param serviceName string

@description('Resource id of the user-assigned identity.')
param identityId string

@description('Client id of the user-assigned identity.')
param identityClientId string

@description('Name of the host storage account (AzureWebJobsStorage).')
param hostStorageName string

@description('Blob container of the host storage account that receives the deployment package.')
param deploymentContainerName string

@description('Application Insights component name.')
param applicationInsightsName string

@description('Memory per instance.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Most instances the app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Every setting lib/config.ts reads (CONFIG_KEYS), by app setting name.')
param adxBackupSettings object

var serviceTag = {
  'azd-service-name': serviceName
}

resource hostStorage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: hostStorageName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, serviceTag)
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: [
        // Host storage and the Durable task hub, through the identity (no AzureWebJobsStorage string).
        {
          name: 'AzureWebJobsStorage__accountName'
          value: hostStorage.name
        }
        {
          name: 'AzureWebJobsStorage__credential'
          value: 'managedidentity'
        }
        {
          name: 'AzureWebJobsStorage__clientId'
          value: identityClientId
        }
        // Telemetry; the component accepts Entra-authenticated telemetry only (DisableLocalAuth).
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: appInsights.properties.ConnectionString
        }
        {
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'ClientId=${identityClientId};Authorization=AAD'
        }
        // lib/config.ts (CONFIG_KEYS); host.json reads ADX_BACKUP_TASK_HUB as %ADX_BACKUP_TASK_HUB%.
        {
          name: 'ADX_BACKUP_CLUSTER_URI'
          value: adxBackupSettings.ADX_BACKUP_CLUSTER_URI
        }
        {
          name: 'ADX_BACKUP_DATABASES'
          value: adxBackupSettings.ADX_BACKUP_DATABASES
        }
        {
          name: 'ADX_BACKUP_CONTAINERS'
          value: adxBackupSettings.ADX_BACKUP_CONTAINERS
        }
        {
          name: 'ADX_BACKUP_STORAGE_AUTH'
          value: adxBackupSettings.ADX_BACKUP_STORAGE_AUTH
        }
        {
          name: 'ADX_BACKUP_EXPORT_MANAGED_IDENTITY'
          value: adxBackupSettings.ADX_BACKUP_EXPORT_MANAGED_IDENTITY
        }
        {
          name: 'ADX_BACKUP_EXPORT_INTERVAL'
          value: adxBackupSettings.ADX_BACKUP_EXPORT_INTERVAL
        }
        {
          name: 'ADX_BACKUP_CHUNK_TARGET_ROWS'
          value: adxBackupSettings.ADX_BACKUP_CHUNK_TARGET_ROWS
        }
        {
          name: 'ADX_BACKUP_SETUP_PARALLELISM'
          value: adxBackupSettings.ADX_BACKUP_SETUP_PARALLELISM
        }
        {
          name: 'ADX_BACKUP_MONITOR_SCHEDULE'
          value: adxBackupSettings.ADX_BACKUP_MONITOR_SCHEDULE
        }
        {
          name: 'ADX_BACKUP_LATENESS_THRESHOLD'
          value: adxBackupSettings.ADX_BACKUP_LATENESS_THRESHOLD
        }
        {
          name: 'ADX_BACKUP_REENABLE_PER_TICK'
          value: adxBackupSettings.ADX_BACKUP_REENABLE_PER_TICK
        }
        {
          name: 'ADX_BACKUP_VERIFY_SCHEDULE'
          value: adxBackupSettings.ADX_BACKUP_VERIFY_SCHEDULE
        }
        {
          name: 'ADX_BACKUP_RECONCILE_SCHEDULE'
          value: adxBackupSettings.ADX_BACKUP_RECONCILE_SCHEDULE
        }
        {
          name: 'ADX_BACKUP_ORPHAN_HORIZON'
          value: adxBackupSettings.ADX_BACKUP_ORPHAN_HORIZON
        }
        {
          name: 'ADX_BACKUP_QUARANTINE_ORPHANS'
          value: adxBackupSettings.ADX_BACKUP_QUARANTINE_ORPHANS
        }
        {
          name: 'ADX_BACKUP_RESTORE_BATCH_SIZE'
          value: adxBackupSettings.ADX_BACKUP_RESTORE_BATCH_SIZE
        }
        {
          name: 'ADX_BACKUP_RESTORE_STALL_TIMEOUT'
          value: adxBackupSettings.ADX_BACKUP_RESTORE_STALL_TIMEOUT
        }
        {
          name: 'ADX_BACKUP_KUSTO_RETRY_ATTEMPTS'
          value: adxBackupSettings.ADX_BACKUP_KUSTO_RETRY_ATTEMPTS
        }
        {
          name: 'ADX_BACKUP_MANAGED_IDENTITY_CLIENT_ID'
          value: adxBackupSettings.ADX_BACKUP_MANAGED_IDENTITY_CLIENT_ID
        }
        {
          name: 'ADX_BACKUP_CATALOG_TABLE_URL'
          value: adxBackupSettings.ADX_BACKUP_CATALOG_TABLE_URL
        }
        {
          name: 'ADX_BACKUP_TASK_HUB'
          value: adxBackupSettings.ADX_BACKUP_TASK_HUB
        }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${hostStorage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'node'
        version: '22'
      }
    }
  }
}

output name string = site.name
output id string = site.id
output defaultHostName string = site.properties.defaultHostName
