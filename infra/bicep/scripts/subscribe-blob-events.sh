#!/usr/bin/env bash
# Subscribes the ImportCsv blob trigger (Event Grid source) to BlobCreated events of the imports container.
#
#   infra/bicep/scripts/subscribe-blob-events.sh RESOURCE_GROUP [DEPLOYMENT_NAME]
#
# Run it once after the first code deployment, and again whenever the blobs_extension system key is renewed: the
# webhook URL carries that key, which exists only once the host has started with the blob trigger loaded. Idempotent
# (create-or-update). Reads names from the outputs of the infra/bicep/main.bicep deployment (DEPLOYMENT_NAME, by default
# "main", the name az deployment group create gives a deployment of main.bicep).
#
# Needs: az CLI, logged in, with rights to read the function keys (e.g. Website Contributor or Contributor) and to
# create event subscriptions on the system topic (EventGrid EventSubscription Contributor or Contributor).
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
  sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
resource_group=$1
deployment=${2:-main}

# The function's name in the host: src/Functions/Imports/ImportCsvFunction.cs, [Function("ImportCsv")].
function_name=ImportCsv
subscription_name=ImportCsvBlobCreated

output() {
  az deployment group show --resource-group "$resource_group" --name "$deployment" \
    --query "properties.outputs.$1.value" --output tsv
}

app=$(output functionAppName)
host=$(output functionAppHostName)
topic=$(output eventGridSystemTopicName)
container=$(output importsContainerName)
storage_account=$(output storageAccountName)
dead_letter_container=$(output eventGridDeadLetterContainerName)
storage_id=$(az storage account show --resource-group "$resource_group" --name "$storage_account" --query id --output tsv)

echo "Waiting for the blobs_extension system key of $app (the code must be deployed and the host started)…"
key=""
for _ in $(seq 1 30); do
  key=$(az functionapp keys list --resource-group "$resource_group" --name "$app" \
    --query "systemKeys.blobs_extension" --output tsv 2>/dev/null || true)
  [[ -n "$key" ]] && break
  sleep 10
done
if [[ -z "$key" ]]; then
  echo "No blobs_extension system key on $app after 5 minutes: publish the code first (README, Deployment)." >&2
  exit 1
fi

endpoint="https://${host}/runtime/webhooks/blobs?functionName=Host.Functions.${function_name}&code=${key}"

# Events that are still undeliverable after Event Grid's retries land in the dead-letter container, written with the
# system topic's own identity (granted Storage Blob Data Contributor on that container only, by the template).
az eventgrid system-topic event-subscription create \
  --resource-group "$resource_group" \
  --system-topic-name "$topic" \
  --name "$subscription_name" \
  --endpoint-type webhook \
  --endpoint "$endpoint" \
  --event-delivery-schema eventgridschema \
  --included-event-types Microsoft.Storage.BlobCreated \
  --subject-begins-with "/blobServices/default/containers/${container}/" \
  --max-delivery-attempts 30 \
  --event-ttl 1440 \
  --deadletter-identity systemassigned \
  --deadletter-identity-endpoint "${storage_id}/blobServices/default/containers/${dead_letter_container}" \
  --output none

echo "Subscribed $topic/$subscription_name: BlobCreated under ${container}/ -> $function_name on $host."
