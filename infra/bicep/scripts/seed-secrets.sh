#!/usr/bin/env bash
# Creates the Key Vault secrets of a new environment, so that the app's roles can be scoped to each of them.
#
#   infra/bicep/scripts/seed-secrets.sh RESOURCE_GROUP [DEPLOYMENT_NAME]
#
# Run it once after the first deployment (made with keyVaultSecretsSeeded=false), then deploy again without that
# override: the app's Key Vault roles are per secret, and Azure assigns a role only on a secret that exists.
# Asks for the two tokens only an operator has (Dragonfruit refresh token, Fragment API token; read without echo) and
# creates a placeholder for each token the app writes itself (id and access token: the token timer replaces them on its
# first tick, since a placeholder has no expiry date). An existing secret is left as it is. Reads names from the outputs
# of the infra/bicep/main.bicep deployment (DEPLOYMENT_NAME, by default "main").
#
# Needs: az CLI, logged in, with Key Vault Secrets Officer on the vault (operatorPrincipalId, or README, Deployment),
# and network access to the vault (with privateNetworking: from inside the virtual network or from operatorIpRanges).
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
  sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
resource_group=$1
deployment=${2:-main}

output() {
  az deployment group show --resource-group "$resource_group" --name "$deployment" \
    --query "properties.outputs.$1.value" --output tsv
}

list() {
  az deployment group show --resource-group "$resource_group" --name "$deployment" \
    --query "properties.outputs.$1.value[]" --output tsv
}

vault=$(output keyVaultName)
exists() {
  az keyvault secret show --vault-name "$vault" --name "$1" --query id --output tsv >/dev/null 2>&1
}

mapfile -t seeded < <(list operatorSeededSecretNames | tr -d '\r')
for name in "${seeded[@]}"; do
  if exists "$name"; then
    echo "$name: exists, left as it is"
    continue
  fi
  read -rsp "$name (input hidden): " value
  echo
  [[ -n "$value" ]] || { echo "$name: empty value, nothing set" >&2; exit 1; }
  az keyvault secret set --vault-name "$vault" --name "$name" --value "$value" --content-type text/plain --output none
  unset value
  echo "$name: set"
done

mapfile -t written < <(list appWrittenSecretNames | tr -d '\r')
for name in "${written[@]}"; do
  if exists "$name"; then
    echo "$name: exists, left as it is"
    continue
  fi
  az keyvault secret set --vault-name "$vault" --name "$name" --value "placeholder: replaced by the token timer" \
    --content-type text/plain --output none
  echo "$name: placeholder created"
done

echo "Now deploy again without keyVaultSecretsSeeded=false: the app's per-secret roles are assigned then."
