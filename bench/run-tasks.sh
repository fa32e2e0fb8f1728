#!/usr/bin/env bash
# Benchmark (not a test): INSTANCES (4) app hosts send distinct tasks through ITaskHandler for SECONDS against a partner
# sandbox that answers 429 above 60 requests/minute; the target is 0 × 429 at ≥ 59 requests/minute.
#   bench/run-tasks.sh [SECONDS=180] [INSTANCES=4] [BATCH=1: tasks a request; more = PUT /tasks/batch]        see bench/README.md
# Appends the table to bench/results/tasks-<UTC date>.md. Needs the .NET 10 SDK and Node.js.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds=${1:-180}
instances=${2:-4}
batch=${3:-1}
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

# Azurite on free ports, in $work; no access log and no telemetry (Azurite sends it by default).
source bench/azurite.sh
start_azurite "$work"

started=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "Running $instances instances for $seconds s…"
status=0
"$bench" run "$storage" "$seconds" "$instances" "$batch" >"$work/result.md" 2> >(tee "$work/stderr.log" >&2) || status=$?
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
[[ -s $work/result.md ]] || { echo "tasks-bench failed (exit $status)" >&2; exit 1; }

mkdir -p bench/results
results="bench/results/tasks-$(date -u +%F).md"
{
  echo
  echo "## $instances instances, $seconds s, $batch task(s) a request, sandbox limit 60/min ($(date -u '+%F %H:%M') UTC, $(( $(date +%s) - started )) s of measuring)"
  echo
  echo "Commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src 2>/dev/null || echo ', src/ with uncommitted changes'); load average before: $load_before, after: $load_after."
  echo "$(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB; .NET $(dotnet --version), Node $(node --version), Azurite $(node -p "require('./node_modules/azurite/package.json').version")."
  echo
  cat "$work/result.md"
} | tee -a "$results"
echo "Appended to $results"
exit "$status"
