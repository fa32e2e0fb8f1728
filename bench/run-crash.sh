#!/usr/bin/env bash
# Kill-and-restart harness (not a test): the app as a real process (`integration run --local-queue`) is killed with
# SIGKILL at random moments KILLS times and started again, while it works through MESSAGES task messages and FILES CSV
# drops (the larger split after a 413); Azurite and the partner sandbox outlive it. Checks nothing is lost or stale and
# counts uploads the partner received twice.
#   bench/run-crash.sh [MESSAGES=1000] [FILES=40] [KILLS=20]        see bench/README.md
# Appends the table to bench/results/crash-<UTC date>.md; exits non-zero when a check fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
messages=${1:-1000}
files=${2:-40}
kills=${3:-20}
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

[[ -f node_modules/azurite/dist/src/azurite.js ]] || npm ci --no-audit --no-fund
dotnet build src/Cli/Cli.csproj -c Release -nologo -v:q
dotnet build bench/Tasks.Benchmark/Tasks.Benchmark.csproj -c Release -nologo -v:q
bench=bench/Tasks.Benchmark/bin/Release/net10.0/tasks-bench
cli=src/Cli/bin/Release/net10.0/integration.dll

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
"$bench" crash "$storage" "$cli" "$messages" "$files" "$kills" >"$work/result.md" 2> >(tee "$work/stderr.log" >&2) || status=$?
[[ -s $work/result.md ]] || { echo "tasks-bench crash failed (exit $status)" >&2; exit 1; }

mkdir -p bench/results
results="bench/results/crash-$(date -u +%F).md"
{
  echo
  echo "## $messages messages, $files files, $kills kills ($(date -u '+%F %H:%M') UTC, $(( $(date +%s) - started )) s in all)"
  echo
  echo "Commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src 2>/dev/null || echo ', src/ with uncommitted changes'); $(nproc) cores; .NET $(dotnet --version), Azurite $(node -p "require('./node_modules/azurite/package.json').version")."
  echo
  cat "$work/result.md"
} | tee -a "$results"
echo "Appended to $results"
exit "$status"
