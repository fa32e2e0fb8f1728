metadata description = 'The user-assigned managed identity the Function App uses for everything (storage, Service Bus, Key Vault, Application Insights, deployment package).'

@description('Required. Name of the user-assigned managed identity.')
param name string

@description('Required. Azure region.')
param location string

@description('Optional. Tags for the identity.')
param tags object = {}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

@description('Resource id of the identity.')
output resourceId string = identity.id

@description('Client (application) id: what the app settings name as clientId / ManagedIdentityClientId.')
output clientId string = identity.properties.clientId

@description('Object (principal) id: what the role assignments are granted to.')
output principalId string = identity.properties.principalId

@description('Name of the identity.')
output name string = identity.name
