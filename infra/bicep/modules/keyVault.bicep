metadata description = 'Key Vault for the partner tokens: RBAC authorization, soft delete with purge protection, standard SKU, none of the "enabled for ..." access paths. Secret values are never in templates: operators seed them (README, Deployment) and the token timer writes the rest.'

@description('Required. Name of the vault (3-24 characters, globally unique; reserved for the retention period after deletion).')
@minLength(3)
@maxLength(24)
param name string

@description('Required. Azure region.')
param location string

@description('Optional. Days a deleted vault or secret can be recovered. Cannot be changed after the vault is created.')
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int = 90

@description('Required. Log Analytics workspace receiving the vault\'s audit log (who read or wrote which secret).')
param logAnalyticsWorkspaceId string

@description('Optional. True: no public network access (the app comes in through a private endpoint, network.bicep), except from operatorIpRanges when given.')
param privateNetworking bool = false

@description('Optional. With privateNetworking: public IP ranges (CIDR) an operator seeds secrets from; empty: none, seed from inside the virtual network.')
param operatorIpRanges string[] = []

@description('Optional. Tags for the vault.')
param tags object = {}

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    enablePurgeProtection: true
    enabledForDeployment: false
    enabledForDiskEncryption: false
    enabledForTemplateDeployment: false
    publicNetworkAccess: privateNetworking && empty(operatorIpRanges) ? 'Disabled' : 'Enabled'
    networkAcls: {
      defaultAction: privateNetworking ? 'Deny' : 'Allow'
      bypass: privateNetworking ? 'None' : 'AzureServices'
      ipRules: [
        for range in (privateNetworking ? operatorIpRanges : []): {
          value: range
        }
      ]
    }
  }
}

resource audit 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: vault
  name: 'audit-to-log-analytics'
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        categoryGroup: 'audit'
        enabled: true
      }
    ]
  }
}

@description('Resource id of the vault (its private endpoint targets it).')
output resourceId string = vault.id

@description('Name of the vault.')
output name string = vault.name

@description('URI of the vault, e.g. https://my-vault.vault.azure.net/ (KeyVault__VaultUri).')
output uri string = vault.properties.vaultUri
