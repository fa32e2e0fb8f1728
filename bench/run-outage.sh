#!/usr/bin/env bash
# Outage harness (not a test; tests/Integration.Tests/Outages runs a short one): MESSAGES task messages and FILES CSV drops
# produced over PRODUCE_S seconds into the local queue stand-in and the imports container, consumed by INSTANCES app hosts,
# while storage (Azurite stopped with SIGTERM and restarted on the same ports and data) or Key Vault (503 to everything) is
# down for SPAN_S seconds in the middle. Checks nothing is lost, uploaded twice or applied older-after-newer, every message
# is settled, and counts what the partners accepted while it was down. The run starts its own Azurite (it must stop it).
#   bench/run-outage.sh storage|keyvault [SPAN_S=20] [MESSAGES=1000] [FILES=20] [INSTANCES=4] [PRODUCE_S=60]
# Appends the table to bench/results/outage-<UTC date>.md; exits non-zero when a check fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
outage=${1:?storage or keyvault}
shift
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

source bench/lib.sh
dotnet build bench/Tasks.Benchmark/Tasks.Benchmark.csproj -c Release -nologo -v:q
bench=bench/Tasks.Benchmark/bin/Release/net10.0/tasks-bench
bench_start
bench_run outage "tasks-bench outage $outage $*" "Outage: $outage down ${1:-20} s, ${2:-1000} messages, ${3:-20} files, ${4:-4} consumers" "$bench" outage "$outage" "$@"
