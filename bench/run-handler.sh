#!/usr/bin/env bash
# BenchmarkDotNet (not a test): the handler's CPU per task message and per MiB of CSV, network excluded, each beside a
# baseline in the same run (JsonDocument.Parse of the same message; a plain copy of the same bytes).
#   bench/run-handler.sh [BenchmarkDotNet arguments, e.g. --job short]        see bench/README.md
# Appends the GitHub-flavoured tables to bench/results/handler-<UTC date>.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
artifacts=$(mktemp -d)
trap 'rm -rf "$artifacts"' EXIT

dotnet run -c Release --project bench/Handler.Benchmark -- --filter '*' --artifacts "$artifacts" "$@"

mkdir -p bench/results
results="bench/results/handler-$(date -u +%F).md"
{
  echo
  echo "## Handler CPU ($(date -u '+%F %H:%M') UTC, commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'); load average before the end: $(cut -d' ' -f1-3 /proc/loadavg))"
  for report in "$artifacts"/results/*-report-github.md; do
    echo
    cat "$report"
  done
} | tee -a "$results"
echo "Appended to $results"
