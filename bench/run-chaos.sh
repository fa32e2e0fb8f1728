#!/usr/bin/env bash
# Chaos harness (not a test): MESSAGES task messages (1 % invalid, a fifth of the tasks in several versions out of order)
# through the local queue stand-in and INSTANCES consumers while the partner sandbox answers 30 % 5xx, 10 % 429 with
# Retry-After 1 s, drops 2 % of connections and adds up to 50 ms of latency. Checks that every valid task ends at its
# latest version, no older version lands after a newer one, only the invalid are dead-lettered, and the request log has a
# row for every attempt. Bounded: gives up after an hour.
#   bench/run-chaos.sh [MESSAGES=10000] [INSTANCES=4]        see bench/README.md
# Appends the table to bench/results/chaos-<UTC date>.md; exits non-zero when a check fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
messages=${1:-10000}
instances=${2:-4}
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

[[ -f node_modules/azurite/dist/src/azurite.js ]] || npm ci --no-audit --no-fund
dotnet build bench/Tasks.Benchmark/Tasks.Benchmark.csproj -c Release -nologo -v:q
bench=bench/Tasks.Benchmark/bin/Release/net10.0/tasks-bench

work=$(mktemp -d)
azurite_pid=""
cleanup() {
  if [[ -n $azurite_pid ]]; then kill -TERM "$azurite_pid" 2>/dev/null || true; wait "$azurite_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
source bench/azurite.sh
start_azurite "$work"

started=$(date +%s)
status=0
"$bench" chaos "$storage" "$messages" "$instances" >"$work/result.md" 2> >(tee "$work/stderr.log" >&2) || status=$?
[[ -s $work/result.md ]] || { echo "tasks-bench chaos failed (exit $status)" >&2; exit 1; }

mkdir -p bench/results
results="bench/results/chaos-$(date -u +%F).md"
{
  echo
  echo "## $messages messages, $instances consumers ($(date -u '+%F %H:%M') UTC, $(( $(date +%s) - started )) s in all)"
  echo
  echo "Commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src 2>/dev/null || echo ', src/ with uncommitted changes'); $(nproc) cores; .NET $(dotnet --version), Azurite $(node -p "require('./node_modules/azurite/package.json').version")."
  echo
  cat "$work/result.md"
} | tee -a "$results"
echo "Appended to $results"
exit "$status"
