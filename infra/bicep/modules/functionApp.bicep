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

@description('Optional. Client id of the ops app registration (Entra ID; README, Deployment: Identity on the ops endpoints). Set: App Service Authentication validates bearer tokens issued for it and hands the app the validated principal. Empty: no authentication in front, and the ops endpoints refuse every call (Operations__Identity__Required).')
param opsAppClientId string = ''

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

// App Service Authentication with Entra ID, for the ops endpoints: a request with a bearer token for the ops app
// registration is validated (issuer, audience, signature, lifetime) and reaches the code with X-MS-CLIENT-PRINCIPAL;
// a bad token is answered 401 by the platform. Requests without a token pass (the Event Grid webhook and the task
// functions need no user), and the ops functions refuse them. The platform removes X-MS-CLIENT-PRINCIPAL* headers sent
// from outside, so the principal the code sees is the validated one. No client secret: tokens are only validated here.
resource authentication 'Microsoft.Web/sites/config@2024-04-01' = if (!empty(opsAppClientId)) {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    httpSettings: {
      requireHttps: true
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: opsAppClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [
            opsAppClientId
            'api://${opsAppClientId}'
          ]
        }
      }
    }
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
