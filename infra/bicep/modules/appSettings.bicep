metadata description = 'The Function App\'s app settings, all in this file: every setting the code reads (the names in local.settings.sample.json, less the local-only ones listed in ../local-only-settings.json), identity-based, no connection strings, keys or secret values, and no other setting. tests/Integration.Tests/Infra reads the keys of the *Settings objects below.'

@description('Required. Name of the Function App.')
param functionAppName string

@description('Required. Client id of the user-assigned identity the app runs as.')
param identityClientId string

@description('Required. Name of the storage account (host storage, imports, tables).')
param storageAccountName string

@description('Required. Host name of the Service Bus namespace, e.g. my-namespace.servicebus.windows.net.')
param serviceBusFullyQualifiedNamespace string

@description('Required. Name of the task queue.')
param tasksQueueName string

@description('Required. Name of the Key Vault.')
param keyVaultName string

@description('Required. Name of the Application Insights component.')
param applicationInsightsName string

@description('Required. Dragonfruit external API base URL.')
param dragonfruitBaseUrl string

@description('Required. Dragonfruit token exchange endpoint.')
param dragonfruitTokenUrl string

@description('Required. Fragment API base URL.')
param fragmentBaseUrl string

@description('Required. NCRONTAB schedule (six fields) of the token refresh timer.')
param tokenRefreshSchedule string

@description('Six-field NCRONTAB schedule of the import reconciliation timer (app setting ImportReconcileSchedule).')
param importReconcileSchedule string

@description('Six-field NCRONTAB schedule of the retention timer for request-log and audit rows (app setting OpsRetentionSchedule).')
param opsRetentionSchedule string

@description('Required. Names of the Key Vault secrets.')
param secretNames {
  @description('Dragonfruit refresh token (seeded by an operator, rotated by the app).')
  dragonfruitRefreshToken: string
  @description('Dragonfruit id token (written by the app).')
  dragonfruitIdToken: string
  @description('Dragonfruit access token (written by the app).')
  dragonfruitAccessToken: string
  @description('Fragment static API token (seeded by an operator).')
  fragmentApiToken: string
}

@description('Optional. Values replacing the defaults in tuningSettings (retries, timeouts, limits), by setting name. Any other name fails the deployment.')
param appSettingOverrides object = {}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' existing = {
  name: keyVaultName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource site 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

@export()
@description('Azure Tables the app uses, by the setting that names each. A new table option in the code: add it here and to local.settings.sample.json; main.bicep creates every table listed.')
var tableSettings = {
  Imports__LedgerTable: 'ImportLedger'
  Imports__SizeLimitsTable: 'ImportSizeLimits'
  Tasks__VersionTable: 'TaskVersions'
  Tasks__RequestLogTable: 'FragmentRequests'
  Fragment__RateLimit__Table: 'FragmentRateLimit'
  Operations__AuditTable: 'OpsAudit'
}

@export()
@description('Blob containers the app uses, by the setting that names each; main.bicep creates every container listed.')
var containerSettings = {
  Imports__Container: 'imports'
  Imports__ResultsContainer: 'import-results'
  Tokens__LockContainer: 'locks'
  Operations__ArchiveContainer: 'deadletter-archive'
}

// Connections, all through the user-assigned identity (credential + clientId): the host's storage, the blob trigger's
// connection (ImportsStorage: blobs, and the queue for poison blobs), Service Bus (ServiceBusConnection: the trigger and
// the sender of delayed copies), the core's own storage and Key Vault clients, and Application Insights (Entra ID auth).
var connectionSettings = {
  AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
  AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
  AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  ImportsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
  ImportsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
  ImportsStorage__credential: 'managedidentity'
  ImportsStorage__clientId: identityClientId
  ServiceBusConnection__fullyQualifiedNamespace: serviceBusFullyQualifiedNamespace
  ServiceBusConnection__credential: 'managedidentity'
  ServiceBusConnection__clientId: identityClientId
  Storage__BlobServiceUri: storage.properties.primaryEndpoints.blob
  Storage__TableServiceUri: storage.properties.primaryEndpoints.table
  Storage__ManagedIdentityClientId: identityClientId
  KeyVault__VaultUri: vault.properties.vaultUri
  KeyVault__ManagedIdentityClientId: identityClientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
}

// What differs between deployments: partner endpoints, secret names, the schedule and the queue.
var deploymentSettings = {
  TasksQueueName: tasksQueueName
  TokenRefreshSchedule: tokenRefreshSchedule
  ImportReconcileSchedule: importReconcileSchedule
  OpsRetentionSchedule: opsRetentionSchedule
  Dragonfruit__BaseUrl: dragonfruitBaseUrl
  Dragonfruit__TokenUrl: dragonfruitTokenUrl
  Fragment__BaseUrl: fragmentBaseUrl
  Fragment__ApiTokenSecretName: secretNames.fragmentApiToken
  Tokens__RefreshTokenSecretName: secretNames.dragonfruitRefreshToken
  Tokens__IdTokenSecretName: secretNames.dragonfruitIdToken
  Tokens__AccessTokenSecretName: secretNames.dragonfruitAccessToken
  // Ops endpoints: only a principal App Service Authentication validated, from this tenant (functionApp.bicep, authsettingsV2).
  Operations__Identity__Required: 'true'
  Operations__Identity__TenantId: tenant().tenantId
}

// Retries, timeouts and limits: the defaults of local.settings.sample.json, replaceable through appSettingOverrides.
var tuningSettings = {
  Http__UserAgent: 'Integration/1.0 (+https://example.invalid/integration)'
  Dragonfruit__MaxRetryAttempts: '4'
  Dragonfruit__RetryBaseDelay: '00:00:01'
  Dragonfruit__RetryMaxDelay: '00:00:20'
  Dragonfruit__AttemptTimeout: '00:00:10'
  Dragonfruit__TotalTimeout: '00:00:45'
  Dragonfruit__RequestIdHeaders: 'x-request-id,request-id,x-correlation-id'
  Fragment__MaxRetryAttempts: '2'
  Fragment__RetryBaseDelay: '00:00:01'
  Fragment__RetryMaxDelay: '00:00:05'
  Fragment__AttemptTimeout: '00:00:10'
  Fragment__TotalTimeout: '00:00:30'
  Fragment__RequestIdHeaders: 'x-request-id,request-id,x-correlation-id'
  Fragment__RateLimit__RequestsPerMinute: '60'
  Fragment__RateLimit__Burst: '1'
  Fragment__RateLimit__MaxWait: '00:00:20'
  Fragment__RateLimit__JitterAllowance: '00:00:00.500'
  Fragment__RateLimit__ClockSkew: '00:00:00.100'
  Tokens__RefreshMargin: '00:15:00'
  Tokens__BearerToken: 'IdToken'
  Tokens__CacheSkew: '00:02:00'
  Tokens__FragmentTokenCacheTtl: '00:05:00'
  Tokens__LockLeaseDuration: '00:01:00'
  Tokens__LockWaitTimeout: '00:01:00'
  Tokens__LockPollInterval: '00:00:01'
  Storage__Retry__NetworkTimeout: '00:00:30'
  Storage__Retry__MaxRetries: '3'
  Storage__Retry__Delay: '00:00:01'
  Storage__Retry__MaxDelay: '00:00:10'
  KeyVault__Retry__NetworkTimeout: '00:00:30'
  KeyVault__Retry__MaxRetries: '3'
  KeyVault__Retry__Delay: '00:00:01'
  KeyVault__Retry__MaxDelay: '00:00:10'
  ServiceBus__Retry__NetworkTimeout: '00:00:30'
  ServiceBus__Retry__MaxRetries: '3'
  ServiceBus__Retry__Delay: '00:00:01'
  ServiceBus__Retry__MaxDelay: '00:00:10'
  Imports__MaxFileBytes: '2147483648'
  Imports__MaxPartBytes: '20971520'
  Imports__PrevalidateMaxBytes: '67108864'
  Imports__StartCheckBytes: '2097152'
  Imports__SpoolMaxBytes: '2147483648'
  Imports__SpoolFreeBytes: '1073741824'
  // Empty: local copies of imports go to the instance's temporary folder, unless it is memory-backed (then none are made).
  Imports__SpoolDirectory: ''
  Imports__WhenAnswerLost: 'Hold'
  Imports__MaxRetryAttempts: '4'
  Imports__RetryBaseDelay: '00:00:02'
  Imports__RetryMaxDelay: '00:00:30'
  Imports__AttemptTimeout: '00:04:00'
  Imports__TotalTimeout: '00:08:00'
  Imports__RequestIdHeaders: 'x-request-id,request-id,x-correlation-id'
  Imports__BufferMaxBytes: '2097152'
  Imports__ExpectContinueMinBytes: '4194304'
  Imports__ClaimDuration: '00:15:00'
  Imports__MaxUploadsPerFile: '1000'
  Imports__MaxAttempts: '3'
  Imports__SizeLimitMemory: '7.00:00:00'
  Imports__SizeLimitRefresh: '00:01:00'
  Imports__MaxReportedRowErrors: '100000'
  Imports__MaxRawErrorChars: '65536'
  Imports__ReconcileAfter: '00:30:00'
  Tasks__MaxAttempts: '8'
  Tasks__MaxClientErrorAttempts: '3'
  Tasks__RetryBaseDelay: '00:00:30'
  Tasks__RetryMaxDelay: '00:15:00'
  Tasks__AuthFailureDelay: '00:05:00'
  Tasks__ClaimDuration: '00:01:00'
  Tasks__MaxFutureSkew: '01:00:00'
  Tasks__BatchSize: '50'
  // Batch mode is off until proven: one Service Bus trigger per message; swap the two to send PUT /tasks/batch.
  'AzureWebJobs.UpsertTask.Disabled': 'false'
  'AzureWebJobs.UpsertTaskBatch.Disabled': 'true'
  Operations__MessagesPerSecond: '0.5'
  Operations__MaxMessages: '1000'
  Operations__MaxRedrives: '3'
  Operations__RetentionDays: '90'
  Operations__Identity__ReadRole: 'Ops.Read'
  Operations__Identity__OperateRole: 'Ops.Operate'
}

var unknownOverrides = filter(objectKeys(appSettingOverrides), name => !contains(tuningSettings, name))

// Replaces every app setting of the site: a setting added by hand elsewhere does not survive a deployment.
resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: empty(unknownOverrides)
    ? union(connectionSettings, deploymentSettings, tableSettings, containerSettings, tuningSettings, appSettingOverrides)
    : fail('appSettingOverrides may only replace the tuning settings in modules/appSettings.bicep; not: ${join(unknownOverrides, ', ')}')
}
