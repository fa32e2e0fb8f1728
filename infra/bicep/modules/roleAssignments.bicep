metadata description = 'Every role assignment of the deployment, each on the narrowest scope that works (a container, a table, the task queue, a secret), named guid(scope, principal, role) so a redeploy finds it again. Each one is justified in ../README.md; tests/Integration.Tests/Infra/RoleAssignmentsTemplateTests fails on any other role or a broader scope.'

@description('Required. Object id of the app\'s user-assigned identity (the one its code and host use).')
param appPrincipalId string

@description('Required. Object id of the deployment identity: the platform reads (and a publish writes) the code package with it; nothing else.')
param deploymentPrincipalId string

@description('Required. Name of the storage account.')
param storageAccountName string

@description('Required. Containers the app only reads (the CSV drops).')
param readContainerNames string[]

@description('Required. Containers the app writes: the host\'s own (leases, timers, keys, blob receipts), the import results and the refresh lock.')
param writeContainerNames string[]

@description('Required. Azure Tables the app reads and writes (ledger, task versions, request log, rate limit, audit).')
param tableNames string[]

@description('Required. Container holding the code package (the deployment identity\'s only scope; the app identity has no role on it).')
param deploymentContainerName string

@description('Required. Name of the Service Bus namespace.')
param serviceBusNamespaceName string

@description('Required. Name of the task queue (the Service Bus roles are scoped to it).')
param tasksQueueName string

@description('Required. Name of the Key Vault.')
param keyVaultName string

@description('Required. Secrets the app reads and writes (the Dragonfruit refresh, id and access tokens: the token timer stores new ones and a rotated refresh token).')
param readWriteSecretNames string[]

@description('Required. Secrets the app only reads (Fragment\'s API token).')
param readSecretNames string[]

@description('Optional. False on the very first deployment of an environment, before the secrets exist: a role can only be assigned on a secret that exists (README, Deployment: Seed the secrets).')
param keyVaultSecretsSeeded bool = true

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

// Built-in role definitions (the same ids in every tenant). Nothing broader is used: no Owner roles, nothing on the
// whole account except the host's queues, nothing on the whole vault for the app.
var roleIds = {
  storageBlobDataReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName

  resource blobServices 'blobServices' existing = {
    name: 'default'
  }

  resource tableServices 'tableServices' existing = {
    name: 'default'
  }
}

resource readContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = [
  for name in readContainerNames: {
    parent: storage::blobServices
    name: name
  }
]

resource writeContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = [
  for name in writeContainerNames: {
    parent: storage::blobServices
    name: name
  }
]

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = {
  parent: storage::blobServices
  name: deploymentContainerName
}

resource deadLetterContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = {
  parent: storage::blobServices
  name: eventGridDeadLetterContainerName
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' existing = [
  for name in tableNames: {
    parent: storage::tableServices
    name: name
  }
]

resource serviceBus 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: serviceBusNamespaceName

  resource tasksQueue 'queues' existing = {
    name: tasksQueueName
  }
}

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' existing = {
  name: keyVaultName
}

resource readWriteSecrets 'Microsoft.KeyVault/vaults/secrets@2024-11-01' existing = [
  for name in readWriteSecretNames: {
    parent: vault
    name: name
  }
]

resource readSecrets 'Microsoft.KeyVault/vaults/secrets@2024-11-01' existing = [
  for name in readSecretNames: {
    parent: vault
    name: name
  }
]

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// Storage ---------------------------------------------------------------------------------------------------------

// The CSV drops: the blob trigger and a re-import read them (ranged GETs); the app never writes there.
resource appReadContainers 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (name, i) in readContainerNames: {
    scope: readContainers[i]
    name: guid(readContainers[i].id, appPrincipalId, subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.storageBlobDataReader))
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.storageBlobDataReader)
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

// Host storage (azure-webjobs-hosts: timer and singleton leases, blob receipts; azure-webjobs-secrets: function keys),
// the import reports and the refresh lock's lease blob. Contributor, not Owner: Owner adds only ACL and ownership
// rights of hierarchical namespaces, which this account does not have.
resource appWriteContainers 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (name, i) in writeContainerNames: {
    scope: writeContainers[i]
    name: guid(writeContainers[i].id, appPrincipalId, subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.storageBlobDataContributor))
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.storageBlobDataContributor)
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

// The host's queues: the blob trigger's poison queue and its internal queue, named by the platform after the host id
// (azure-webjobs-blobtrigger-<host id>), so they cannot be named here. The account holds no app data in queues (the
// task queue is Service Bus), and a queue role reaches queues only.
resource appQueues 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, appPrincipalId, subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.storageQueueDataContributor))
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.storageQueueDataContributor)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// One assignment per table the app uses, each created by the template.
resource appTables 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (name, i) in tableNames: {
    scope: tables[i]
    name: guid(tables[i].id, appPrincipalId, subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.storageTableDataContributor))
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.storageTableDataContributor)
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

// The code package: only the deployment identity, only its container. The app identity has no role there, so the
// app cannot rewrite its own code.
resource deploymentPackage 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: deploymentContainer
  name: guid(deploymentContainer.id, deploymentPrincipalId, subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.storageBlobDataContributor))
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.storageBlobDataContributor)
    principalId: deploymentPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Event Grid writes undeliverable blob events into one container, and nowhere else.
resource eventGridDeadLetter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: deadLetterContainer
  name: guid(deadLetterContainer.id, eventGridPrincipalId, subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.storageBlobDataContributor))
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.storageBlobDataContributor)
    principalId: eventGridPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Service Bus, on the task queue only ------------------------------------------------------------------------------

// Receive: the UpsertTask trigger, settlement, dead-lettering, the ops listing and redrive of dead-letters.
resource appQueueReceiver 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: serviceBus::tasksQueue
  name: guid(serviceBus::tasksQueue.id, appPrincipalId, subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.serviceBusDataReceiver))
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.serviceBusDataReceiver)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Send: delayed copies of retried messages, redriven and re-synced messages.
resource appQueueSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: serviceBus::tasksQueue
  name: guid(serviceBus::tasksQueue.id, appPrincipalId, subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.serviceBusDataSender))
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.serviceBusDataSender)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Key Vault, one assignment per secret ------------------------------------------------------------------------------

// The token timer reads the stored tokens and writes new ones (and a rotated refresh token): Secrets Officer, the only
// built-in role that sets a secret, on each of these secrets only.
resource appReadWriteSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (name, i) in readWriteSecretNames: if (keyVaultSecretsSeeded) {
    scope: readWriteSecrets[i]
    name: guid(readWriteSecrets[i].id, appPrincipalId, subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.keyVaultSecretsOfficer))
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.keyVaultSecretsOfficer)
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

// Fragment's static token: read only.
resource appReadSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (name, i) in readSecretNames: if (keyVaultSecretsSeeded) {
    scope: readSecrets[i]
    name: guid(readSecrets[i].id, appPrincipalId, subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.keyVaultSecretsUser))
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.keyVaultSecretsUser)
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

// An operator seeds the secrets the app cannot create (they do not exist yet, so the vault is the only scope).
resource operatorKeyVault 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(operatorPrincipalId)) {
  scope: vault
  name: guid(vault.id, operatorPrincipalId, subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.keyVaultSecretsOfficer))
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.keyVaultSecretsOfficer)
    principalId: operatorPrincipalId
    principalType: operatorPrincipalType
  }
}

// Monitoring -----------------------------------------------------------------------------------------------------------

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
