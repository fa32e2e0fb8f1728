metadata description = 'Service Bus namespace (Standard, local/SAS authentication off) with the task queue the UpsertTask trigger reads and the app re-sends delayed copies to.'

@description('Required. Name of the namespace (6-50 characters, globally unique).')
@minLength(6)
@maxLength(50)
param name string

@description('Required. Azure region.')
param location string

@description('Required. Name of the task queue (app setting TasksQueueName).')
param queueName string

@description('Required. Peek-lock duration, ISO 8601 (at most PT5M). The host renews locks up to host.json maxAutoLockRenewalDuration.')
param lockDuration string

@description('Required. Deliveries before Service Bus dead-letters a message itself (MaxDeliveryCountExceeded).')
@minValue(1)
@maxValue(2000)
param maxDeliveryCount int

@description('Required. Whether expired messages go to the dead-letter subqueue instead of being dropped.')
param deadLetteringOnMessageExpiration bool

@description('Required. Time to live of a message, ISO 8601.')
param defaultMessageTimeToLive string

@description('Required. Log Analytics workspace receiving the namespace\'s diagnostics (operational and runtime logs, metrics).')
param logAnalyticsWorkspaceId string

@description('Optional. True: Premium (the only tier with private endpoints) and no public network access; the app comes in through a private endpoint (network.bicep).')
param privateNetworking bool = false

@description('Optional. Tags for the namespace.')
param tags object = {}

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: privateNetworking
    ? {
        name: 'Premium'
        tier: 'Premium'
        capacity: 1
      }
    : {
        name: 'Standard'
        tier: 'Standard'
      }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
  }
}

resource queue 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = {
  parent: namespace
  name: queueName
  properties: {
    lockDuration: lockDuration
    maxDeliveryCount: maxDeliveryCount
    deadLetteringOnMessageExpiration: deadLetteringOnMessageExpiration
    defaultMessageTimeToLive: defaultMessageTimeToLive
    requiresSession: false
    requiresDuplicateDetection: false
    enablePartitioning: false
    maxSizeInMegabytes: 1024
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: namespace
  name: 'to-log-analytics'
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

@description('Name of the namespace.')
output name string = namespace.name

@description('Resource id of the namespace (the task queue alerts watch its metrics).')
output resourceId string = namespace.id

@description('Name of the task queue.')
output queueName string = queue.name

@description('Host name of the namespace, e.g. my-namespace.servicebus.windows.net (ServiceBusConnection__fullyQualifiedNamespace).')
output fullyQualifiedNamespace string = parseUri(namespace.properties.serviceBusEndpoint).host
