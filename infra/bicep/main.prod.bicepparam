// Production. Deploy:
//   az deployment group create -g <resource-group> -f infra/bicep/main.bicep -p infra/bicep/main.prod.bicepparam
using 'main.bicep'

param environmentName = 'prod'

param maximumInstanceCount = 40
param instanceMemoryMB = 2048

// Zone-redundant storage: the host's leases, the import drops and results, the ledger and the task state.
param storageSkuName = 'Standard_ZRS'
param blobDeleteRetentionInDays = 30
param logRetentionInDays = 90

// Storage, Key Vault and Service Bus behind private endpoints (Service Bus Premium), the app integrated with the virtual
// network, public access off (README, Deployment: Private networking). Operators seed secrets from inside the network,
// or from the ranges in operatorIpRanges.
param privateNetworking = true

param dragonfruitBaseUrl = 'https://api-external.dragonfruit.ai/'
param dragonfruitTokenUrl = 'https://df-services.dragonfruit.ai/get_new_tokens'
param fragmentBaseUrl = 'https://api.onfragment.com/api/v1/'

param tasksQueueLockDuration = 'PT1M'
param tasksQueueMaxDeliveryCount = 10
param tasksQueueDeadLetteringOnMessageExpiration = true
param tasksQueueDefaultMessageTimeToLive = 'P14D'

// Tuning defaults (modules/appSettings.bicep) replaced here, as strings, e.g.
// param appSettingOverrides = {
//   Tasks__MaxAttempts: '10'
// }

// Who the alerts notify: every alert goes to these addresses (README, Deployment: Alerts). Production cannot deploy
// without at least one: the build of these parameters fails (BCP333 / BCP427) and so would Azure Resource Manager.
// Comma-separated without spaces, from the environment of whoever deploys, e.g.
//   export INTEGRATION_ALERT_EMAILS='integration-oncall@contoso.com,integration-team@contoso.com'
param alertReceivers = {
  kind: 'production'
  emails: split(readEnvironmentVariable('INTEGRATION_ALERT_EMAILS'), ',')
}

// The ops app registration (README, Deployment: Identity on the ops endpoints); without it every ops call is refused:
// param opsAppClientId = '00000000-0000-0000-0000-000000000000'

param tags = {
  application: 'integration'
  environment: 'prod'
}
