metadata description = 'Event Grid system topic on the storage account: the source of the ImportCsv blob trigger (Event Grid is the only blob trigger source on Flex Consumption). The webhook subscription to the blobs extension is made after the code is deployed (scripts/subscribe-blob-events.sh), because its URL carries the blobs_extension system key.'

@description('Required. Name of the system topic.')
param name string

@description('Required. Azure region (the storage account\'s).')
param location string

@description('Required. Name of the storage account whose blob events the topic publishes.')
param storageAccountName string

@description('Optional. Tags for the topic.')
param tags object = {}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: name
  location: location
  tags: tags
  // Dead-letters undeliverable events into a container with this identity (no storage keys).
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    source: storage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

@description('Name of the system topic.')
output name string = topic.name

@description('Resource id of the system topic (an alert watches its dead-lettered events).')
output resourceId string = topic.id

@description('Object id of the topic\'s system-assigned identity (granted write access to the dead-letter container).')
output principalId string = topic.identity.principalId
