// adx-backup: the Azure deployment (azd template). Creates a resource group with the Function App
// (Flex Consumption, Node 22) and its storage, the backup storage accounts with their Event Grid
// system topics, monitoring and a lateness alert, and grants the Function App identity and the
// cluster's export identity exactly what they need on the existing cluster(s) and the backup
// containers. Parameters come from infra/main.parameters.json (azd environment variables).
targetScope = 'subscription'

// ---------------------------------------------------------------------------------------------
// Environment

@minLength(1)
@maxLength(64)
@description('azd environment name; part of every resource name.')
param environmentName string

@minLength(1)
@description('Region of the resource group and every resource in it (a region that offers Flex Consumption).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Resource group to create; empty for rg-<environmentName>.')
param resourceGroupName string = ''

// ---------------------------------------------------------------------------------------------
// The cluster to back up

@description('Name of the existing cluster to back up.')
param clusterName string

@description('Resource group of that cluster.')
param clusterResourceGroupName string

@description('Subscription of that cluster; empty for the deployment subscription.')
param clusterSubscriptionId string = ''

@description('Comma-separated databases to back up (the monitor and verification cover them; the Function App identity becomes their Database Admin).')
param sourceDatabases string

@description('How ADX reaches the backup storage: impersonate (the caller\'s identity, with the cluster\'s identity for continuous exports) or managed_identity (the cluster\'s identity for everything; needs AllDatabasesAdmin for the Function App).')
@allowed([
  'impersonate'
  'managed_identity'
])
param storageAuth string = 'impersonate'

@description('Object id of a user-assigned identity of the cluster to run continuous exports as; empty for the cluster\'s system-assigned identity.')
param clusterIdentityObjectId string = ''

@description('Set the managed identity policy (AutomatedFlows) and Database Viewer for the export identity on every source database, through a database script.')
param configureClusterIdentityPolicy bool = true

// ---------------------------------------------------------------------------------------------
// Restore target (optional)

@description('Existing cluster restores write into; empty for the source cluster.')
param targetClusterName string = ''

@description('Resource group of the target cluster; empty for the source cluster\'s.')
param targetClusterResourceGroupName string = ''

@description('Subscription of the target cluster; empty for the source cluster\'s.')
param targetClusterSubscriptionId string = ''

@description('Comma-separated databases restores may write into; empty for none.')
param targetDatabases string = ''

@description('Database role of the Function App identity on the target databases.')
@allowed([
  'Admin'
  'User'
  'Ingestor'
])
param targetDatabaseRole string = 'Admin'

// ---------------------------------------------------------------------------------------------
// Backup storage

@description('Number of backup storage accounts (external tables spread writes across all of them).')
@minValue(1)
@maxValue(8)
param backupStorageAccountCount int = 1

@description('Backup container name in every backup account.')
@minLength(3)
@maxLength(63)
param backupContainerName string = 'adx-backup'

@description('Geo-redundant replication of the backup accounts.')
@allowed([
  'Standard_GRS'
  'Standard_RAGRS'
  'Standard_GZRS'
  'Standard_RAGZRS'
])
param backupStorageSku string = 'Standard_GRS'

@description('Blob soft delete retention, days.')
@minValue(1)
@maxValue(365)
param blobSoftDeleteDays int = 14

@description('Container soft delete retention, days.')
@minValue(1)
@maxValue(365)
param containerSoftDeleteDays int = 14

@description('Previous blob versions are deleted after this many days.')
@minValue(1)
@maxValue(36500)
param previousVersionDays int = 30

@description('0 for none; otherwise version-level immutability with an unlocked time-based retention of this many days on every backup container (cannot be switched off later).')
@minValue(0)
@maxValue(146000)
param immutabilityDays int = 0

@description('Create the BlobCreated subscriptions to the artifact catalog function. Event Grid requires the function to exist, so the postdeploy hook turns this on after the first code deployment.')
param enableArtifactEvents bool = false

// ---------------------------------------------------------------------------------------------
// Function App and adx-backup settings (lib/config.ts)

@description('Memory per Flex Consumption instance, MB.')
@allowed([
  512
  2048
  4096
])
param functionInstanceMemoryMB int = 2048

@description('Most Flex Consumption instances.')
@minValue(40)
@maxValue(1000)
param functionMaximumInstanceCount int = 100

@description('Durable Functions task hub (ADX_BACKUP_TASK_HUB; host.json reads it).')
@minLength(3)
@maxLength(45)
param taskHubName string = 'AdxBackupHub'

@description('Continuous export intervalBetweenRuns (ADX_BACKUP_EXPORT_INTERVAL), e.g. 5m.')
param exportInterval string = '5m'

@description('Rows per historical export chunk (ADX_BACKUP_CHUNK_TARGET_ROWS).')
@minValue(1)
@maxValue(1000000000)
param chunkTargetRows int = 16000000

@description('Tables set up at once (ADX_BACKUP_SETUP_PARALLELISM).')
@minValue(1)
@maxValue(256)
param setupParallelism int = 8

@description('Monitor timer, six-field NCRONTAB (ADX_BACKUP_MONITOR_SCHEDULE).')
param monitorSchedule string = '0 */5 * * * *'

@description('An export later than this many minutes is late (ADX_BACKUP_LATENESS_THRESHOLD) and raises the lateness alert.')
@minValue(1)
@maxValue(10080)
param latenessThresholdMinutes int = 60

@description('Disabled exports re-enabled per monitor tick (ADX_BACKUP_REENABLE_PER_TICK).')
@minValue(1)
@maxValue(1000)
param reenablePerTick int = 2

@description('Nightly verification timer, six-field NCRONTAB (ADX_BACKUP_VERIFY_SCHEDULE).')
param verifySchedule string = '0 0 2 * * *'

@description('Catalog reconcile timer, six-field NCRONTAB (ADX_BACKUP_RECONCILE_SCHEDULE).')
param reconcileSchedule string = '0 15 * * * *'

@description('A file still pending this long after it was written becomes an orphan (ADX_BACKUP_ORPHAN_HORIZON), e.g. 1d.')
param orphanHorizon string = '1d'

@description('Move new orphans into <container>/_orphans/ (ADX_BACKUP_QUARANTINE_ORPHANS).')
param quarantineOrphans bool = false

@description('Blobs per restore activity (ADX_BACKUP_RESTORE_BATCH_SIZE).')
@minValue(1)
@maxValue(10000)
param restoreBatchSize int = 500

@description('A restore fails when its staging tables gain no row for this long (ADX_BACKUP_RESTORE_STALL_TIMEOUT), e.g. 30m.')
param restoreStallTimeout string = '30m'

@description('Attempts for transient Kusto failures (ADX_BACKUP_KUSTO_RETRY_ATTEMPTS).')
@minValue(1)
@maxValue(20)
param kustoRetryAttempts int = 5

// ---------------------------------------------------------------------------------------------
// Alerting

@description('Create the metric alert on the cluster\'s ContinuousExportMaxLatenessMinutes.')
param enableLatenessAlert bool = true

@description('E-mail address the lateness alert notifies; empty for none.')
param alertEmail string = ''

// ---------------------------------------------------------------------------------------------

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
var serviceName = 'functions'
var functionAppName = 'func-adxbackup-${resourceToken}'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(resourceToken, 7)}'
var hostStorageName = 'stfn${resourceToken}'
// lib/names.ts FunctionNames.artifactEvents (a test keeps the two equal).
var artifactEventsFunctionName = 'artifactEvents'

var sourceDatabaseList = filter(map(split(sourceDatabases, ','), d => trim(d)), d => !empty(d))
var targetDatabaseList = filter(map(split(targetDatabases, ','), d => trim(d)), d => !empty(d))
var clusterSubscription = empty(clusterSubscriptionId) ? subscription().subscriptionId : clusterSubscriptionId
var targetClusterResolved = empty(targetClusterName) ? clusterName : targetClusterName
var targetClusterResourceGroup = empty(targetClusterResourceGroupName) ? clusterResourceGroupName : targetClusterResourceGroupName
var targetClusterSubscription = empty(targetClusterSubscriptionId) ? clusterSubscription : targetClusterSubscriptionId

var backupAccountNames = [for i in range(0, backupStorageAccountCount): 'stbk${i}${resourceToken}']
var backupContainerUrls = [
  for accountName in backupAccountNames: 'https://${accountName}.blob.${environment().suffixes.storage}/${backupContainerName}'
]

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: empty(resourceGroupName) ? 'rg-${environmentName}' : resourceGroupName
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-adxbackup-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-adxbackup-${resourceToken}'
    applicationInsightsName: 'appi-adxbackup-${resourceToken}'
    location: location
    tags: tags
    functionPrincipalId: identity.outputs.principalId
  }
}

module hostStorage 'modules/hostStorage.bicep' = {
  name: 'hostStorage'
  scope: rg
  params: {
    name: hostStorageName
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    functionPrincipalId: identity.outputs.principalId
  }
}

module sourceCluster 'modules/kustoSource.bicep' = {
  name: 'adxbackup-source-${resourceToken}'
  scope: resourceGroup(clusterSubscription, clusterResourceGroupName)
  params: {
    clusterName: clusterName
    databases: sourceDatabaseList
    functionClientId: identity.outputs.clientId
    storageAuth: storageAuth
    clusterIdentityObjectId: clusterIdentityObjectId
    configureClusterIdentityPolicy: configureClusterIdentityPolicy
  }
}

module targetCluster 'modules/kustoTarget.bicep' = if (!empty(targetDatabaseList)) {
  name: 'adxbackup-target-${resourceToken}'
  scope: resourceGroup(targetClusterSubscription, targetClusterResourceGroup)
  params: {
    clusterName: targetClusterResolved
    databases: targetDatabaseList
    functionClientId: identity.outputs.clientId
    role: targetDatabaseRole
  }
}

module backupStorage 'modules/backupStorage.bicep' = [
  for (accountName, i) in backupAccountNames: {
    name: 'backupStorage${i}'
    scope: rg
    params: {
      name: accountName
      location: location
      tags: tags
      sku: backupStorageSku
      containerName: backupContainerName
      blobSoftDeleteDays: blobSoftDeleteDays
      containerSoftDeleteDays: containerSoftDeleteDays
      previousVersionDays: previousVersionDays
      immutabilityDays: immutabilityDays
      systemTopicName: 'evgt-${accountName}'
      functionPrincipalId: identity.outputs.principalId
      clusterPrincipalId: sourceCluster.outputs.clusterPrincipalId
    }
  }
]

// Every key of lib/config.ts CONFIG_KEYS; a test fails when one is missing here or in the app.
var adxBackupSettings = {
  ADX_BACKUP_CLUSTER_URI: sourceCluster.outputs.clusterUri
  ADX_BACKUP_DATABASES: join(sourceDatabaseList, ',')
  ADX_BACKUP_CONTAINERS: join(backupContainerUrls, ',')
  ADX_BACKUP_STORAGE_AUTH: storageAuth
  ADX_BACKUP_EXPORT_MANAGED_IDENTITY: sourceCluster.outputs.exportManagedIdentity
  ADX_BACKUP_EXPORT_INTERVAL: exportInterval
  ADX_BACKUP_CHUNK_TARGET_ROWS: string(chunkTargetRows)
  ADX_BACKUP_SETUP_PARALLELISM: string(setupParallelism)
  ADX_BACKUP_MONITOR_SCHEDULE: monitorSchedule
  ADX_BACKUP_LATENESS_THRESHOLD: '${latenessThresholdMinutes}m'
  ADX_BACKUP_REENABLE_PER_TICK: string(reenablePerTick)
  ADX_BACKUP_VERIFY_SCHEDULE: verifySchedule
  ADX_BACKUP_RECONCILE_SCHEDULE: reconcileSchedule
  ADX_BACKUP_ORPHAN_HORIZON: orphanHorizon
  ADX_BACKUP_QUARANTINE_ORPHANS: quarantineOrphans ? 'true' : 'false'
  ADX_BACKUP_RESTORE_BATCH_SIZE: string(restoreBatchSize)
  ADX_BACKUP_RESTORE_STALL_TIMEOUT: restoreStallTimeout
  ADX_BACKUP_KUSTO_RETRY_ATTEMPTS: string(kustoRetryAttempts)
  ADX_BACKUP_MANAGED_IDENTITY_CLIENT_ID: identity.outputs.clientId
  ADX_BACKUP_CATALOG_TABLE_URL: hostStorage.outputs.tableEndpoint
  ADX_BACKUP_TASK_HUB: taskHubName
}

module functionApp 'modules/functionApp.bicep' = {
  name: 'functionApp'
  scope: rg
  params: {
    name: functionAppName
    planName: 'plan-adxbackup-${resourceToken}'
    location: location
    tags: tags
    serviceName: serviceName
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    hostStorageName: hostStorage.outputs.name
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    instanceMemoryMB: functionInstanceMemoryMB
    maximumInstanceCount: functionMaximumInstanceCount
    adxBackupSettings: adxBackupSettings
  }
}

module artifactEvents 'modules/artifactEvents.bicep' = [
  for (accountName, i) in backupAccountNames: if (enableArtifactEvents) {
    name: 'artifactEvents${i}'
    scope: rg
    params: {
      systemTopicName: backupStorage[i].outputs.systemTopicName
      containerName: backupStorage[i].outputs.containerName
      functionAppName: functionApp.outputs.name
      functionName: artifactEventsFunctionName
    }
  }
]

module alerts 'modules/alerts.bicep' = if (enableLatenessAlert) {
  name: 'alerts'
  scope: rg
  params: {
    name: 'alert-adxbackup-lateness-${resourceToken}'
    tags: tags
    clusterId: sourceCluster.outputs.clusterId
    latenessThresholdMinutes: latenessThresholdMinutes
    alertEmail: alertEmail
    actionGroupName: 'ag-adxbackup-${resourceToken}'
  }
}

// Names and URLs only: no key, SAS, connection string or secret is ever an output.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output ADX_BACKUP_FUNCTION_HOST string = functionApp.outputs.defaultHostName
output ADX_BACKUP_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output ADX_BACKUP_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
output ADX_BACKUP_CLUSTER_URI_DEPLOYED string = sourceCluster.outputs.clusterUri
output ADX_BACKUP_CONTAINER_URLS string = join(backupContainerUrls, ',')
output ADX_BACKUP_ARTIFACT_EVENTS_ENABLED bool = enableArtifactEvents
