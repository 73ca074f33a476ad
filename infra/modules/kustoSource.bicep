// Grants on the existing source cluster (deployed into the cluster's resource group): the Function
// App identity becomes Database Admin of every backed-up database (it creates external tables and
// continuous exports, alters the IngestionTime policy, runs historical exports, deletes and purges
// through the ledger). Optionally the cluster's export identity is allowed for continuous exports
// (managed identity policy, AutomatedFlows) and made Database Viewer, as continuous exports to
// `;impersonate` external tables require.

@description('Name of the existing source cluster.')
param clusterName string

@description('Databases to back up.')
param databases array

@description('Client (application) id of the Function App identity.')
param functionClientId string

@description('How ADX reaches the backup storage: impersonate or managed_identity.')
@allowed([
  'impersonate'
  'managed_identity'
])
param storageAuth string

@description('Object id of a user-assigned identity of the cluster used by continuous exports; empty for the cluster\'s system-assigned identity.')
param clusterIdentityObjectId string

@description('Run the database script that sets the managed identity policy and the Viewer grant for the export identity.')
param configureClusterIdentityPolicy bool

var tenantId = tenant().tenantId
var exportIdentity = empty(clusterIdentityObjectId) ? 'system' : clusterIdentityObjectId
var allowedUsages = storageAuth == 'managed_identity' ? 'ExternalTable, AutomatedFlows' : 'AutomatedFlows'
var identityPolicy = '[{"ObjectId":"${exportIdentity}","AllowedUsages":"${allowedUsages}"}]'

resource cluster 'Microsoft.Kusto/clusters@2023-08-15' existing = {
  name: clusterName
}

resource sourceAdmins 'Microsoft.Kusto/clusters/databases/principalAssignments@2023-08-15' = [
  for db in databases: {
    name: '${clusterName}/${db}/adxbackup-${uniqueString(functionClientId, db, 'Admin')}'
    properties: {
      principalId: functionClientId
      principalType: 'App'
      role: 'Admin'
      tenantId: tenantId
    }
  }
]

// `.create-or-alter external table` with managed identity authentication needs AllDatabasesAdmin.
resource clusterAdmin 'Microsoft.Kusto/clusters/principalAssignments@2023-08-15' = if (storageAuth == 'managed_identity') {
  parent: cluster
  name: 'adxbackup-${uniqueString(functionClientId, 'AllDatabasesAdmin')}'
  properties: {
    principalId: functionClientId
    principalType: 'App'
    role: 'AllDatabasesAdmin'
    tenantId: tenantId
  }
}

resource exportIdentitySetup 'Microsoft.Kusto/clusters/databases/scripts@2023-08-15' = [
  for db in databases: if (configureClusterIdentityPolicy) {
    name: '${clusterName}/${db}/adxbackup-export-identity'
    properties: {
      scriptContent: '.alter-merge database [\'${db}\'] policy managed_identity ```${identityPolicy}```\n.add database [\'${db}\'] viewers (\'aadapp=${exportIdentity};${tenantId}\') \'adx-backup continuous export identity\''
      forceUpdateTag: uniqueString(db, identityPolicy, tenantId)
      continueOnErrors: false
    }
    dependsOn: [
      sourceAdmins
    ]
  }
]

output clusterId string = cluster.id
output clusterUri string = cluster.properties.uri
output clusterPrincipalId string = empty(clusterIdentityObjectId) ? cluster.identity.principalId : clusterIdentityObjectId
output exportManagedIdentity string = exportIdentity
