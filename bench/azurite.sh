# Sourced by the task benchmarks: start_azurite WORK starts Azurite on free ports in WORK/azurite (no access log, no
# telemetry) and sets azurite_pid and storage (its connection string). The caller kills azurite_pid on exit.
start_azurite() {
  local work=$1
  mkdir "$work/azurite"
  node node_modules/azurite/dist/src/azurite.js --location "$work/azurite" --silent --disableTelemetry \
    --skipApiVersionCheck --loose --disableProductStyleUrl \
    --blobHost 127.0.0.1 --blobPort 0 --queueHost 127.0.0.1 --queuePort 0 --tableHost 127.0.0.1 --tablePort 0 \
    >"$work/azurite.log" 2>&1 &
  azurite_pid=$!
  until grep -q "Table service is successfully listening" "$work/azurite.log" 2>/dev/null; do
    kill -0 "$azurite_pid" 2>/dev/null || { cat "$work/azurite.log" >&2; echo "Azurite exited before it was ready" >&2; exit 1; }
    sleep 0.2
  done
  endpoint() { echo "http://127.0.0.1:$(grep -o "$1 service is successfully listening at .*:[0-9]*" "$work/azurite.log" | grep -o '[0-9]*$')/devstoreaccount1"; }
  key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==" # Azurite's public dev key
  storage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=$(endpoint Blob);QueueEndpoint=$(endpoint Queue);TableEndpoint=$(endpoint Table);"
}
