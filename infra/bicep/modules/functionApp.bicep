metadata description = 'Flex Consumption (FC1) plan and the Linux Function App: .NET 10 isolated worker, deployment package in a blob container read with a deployment identity of its own (the app identity has no role on it), optional VNet integration, diagnostics to Log Analytics, scale limits from parameters. App settings are set by appSettings.bicep.'

@description('Required. Name of the Function App (globally unique host name).')
param name string

@description('Required. Name of the Flex Consumption plan.')
param planName string

@description('Required. Azure region.')
param location string

@description('Required. Resource id of the user-assigned identity the app runs as.')
param identityResourceId string

@description('Required. Resource id of the deployment identity: the platform reads the code package with it (the app identity has no role on the package).')
param deploymentIdentityResourceId string

@description('Required. Blob endpoint of the storage account holding the deployment package, e.g. https://account.blob.core.windows.net/.')
param storageBlobEndpoint string

@description('Required. Container holding the deployment package.')
param deploymentContainerName string

@description('Required. Most instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

@description('Required. Memory of each instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Required. Log Analytics workspace receiving the app\'s diagnostics (function execution logs, metrics).')
param logAnalyticsWorkspaceId string

@description('Optional. Subnet (delegated to Microsoft.App/environments) the app integrates with for outbound traffic; all of it goes through the virtual network. Empty: no integration.')
param appSubnetId string = ''

@description('Optional. Tags for the plan and the app.')
param tags object = {}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityResourceId}': {}
      '${deploymentIdentityResourceId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    virtualNetworkSubnetId: empty(appSubnetId) ? null : appSubnetId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      vnetRouteAllEnabled: !empty(appSubnetId)
    }
    functionAppConfig: {
      // The worker runtime is set here; on Flex Consumption FUNCTIONS_WORKER_RUNTIME must not be an app setting.
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: deploymentIdentityResourceId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
    }
  }
}

// No publishing with user names and passwords: deployments authenticate with Entra ID (az login).
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: site
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

@description('Name of the Function App.')
output name string = site.name

@description('Default host name, e.g. my-app.azurewebsites.net (the Event Grid webhook goes to it).')
output defaultHostName string = site.properties.defaultHostName
