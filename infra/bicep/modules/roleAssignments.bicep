metadata description = 'Every role assignment of the deployment, least privilege, each named guid(scope, principal, role) so a redeploy finds it again.'

@description('Required. Object id of the app\'s user-assigned identity.')
param appPrincipalId string

@description('Required. Name of the storage account.')
param storageAccountName string

@description('Required. Name of the Service Bus namespace.')
param serviceBusNamespaceName string

@description('Required. Name of the task queue (the Service Bus roles are scoped to it).')
param tasksQueueName string

@description('Required. Name of the Key Vault.')
param keyVaultName string

@description('Required. Name of the Application Insights component.')
param applicationInsightsName string

@description('Required. Object id of the Event Grid system topic\'s identity.')
param eventGridPrincipalId string

@description('Required. Container that receives undeliverable blob events.')
param eventGridDeadLetterContainerName string

@description('Optional. Object id of an operator (user or group) allowed to set the secrets the app cannot create itself (the refresh token, the Fragment token). Empty: none.')
param operatorPrincipalId string = ''

@description('Optional. Kind of principal in operatorPrincipalId.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param operatorPrincipalType string = 'User'

// Built-in role definitions (the same ids in every tenant).
var roleIds = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

// Storage: Blob Data Owner for host storage (leases, timers, keys), the deployment package, the blob trigger and the
// app's containers; Queue Data Contributor for the host and the blob trigger's poison queue; Table Data Contributor
// for the ledger, task versions, request log and rate limit.
var storageRoles = [
  roleIds.storageBlobDataOwner
  roleIds.storageQueueDataContributor
  roleIds.storageTableDataContributor
]

// Service Bus, on the task queue only: receive (the trigger, dead-lettering) and send (delayed copies of retries).
var serviceBusRoles = [
  roleIds.serviceBusDataReceiver
  roleIds.serviceBusDataSender
]

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName

  resource blobServices 'blobServices' existing = {
    name: 'default'

    resource deadLetterContainer 'containers' existing = {
      name: eventGridDeadLetterContainerName
    }
  }
}

resource serviceBus 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: serviceBusNamespaceName

  resource tasksQueue 'queues' existing = {
    name: tasksQueueName
  }
}

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' existing = {
  name: keyVaultName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource appStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in storageRoles: {
    scope: storage
    name: guid(storage.id, appPrincipalId, subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId))
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource appServiceBus 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in serviceBusRoles: {
    scope: serviceBus::tasksQueue
    name: guid(serviceBus::tasksQueue.id, appPrincipalId, subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId))
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

// The token timer writes the Dragonfruit tokens (and a rotated refresh token), so Secrets Officer, not Secrets User.
resource appKeyVault 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, appPrincipalId, subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.keyVaultSecretsOfficer))
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.keyVaultSecretsOfficer)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Application Insights with local authentication off accepts telemetry only from this role.
resource appTelemetry 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: applicationInsights
  name: guid(applicationInsights.id, appPrincipalId, subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.monitoringMetricsPublisher))
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.monitoringMetricsPublisher)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Event Grid writes undeliverable blob events into one container, and nowhere else.
resource eventGridDeadLetter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage::blobServices::deadLetterContainer
  name: guid(storage::blobServices::deadLetterContainer.id, eventGridPrincipalId, subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.storageBlobDataContributor))
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.storageBlobDataContributor)
    principalId: eventGridPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource operatorKeyVault 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(operatorPrincipalId)) {
  scope: vault
  name: guid(vault.id, operatorPrincipalId, subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.keyVaultSecretsOfficer))
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.keyVaultSecretsOfficer)
    principalId: operatorPrincipalId
    principalType: operatorPrincipalType
  }
}
