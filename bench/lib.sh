# Sourced by the task benchmarks and harnesses (run from the repository root).
#   bench_start: a work folder, Azurite on free ports in it (no access log, no telemetry: azurite_pid, storage = its
#                connection string), both cleaned up on exit.
#   bench_run KIND NAME HEADER COMMAND...: runs COMMAND (stdout = a markdown table, stderr shown), then appends HEADER, the
#                commit, the machine and the table to bench/results/KIND-<UTC date>.md; exits with COMMAND's status.

bench_start() {
  [[ -f node_modules/azurite/dist/src/azurite.js ]] || npm ci --no-audit --no-fund
  work=$(mktemp -d)
  azurite_pid=""
  trap bench_cleanup EXIT
  start_azurite "$work"
}

bench_cleanup() {
  if [[ -n $azurite_pid ]]; then kill -TERM "$azurite_pid" 2>/dev/null || true; wait "$azurite_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}

bench_run() {
  local kind=$1 name=$2 header=$3
  shift 3
  local started status=0 load_before load_after
  started=$(date +%s)
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  "$@" >"$work/result.md" 2> >(tee "$work/stderr.log" >&2) || status=$?
  load_after=$(cut -d' ' -f1-3 /proc/loadavg)
  [[ -s $work/result.md ]] || { echo "$name failed (exit $status)" >&2; exit 1; }
  mkdir -p bench/results
  local results="bench/results/$kind-$(date -u +%F).md"
  {
    echo
    echo "## $header ($(date -u '+%F %H:%M') UTC, $(( $(date +%s) - started )) s of measuring)"
    echo
    echo "Commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src 2>/dev/null || echo ', src/ with uncommitted changes'); load average before: $load_before, after: $load_after."
    echo "$(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB; .NET $(dotnet --version), Node $(node --version), Azurite $(node -p "require('./node_modules/azurite/package.json').version")."
    echo
    cat "$work/result.md"
  } | tee -a "$results"
  echo "Appended to $results"
  exit "$status"
}

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
