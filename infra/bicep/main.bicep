metadata description = 'Integration: the Function App (Flex Consumption, .NET 10 isolated) and everything it uses, least privilege, identity-based, from an empty resource group. Deploy: az deployment group create -g RG -f infra/bicep/main.bicep -p infra/bicep/main.bicepparam (README, Deployment).'

import { tableSettings, containerSettings } from 'modules/appSettings.bicep'

// ---------------------------------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------------------------------

@description('An e-mail address (Azure Monitor checks the format when it creates the action group).')
@minLength(3)
@maxLength(254)
type emailAddress = string

@description('Production: at least one receiver, or the deployment is refused.')
type productionAlertReceivers = {
  kind: 'production'
  @minLength(1)
  emails: emailAddress[]
}

@description('Development and test: receivers are optional.')
type developmentAlertReceivers = {
  kind: 'development'
  emails: emailAddress[]
}

@description('Who the alerts notify; production cannot deploy without someone.')
@discriminator('kind')
type alertReceiversType = productionAlertReceivers | developmentAlertReceivers

// ---------------------------------------------------------------------------------------------------------------------
// Naming and placement
// ---------------------------------------------------------------------------------------------------------------------

@description('Required. Short environment name (lowercase letters and digits), part of every resource name, e.g. dev or prod.')
@minLength(2)
@maxLength(6)
param environmentName string

@description('Optional. Short application name (lowercase letters, digits, single hyphens), part of every resource name.')
@minLength(3)
@maxLength(12)
param baseName string = 'integration'

@description('Optional. Azure region of every resource; the resource group\'s by default.')
param location string = resourceGroup().location

@description('Optional. Tags for every resource.')
param tags object = {}

// ---------------------------------------------------------------------------------------------------------------------
// Function App
// ---------------------------------------------------------------------------------------------------------------------

@description('Optional. Most instances the Flex Consumption app scales out to (the Fragment rate budget is shared by all of them).')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Optional. Memory of each instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Optional. Dragonfruit external API base URL (bulk imports); some regions use another host.')
param dragonfruitBaseUrl string = 'https://api-external.dragonfruit.ai/'

@description('Optional. Dragonfruit token exchange endpoint.')
param dragonfruitTokenUrl string = 'https://df-services.dragonfruit.ai/get_new_tokens'

@description('Optional. Fragment API base URL.')
param fragmentBaseUrl string = 'https://api.onfragment.com/api/v1/'

@description('Optional. Six-field NCRONTAB schedule of the Dragonfruit token refresh timer (app setting TokenRefreshSchedule).')
param tokenRefreshSchedule string = '0 */5 * * * *'

@description('Optional. Six-field NCRONTAB schedule of the import reconciliation: drops without a final import after Imports__ReconcileAfter are imported (app setting ImportReconcileSchedule).')
param importReconcileSchedule string = '0 17 * * * *'

@description('Optional. Six-field NCRONTAB schedule of the retention timer: request-log and audit rows older than Operations__RetentionDays are deleted (app setting OpsRetentionSchedule).')
param opsRetentionSchedule string = '0 43 3 * * *'

@description('Optional. Client id of the ops app registration (app roles Ops.Read and Ops.Operate), created once by hand because Azure Resource Manager cannot create app registrations (README, Deployment: Identity on the ops endpoints). Empty: App Service Authentication is off and the ops endpoints refuse every call.')
@maxLength(36)
param opsAppClientId string = ''

@description('Optional. Replacements for the tuning defaults of modules/appSettings.bicep (retries, timeouts, limits) as string values by app setting name, e.g. { Tasks__MaxAttempts: \'10\' }. Other names fail the deployment.')
param appSettingOverrides object = {}

// ---------------------------------------------------------------------------------------------------------------------
// Key Vault (secret names only: values are never in templates)
// ---------------------------------------------------------------------------------------------------------------------

@description('Optional. Secret holding the Dragonfruit refresh token (seeded by an operator; the app stores rotated ones).')
@minLength(1)
@maxLength(127)
param dragonfruitRefreshTokenSecretName string = 'dragonfruit-refresh-token'

@description('Optional. Secret the app writes the Dragonfruit id token to.')
@minLength(1)
@maxLength(127)
param dragonfruitIdTokenSecretName string = 'dragonfruit-id-token'

@description('Optional. Secret the app writes the Dragonfruit access token to.')
@minLength(1)
@maxLength(127)
param dragonfruitAccessTokenSecretName string = 'dragonfruit-access-token'

@description('Optional. Secret holding Fragment\'s static API token (seeded by an operator).')
@minLength(1)
@maxLength(127)
param fragmentApiTokenSecretName string = 'fragment-api-token'

@description('Optional. Days a deleted vault or secret can be recovered (purge protection is always on). Fixed once the vault exists.')
@minValue(7)
@maxValue(90)
param keyVaultSoftDeleteRetentionInDays int = 90

@description('Optional. Object id of an operator (user or group) given Key Vault Secrets Officer to seed the secrets, e.g. from az ad signed-in-user show --query id. Empty: none (assign it separately).')
param operatorPrincipalId string = ''

@description('Optional. Kind of principal in operatorPrincipalId.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param operatorPrincipalType string = 'User'

// ---------------------------------------------------------------------------------------------------------------------
// Service Bus task queue
// ---------------------------------------------------------------------------------------------------------------------

@description('Optional. Name of the task queue (app setting TasksQueueName).')
param tasksQueueName string = 'tasks'

@description('Optional. Peek-lock duration of the task queue, ISO 8601, at most PT5M (the host renews locks, host.json maxAutoLockRenewalDuration).')
param tasksQueueLockDuration string = 'PT1M'

@description('Optional. Deliveries of one message before Service Bus dead-letters it (MaxDeliveryCountExceeded). The app\'s own retries are new, delayed copies (Tasks__MaxAttempts).')
@minValue(1)
@maxValue(2000)
param tasksQueueMaxDeliveryCount int = 10

@description('Optional. Whether an expired task message is dead-lettered rather than dropped.')
param tasksQueueDeadLetteringOnMessageExpiration bool = true

@description('Optional. Time to live of a task message, ISO 8601.')
param tasksQueueDefaultMessageTimeToLive string = 'P14D'

// ---------------------------------------------------------------------------------------------------------------------
// Storage and monitoring
// ---------------------------------------------------------------------------------------------------------------------

@description('Optional. Redundancy of the storage account.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
  'Standard_RAGRS'
  'Standard_RAGZRS'
])
param storageSkuName string = 'Standard_LRS'

@description('Optional. Days a deleted blob or container can be restored.')
@minValue(1)
@maxValue(365)
param blobDeleteRetentionInDays int = 7

@description('Optional. Days Log Analytics keeps logs and telemetry.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

// ---------------------------------------------------------------------------------------------------------------------
// Network and access
// ---------------------------------------------------------------------------------------------------------------------

@description('Optional. Production option: storage, Key Vault and Service Bus take no public traffic (private endpoints in a virtual network the Function App integrates with; Service Bus becomes Premium, the only tier with private endpoints). The app\'s own HTTP endpoint stays public: Event Grid delivers blob events to it, and the ops endpoints are behind Entra ID and function keys.')
param privateNetworking bool = false

@description('Optional. With privateNetworking: address space of the virtual network (two /24 subnets are taken from its start).')
param virtualNetworkAddressPrefix string = '10.20.0.0/16'

@description('Optional. With privateNetworking: public IP ranges (CIDR) operators may reach Key Vault from to seed secrets. Empty: Key Vault takes no public traffic at all.')
param operatorIpRanges string[] = []

@description('Optional. False only for the very first deployment of an environment: the app\'s Key Vault roles are scoped to each secret, and a role can be assigned only on a secret that exists. Deploy with false, run scripts/seed-secrets.sh, deploy again (README, Deployment).')
param keyVaultSecretsSeeded bool = true

// ---------------------------------------------------------------------------------------------------------------------
// Alerts
// ---------------------------------------------------------------------------------------------------------------------

@description('Required. Who the alerts notify (one action group, every alert). Production ({ kind: \'production\', emails: [...] }) needs at least one address: checked when the parameters are built and again by Azure Resource Manager. Development ({ kind: \'development\', emails: [] }) may name none. A deployment replaces the list: add people here, not in the portal.')
param alertReceivers alertReceiversType

@description('Optional. Average number of waiting task messages over 30 minutes above which the backlog alert fires (Fragment\'s 60 requests a minute drain at most 3,600 an hour).')
@minValue(1)
param tasksBacklogAlertThreshold int = 5000

// ---------------------------------------------------------------------------------------------------------------------
// Derived names
// ---------------------------------------------------------------------------------------------------------------------

var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var nameSuffix = '${baseName}-${environmentName}'
var names = {
  identity: 'id-${nameSuffix}'
  deploymentIdentity: 'id-${nameSuffix}-deploy'
  virtualNetwork: 'vnet-${nameSuffix}'
  logAnalytics: 'log-${nameSuffix}'
  applicationInsights: 'appi-${nameSuffix}'
  storage: toLower('st${take(replace(baseName, '-', ''), 8)}${take(environmentName, 4)}${take(resourceToken, 10)}')
  serviceBus: 'sb-${nameSuffix}-${take(resourceToken, 6)}'
  keyVault: toLower('kv-${take(replace(baseName, '-', ''), 8)}-${take(environmentName, 4)}-${take(resourceToken, 5)}')
  eventGridSystemTopic: 'evgt-${nameSuffix}-storage'
  plan: 'asp-${nameSuffix}'
  functionApp: 'func-${nameSuffix}-${take(resourceToken, 6)}'
  actionGroup: 'ag-${nameSuffix}'
  actionGroupShort: 'ops-${environmentName}'
  alertPrefix: 'alert-${nameSuffix}'
}

// Containers the template adds to the app's own: the deployment package, and the undeliverable blob events (Event Grid
// dead-letters there after its retries; the dropped CSV itself stays in the imports container).
var deploymentContainerName = 'app-package-${take(resourceToken, 7)}'
var eventGridDeadLetterContainerName = 'import-events-deadletter'

// The Functions host's own containers (AzureWebJobsStorage): leases, timer state and blob receipts; function keys.
// Created here so the app's roles can be scoped to them.
var hostContainerNames = [
  'azure-webjobs-hosts'
  'azure-webjobs-secrets'
]

// Deterministic child deployment names: a redeploy reuses them instead of piling up deployments.
var deploymentPrefix = uniqueString(resourceGroup().id, location, environmentName)

// ---------------------------------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------------------------------

module identity 'modules/identity.bicep' = {
  name: '${deploymentPrefix}-identity'
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

// Only the platform uses this one, to read (and a publish to write) the code package.
module deploymentIdentity 'modules/identity.bicep' = {
  name: '${deploymentPrefix}-deploymentIdentity'
  params: {
    name: names.deploymentIdentity
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: '${deploymentPrefix}-monitoring'
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    retentionInDays: logRetentionInDays
    privateNetworking: privateNetworking
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: '${deploymentPrefix}-storage'
  params: {
    name: names.storage
    location: location
    skuName: storageSkuName
    containerNames: concat(map(items(containerSettings), c => c.value), hostContainerNames, [
      deploymentContainerName
      eventGridDeadLetterContainerName
    ])
    tableNames: map(items(tableSettings), t => t.value)
    deleteRetentionInDays: blobDeleteRetentionInDays
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    privateNetworking: privateNetworking
    tags: tags
  }
}

module serviceBus 'modules/serviceBus.bicep' = {
  name: '${deploymentPrefix}-serviceBus'
  params: {
    name: names.serviceBus
    location: location
    queueName: tasksQueueName
    lockDuration: tasksQueueLockDuration
    maxDeliveryCount: tasksQueueMaxDeliveryCount
    deadLetteringOnMessageExpiration: tasksQueueDeadLetteringOnMessageExpiration
    defaultMessageTimeToLive: tasksQueueDefaultMessageTimeToLive
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    privateNetworking: privateNetworking
    tags: tags
  }
}

module keyVault 'modules/keyVault.bicep' = {
  name: '${deploymentPrefix}-keyVault'
  params: {
    name: names.keyVault
    location: location
    softDeleteRetentionInDays: keyVaultSoftDeleteRetentionInDays
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    privateNetworking: privateNetworking
    operatorIpRanges: operatorIpRanges
    tags: tags
  }
}

module eventGrid 'modules/eventGrid.bicep' = {
  name: '${deploymentPrefix}-eventGrid'
  params: {
    name: names.eventGridSystemTopic
    location: location
    storageAccountName: names.storage
    tags: tags
  }
  dependsOn: [
    storage
  ]
}

module network 'modules/network.bicep' = if (privateNetworking) {
  name: '${deploymentPrefix}-network'
  params: {
    name: names.virtualNetwork
    location: location
    addressPrefix: virtualNetworkAddressPrefix
    storageAccountId: storage.outputs.resourceId
    keyVaultId: keyVault.outputs.resourceId
    serviceBusNamespaceId: serviceBus.outputs.resourceId
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    applicationInsightsId: monitoring.outputs.applicationInsightsId
    tags: tags
  }
}

module roleAssignments 'modules/roleAssignments.bicep' = {
  name: '${deploymentPrefix}-roleAssignments'
  params: {
    appPrincipalId: identity.outputs.principalId
    deploymentPrincipalId: deploymentIdentity.outputs.principalId
    storageAccountName: names.storage
    readContainerNames: [
      containerSettings.Imports__Container
    ]
    writeContainerNames: concat(hostContainerNames, [
      containerSettings.Imports__ResultsContainer
      containerSettings.Tokens__LockContainer
      containerSettings.Operations__ArchiveContainer
    ])
    tableNames: map(items(tableSettings), t => t.value)
    deploymentContainerName: deploymentContainerName
    serviceBusNamespaceName: names.serviceBus
    tasksQueueName: tasksQueueName
    keyVaultName: names.keyVault
    readWriteSecretNames: [
      dragonfruitRefreshTokenSecretName
      dragonfruitIdTokenSecretName
      dragonfruitAccessTokenSecretName
    ]
    readSecretNames: [
      fragmentApiTokenSecretName
    ]
    keyVaultSecretsSeeded: keyVaultSecretsSeeded
    applicationInsightsName: names.applicationInsights
    eventGridPrincipalId: eventGrid.outputs.principalId
    eventGridDeadLetterContainerName: eventGridDeadLetterContainerName
    operatorPrincipalId: operatorPrincipalId
    operatorPrincipalType: operatorPrincipalType
  }
  dependsOn: [
    storage
    serviceBus
    keyVault
    monitoring
  ]
}

module functionApp 'modules/functionApp.bicep' = {
  name: '${deploymentPrefix}-functionApp'
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    identityResourceId: identity.outputs.resourceId
    deploymentIdentityResourceId: deploymentIdentity.outputs.resourceId
    storageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: deploymentContainerName
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    appSubnetId: privateNetworking ? network!.outputs.appSubnetId : ''
    opsAppClientId: opsAppClientId
    tags: tags
  }
  // The host starts as soon as the app exists: let it find its storage, queue and vault roles in place.
  dependsOn: [
    roleAssignments
  ]
}

module appSettings 'modules/appSettings.bicep' = {
  name: '${deploymentPrefix}-appSettings'
  params: {
    functionAppName: names.functionApp
    identityClientId: identity.outputs.clientId
    storageAccountName: names.storage
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    tasksQueueName: serviceBus.outputs.queueName
    keyVaultName: names.keyVault
    applicationInsightsName: names.applicationInsights
    dragonfruitBaseUrl: dragonfruitBaseUrl
    dragonfruitTokenUrl: dragonfruitTokenUrl
    fragmentBaseUrl: fragmentBaseUrl
    tokenRefreshSchedule: tokenRefreshSchedule
    importReconcileSchedule: importReconcileSchedule
    opsRetentionSchedule: opsRetentionSchedule
    secretNames: {
      dragonfruitRefreshToken: dragonfruitRefreshTokenSecretName
      dragonfruitIdToken: dragonfruitIdTokenSecretName
      dragonfruitAccessToken: dragonfruitAccessTokenSecretName
      fragmentApiToken: fragmentApiTokenSecretName
    }
    appSettingOverrides: appSettingOverrides
  }
  dependsOn: [
    functionApp
    storage
    keyVault
  ]
}

module alerts 'modules/alerts.bicep' = {
  name: '${deploymentPrefix}-alerts'
  params: {
    actionGroupName: names.actionGroup
    actionGroupShortName: names.actionGroupShort
    alertEmails: alertReceivers.emails
    namePrefix: names.alertPrefix
    location: location
    serviceBusNamespaceId: serviceBus.outputs.resourceId
    tasksQueueName: serviceBus.outputs.queueName
    tasksBacklogThreshold: tasksBacklogAlertThreshold
    eventGridSystemTopicId: eventGrid.outputs.resourceId
    eventGridDeadLetterContainerName: eventGridDeadLetterContainerName
    dragonfruitRefreshTokenSecretName: dragonfruitRefreshTokenSecretName
    fragmentApiTokenSecretName: fragmentApiTokenSecretName
    applicationInsightsId: monitoring.outputs.applicationInsightsId
    tags: tags
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Outputs (names and endpoints only; no keys, connection strings or secret values)
// ---------------------------------------------------------------------------------------------------------------------

@description('Name of the Function App (publish the code to it).')
output functionAppName string = functionApp.outputs.name

@description('Default host name of the Function App (the Event Grid webhook goes to it).')
output functionAppHostName string = functionApp.outputs.defaultHostName

@description('Client id of the app\'s user-assigned identity.')
output identityClientId string = identity.outputs.clientId

@description('Name of the storage account.')
output storageAccountName string = storage.outputs.name

@description('Container upstream systems drop CSV files into.')
output importsContainerName string = containerSettings.Imports__Container

@description('Container receiving blob events Event Grid could not deliver.')
output eventGridDeadLetterContainerName string = eventGridDeadLetterContainerName

@description('Name of the Event Grid system topic on the storage account.')
output eventGridSystemTopicName string = eventGrid.outputs.name

@description('Name of the Service Bus namespace.')
output serviceBusNamespaceName string = serviceBus.outputs.name

@description('Name of the task queue.')
output tasksQueueName string = serviceBus.outputs.queueName

@description('Name of the Key Vault.')
output keyVaultName string = keyVault.outputs.name

@description('URI of the Key Vault.')
output keyVaultUri string = keyVault.outputs.uri

@description('Name of the Application Insights component.')
output applicationInsightsName string = monitoring.outputs.applicationInsightsName

@description('Secrets an operator seeds before the first run (names only).')
output operatorSeededSecretNames string[] = [
  dragonfruitRefreshTokenSecretName
  fragmentApiTokenSecretName
]

@description('Secrets the token timer writes (names only; scripts/seed-secrets.sh creates placeholders so their roles can be assigned).')
output appWrittenSecretNames string[] = [
  dragonfruitIdTokenSecretName
  dragonfruitAccessTokenSecretName
]
