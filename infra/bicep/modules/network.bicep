metadata description = 'Private networking (production option privateNetworking): a virtual network with a subnet the Function App integrates with (outbound) and one for private endpoints; private endpoints and private DNS zones for storage (blob, queue, table), Key Vault, Service Bus and Azure Monitor (a private link scope with the workspace and Application Insights), so those accept no public traffic.'

@description('Required. Name of the virtual network.')
param name string

@description('Required. Azure region.')
param location string

@description('Required. Address space of the virtual network, e.g. 10.20.0.0/16.')
param addressPrefix string

@description('Required. Resource id of the storage account.')
param storageAccountId string

@description('Required. Resource id of the Key Vault.')
param keyVaultId string

@description('Required. Resource id of the Service Bus namespace (Premium: only Premium has private endpoints).')
param serviceBusNamespaceId string

@description('Required. Resource id of the Log Analytics workspace (scoped into the Azure Monitor private link scope).')
param logAnalyticsWorkspaceId string

@description('Required. Resource id of the Application Insights component (scoped into the Azure Monitor private link scope).')
param applicationInsightsId string

@description('Optional. Tags for the resources.')
param tags object = {}

// Private endpoints: the sub-resource (group id: blob, queue and table of the storage account, the vault, the Service Bus
// namespace) and the private DNS zone its name resolves in.
var endpoints = [
  {
    name: 'blob'
    groupId: 'blob'
    zone: 'privatelink.blob.${environment().suffixes.storage}'
  }
  {
    name: 'queue'
    groupId: 'queue'
    zone: 'privatelink.queue.${environment().suffixes.storage}'
  }
  {
    name: 'table'
    groupId: 'table'
    zone: 'privatelink.table.${environment().suffixes.storage}'
  }
  {
    name: 'vault'
    groupId: 'vault'
    zone: 'privatelink.vaultcore.azure.net'
  }
  {
    name: 'servicebus'
    groupId: 'namespace'
    zone: 'privatelink.servicebus.windows.net'
  }
]

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        addressPrefix
      ]
    }
    subnets: [
      {
        // Flex Consumption VNet integration: a subnet delegated to Microsoft.App/environments.
        name: 'app'
        properties: {
          addressPrefix: cidrSubnet(addressPrefix, 24, 0)
          delegations: [
            {
              name: 'flex-consumption'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
        }
      }
      {
        name: 'private-endpoints'
        properties: {
          addressPrefix: cidrSubnet(addressPrefix, 24, 1)
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
    ]
  }
}

resource zones 'Microsoft.Network/privateDnsZones@2024-06-01' = [
  for endpoint in endpoints: {
    name: endpoint.zone
    location: 'global'
    tags: tags
  }
]

resource zoneLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [
  for (endpoint, i) in endpoints: {
    parent: zones[i]
    name: vnet.name
    location: 'global'
    tags: tags
    properties: {
      registrationEnabled: false
      virtualNetwork: {
        id: vnet.id
      }
    }
  }
]

resource privateEndpoints 'Microsoft.Network/privateEndpoints@2024-05-01' = [
  for endpoint in endpoints: {
    name: 'pe-${name}-${endpoint.name}'
    location: location
    tags: tags
    properties: {
      subnet: {
        id: vnet.properties.subnets[1].id
      }
      privateLinkServiceConnections: [
        {
          name: endpoint.name
          properties: {
            privateLinkServiceId: endpoint.groupId == 'vault' ? keyVaultId : (endpoint.groupId == 'namespace' ? serviceBusNamespaceId : storageAccountId)
            groupIds: [
              endpoint.groupId
            ]
          }
        }
      ]
    }
  }
]

resource zoneGroups 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = [
  for (endpoint, i) in endpoints: {
    parent: privateEndpoints[i]
    name: 'default'
    properties: {
      privateDnsZoneConfigs: [
        {
          name: endpoint.name
          properties: {
            privateDnsZoneId: zones[i].id
          }
        }
      ]
    }
  }
]

// Azure Monitor: one private link scope holding the workspace and Application Insights, ingestion through it only,
// queries open (operators in the portal, the log alerts). Its endpoint resolves in five zones, the blob one shared with
// storage's.
var monitorZoneNames = [
  'privatelink.monitor.azure.com'
  'privatelink.oms.opinsights.azure.com'
  'privatelink.ods.opinsights.azure.com'
  'privatelink.agentsvc.azure-automation.net'
]

resource monitorScope 'Microsoft.Insights/privateLinkScopes@2021-07-01-preview' = {
  name: 'ampls-${name}'
  location: 'global'
  tags: tags
  properties: {
    accessModeSettings: {
      ingestionAccessMode: 'PrivateOnly'
      queryAccessMode: 'Open'
    }
  }
}

resource monitorWorkspace 'Microsoft.Insights/privateLinkScopes/scopedResources@2021-07-01-preview' = {
  parent: monitorScope
  name: 'log-analytics'
  properties: {
    linkedResourceId: logAnalyticsWorkspaceId
  }
}

resource monitorComponent 'Microsoft.Insights/privateLinkScopes/scopedResources@2021-07-01-preview' = {
  parent: monitorScope
  name: 'application-insights'
  properties: {
    linkedResourceId: applicationInsightsId
  }
}

resource monitorZones 'Microsoft.Network/privateDnsZones@2024-06-01' = [
  for zone in monitorZoneNames: {
    name: zone
    location: 'global'
    tags: tags
  }
]

resource monitorZoneLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [
  for (zone, i) in monitorZoneNames: {
    parent: monitorZones[i]
    name: vnet.name
    location: 'global'
    tags: tags
    properties: {
      registrationEnabled: false
      virtualNetwork: {
        id: vnet.id
      }
    }
  }
]

var monitorZoneConfigs = [
  for (zone, i) in monitorZoneNames: {
    name: replace(zone, '.', '-')
    properties: {
      privateDnsZoneId: monitorZones[i].id
    }
  }
]

resource monitorEndpoint 'Microsoft.Network/privateEndpoints@2024-05-01' = {
  name: 'pe-${name}-monitor'
  location: location
  tags: tags
  properties: {
    subnet: {
      id: vnet.properties.subnets[1].id
    }
    privateLinkServiceConnections: [
      {
        name: 'azuremonitor'
        properties: {
          privateLinkServiceId: monitorScope.id
          groupIds: [
            'azuremonitor'
          ]
        }
      }
    ]
  }
  dependsOn: [
    monitorWorkspace
    monitorComponent
  ]
}

resource monitorZoneGroup 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = {
  parent: monitorEndpoint
  name: 'default'
  properties: {
    privateDnsZoneConfigs: concat(monitorZoneConfigs, [
      {
        name: 'blob'
        properties: {
          privateDnsZoneId: zones[0].id // privatelink.blob (endpoints[0])
        }
      }
    ])
  }
}

@description('Resource id of the subnet the Function App integrates with.')
output appSubnetId string = vnet.properties.subnets[0].id
