// One backup storage account: geo-redundant, no hierarchical namespace (so blob-endpoint writes raise
// BlobCreated events), blob soft delete and versioning, one backup container (optionally with a
// version-level immutability policy), a lifecycle rule that expires previous versions, the Event Grid
// system topic the artifact catalog subscribes to, and the data-plane grants on the container.

@description('Storage account name (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Geo-redundant replication.')
@allowed([
  'Standard_GRS'
  'Standard_RAGRS'
  'Standard_GZRS'
  'Standard_RAGZRS'
])
param sku string

@description('Backup container name.')
@minLength(3)
@maxLength(63)
param containerName string

@description('Days a deleted or overwritten blob stays recoverable (blob soft delete).')
@minValue(1)
@maxValue(365)
param blobSoftDeleteDays int

@description('Days a deleted container stays recoverable (container soft delete).')
@minValue(1)
@maxValue(365)
param containerSoftDeleteDays int

@description('Days after which previous blob versions are deleted by the lifecycle rule.')
@minValue(1)
@maxValue(36500)
param previousVersionDays int

@description('0: no immutability. More: the container gets version-level immutability with a default, unlocked time-based retention of this many days.')
@minValue(0)
@maxValue(146000)
param immutabilityDays int

@description('Event Grid system topic name for this account.')
param systemTopicName string

@description('Object (principal) id of the Function App identity.')
param functionPrincipalId string

@description('Object (principal) id of the identity the cluster uses for continuous exports (its system-assigned identity by default).')
param clusterPrincipalId string

// Built-in role definition ids (Azure built-in roles reference).
var roles = {
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
}

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: sku
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    isHnsEnabled: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    isVersioningEnabled: true
    deleteRetentionPolicy: {
      enabled: true
      days: blobSoftDeleteDays
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: containerSoftDeleteDays
    }
  }
}

// Version-level immutability can only be switched on (never off), so the property is sent only when
// asked for.
var containerBase = {
  publicAccess: 'None'
}
var containerImmutability = {
  immutableStorageWithVersioning: {
    enabled: true
  }
}

resource container 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: containerName
  properties: immutabilityDays > 0 ? union(containerBase, containerImmutability) : containerBase
}

resource immutability 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2023-05-01' = if (immutabilityDays > 0) {
  parent: container
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: immutabilityDays
    allowProtectedAppendWrites: false
  }
}

// A scrub or a quarantine replaces files; their previous versions must not keep deleted rows forever.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          enabled: true
          name: 'expire-previous-versions'
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [
                '${containerName}/'
              ]
            }
            actions: {
              version: {
                delete: {
                  daysAfterCreationGreaterThan: previousVersionDays
                }
              }
            }
          }
        }
      ]
    }
  }
}

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: systemTopicName
  location: location
  tags: tags
  properties: {
    source: account.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

// The control plane writes schema snapshots (_schema/), reports (_reports/) and scrubbed files,
// deletes scrubbed and quarantined files, reads artifacts, and (with ;impersonate) is the identity ADX
// uses for its historical `.export` commands: read, write and delete on this container only.
resource functionContainerAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(container.id, functionPrincipalId, roles.storageBlobDataContributor)
  scope: container
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
    principalId: functionPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Continuous exports run as the cluster's managed identity and write parquet files here.
resource clusterContainerAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(container.id, clusterPrincipalId, roles.storageBlobDataContributor)
  scope: container
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
    principalId: clusterPrincipalId
    principalType: 'ServicePrincipal'
  }
}

output accountName string = account.name
output containerName string = container.name
output containerUrl string = '${account.properties.primaryEndpoints.blob}${containerName}'
output systemTopicName string = systemTopic.name
