// Grants on the existing restore target cluster (deployed into its resource group): the Function App
// identity gets `role` on every target database. The restore recreates schema, creates staging
// tables and moves extents into the target tables: Admin (restore into existing tables) or User
// (restore into tables it creates itself) allow that; Ingestor only allows ingestion into tables an
// operator prepared.

@description('Name of the existing target cluster.')
param clusterName string

@description('Databases restores may write into.')
param databases array

@description('Client (application) id of the Function App identity.')
param functionClientId string

@description('Database role of the Function App identity on the target databases.')
@allowed([
  'Admin'
  'User'
  'Ingestor'
])
param role string

var tenantId = tenant().tenantId

resource targetGrants 'Microsoft.Kusto/clusters/databases/principalAssignments@2023-08-15' = [
  for db in databases: {
    name: '${clusterName}/${db}/adxbackup-${uniqueString(functionClientId, db, role)}'
    properties: {
      principalId: functionClientId
      principalType: 'App'
      role: role
      tenantId: tenantId
    }
  }
]

output databases array = databases
