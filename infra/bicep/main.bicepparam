// Development / test environment. Deploy:
//   az deployment group create -g <resource-group> -f infra/bicep/main.bicep -p infra/bicep/main.bicepparam
// Every other parameter keeps the default documented in main.bicep.
using 'main.bicep'

param environmentName = 'dev'

param maximumInstanceCount = 10
param instanceMemoryMB = 2048

// Point the partner endpoints at a sandbox here when one is available, e.g.
// param dragonfruitBaseUrl = 'https://…/'
// param dragonfruitTokenUrl = 'https://…/get_new_tokens'
// param fragmentBaseUrl = 'https://…/api/v1/'

// Your own object id (az ad signed-in-user show --query id -o tsv) to be allowed to seed the secrets:
// param operatorPrincipalId = '00000000-0000-0000-0000-000000000000'

// Who the alerts notify (none required in development; the action group exists either way), e.g.
//   emails: [ 'you@contoso.com' ]
param alertReceivers = {
  kind: 'development'
  emails: []
}

// The ops app registration (README, Deployment: Identity on the ops endpoints); without it every ops call is refused:
// param opsAppClientId = '00000000-0000-0000-0000-000000000000'

param tags = {
  application: 'integration'
  environment: 'dev'
}
