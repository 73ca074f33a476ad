// Backup lateness alert on the cluster's own ContinuousExportMaxLatenessMinutes metric (namespace
// Microsoft.Kusto/clusters, maximum over every continuous export of the cluster). It exists without
// any adx-backup code running, so it also fires when the control plane itself is down.

@description('Alert rule name.')
param name string

@description('Tags for every resource.')
param tags object

@description('Resource id of the source cluster.')
param clusterId string

@description('Fire when the most late continuous export is later than this many minutes.')
@minValue(1)
@maxValue(10080)
param latenessThresholdMinutes int

@description('E-mail address notified by the alert; empty for none (the alert still shows in Azure Monitor).')
param alertEmail string

@description('Action group name (used only with an e-mail address).')
param actionGroupName string

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmail)) {
  name: actionGroupName
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'adxbackup'
    enabled: true
    emailReceivers: [
      {
        name: 'operator'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

var actions = empty(alertEmail) ? [] : [
  {
    actionGroupId: actionGroup.id
  }
]

resource lateness 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: name
  location: 'global'
  tags: tags
  properties: {
    description: 'A continuous export of the backed-up cluster is later than the adx-backup lateness threshold.'
    severity: 2
    enabled: true
    scopes: [
      clusterId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    targetResourceType: 'Microsoft.Kusto/clusters'
    autoMitigate: true
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'ContinuousExportMaxLateness'
          metricNamespace: 'Microsoft.Kusto/clusters'
          metricName: 'ContinuousExportMaxLatenessMinutes'
          operator: 'GreaterThan'
          threshold: latenessThresholdMinutes
          timeAggregation: 'Maximum'
        }
      ]
    }
    actions: actions
  }
}

output alertId string = lateness.id
